#!/usr/bin/env node
// End-to-end demo of the `cairn` CLI on the embedded default (a local repository):
//   1. creates a sample folder (text files, a nested directory, a few MiB of binary data, an
//      empty file, a symlink) in a temporary directory;
//   2. `cairn init`, `cairn backup`;
//   3. changes one file (a few bytes in the middle of the large one) and adds another;
//   4. `cairn backup` again — incremental: it stores only the changed chunks;
//   5. `cairn restore latest --target …` and compares every restored byte, mode and symlink
//      with the source;
//   6. `cairn check --read-data`;
// then prints a short summary. Exit code 0 only if everything matched.
//
//   node apps/cli/scripts/demo.mjs [--keep]     (build first: pnpm --filter @cairn/cli... build)
//
// --keep leaves the temporary directory in place to look at.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bytes, compareInventories, inventory, makeSample, mib } from "./lib/sample.mjs";

const CLI = fileURLToPath(new URL("../dist/bin/cairn.js", import.meta.url));
const keep = process.argv.includes("--keep");
// A demo password, not a secret: it only protects a throwaway repository in a temporary directory.
const env = { ...process.env, CAIRN_PASSWORD: "cairn-demo-password" };
delete env.CAIRN_PASSWORD_FILE;
delete env.CAIRN_REPOSITORY;

if (!existsSync(CLI)) {
  console.error(`demo: ${CLI} is missing: build first with  npx pnpm@10.34.9 --filter @cairn/cli... build`);
  process.exit(1);
}

function step(text) {
  console.log(`\n== ${text}`);
}

/** Runs cairn, echoing the command; returns parsed JSON when --json is among the arguments. */
function cairn(args, { expect = 0 } = {}) {
  console.log(`$ cairn ${args.join(" ")}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== expect) {
    console.error(r.stdout, r.stderr);
    throw new Error(`cairn ${args[0]} exited ${r.status} (expected ${expect})`);
  }
  if (!args.includes("--json")) process.stdout.write(r.stdout.replace(/^(?=.)/gm, "  ").replace(/\n+$/, "\n"));
  return { json: args.includes("--json") ? JSON.parse(r.stdout) : undefined, seconds };
}

const work = await mkdtemp(join(tmpdir(), "cairn-demo-"));
const src = join(work, "sample");
const repo = join(work, "repo");
const target = join(work, "restored");
let ok = false;
try {
  step(`creating a sample folder in ${src}`);
  await makeSample(src);
  const before = await inventory(src);
  console.log(`  ${before.size} entries`);

  step("creating a repository");
  cairn(["init", "--repo", repo]);

  step("first backup");
  const b1 = cairn(["backup", "--repo", repo, src, "--json"]);
  console.log(`  snapshot ${b1.json.snapshotId.slice(0, 8)}: ${b1.json.stats.filesProcessed} files, ${b1.json.stats.bytesProcessed} bytes read, ${b1.json.stats.bytesAddedStored} bytes stored`);

  step("changing one file (16 bytes in the middle of media/photo.raw) and adding another");
  const fh = await open(join(src, "media", "photo.raw"), "r+");
  await fh.write(Buffer.from("changed-by-demo!"), 0, 16, 3 * 1024 * 1024);
  await fh.close();
  await writeFile(join(src, "docs", "drafts", "chapter-2.txt"), bytes(4, 30_000, true));
  const expected = await inventory(src);

  step("second backup (incremental)");
  const b2 = cairn(["backup", "--repo", repo, src, "--json"]);
  const s2 = b2.json.stats;
  console.log(`  snapshot ${b2.json.snapshotId.slice(0, 8)} (parent ${String(b2.json.parent).slice(0, 8)}): ${s2.filesNew} new, ${s2.filesChanged} changed, ${s2.filesUnmodified} unmodified; ${s2.bytesAdded} new bytes stored of ${s2.bytesProcessed}`);

  cairn(["snapshots", "--repo", repo]);

  step(`restoring the latest snapshot into ${target}`);
  const r = cairn(["restore", "--repo", repo, "latest", "--target", target]);
  // Paths keep their absolute location below the target, as with restic.
  const restoredRoot = join(target, src);
  const restored = await inventory(restoredRoot);

  step("comparing the restored tree with the source");
  const problems = compareInventories(expected, restored);
  for (const p of problems) console.log(`  MISMATCH ${p}`);
  if (problems.length === 0) console.log(`  all ${expected.size} entries identical (content, size, mode, symlink targets)`);

  step("verifying the repository");
  cairn(["check", "--repo", repo, "--read-data"]);

  ok = problems.length === 0;
  console.log("\n== summary");
  console.log(`  backed up ${before.size} entries (${mib(b1.json.stats.bytesProcessed)}) in ${b1.seconds.toFixed(1)} s into an encrypted repository (${mib(b1.json.stats.bytesAddedStored)} stored)`);
  console.log(`  incremental backup after changing 16 bytes of a 6 MiB file and adding a 30 KB one: ${mib(s2.bytesAdded)} new data (the chunk around the change and the new file, not the whole file) in ${b2.seconds.toFixed(1)} s`);
  console.log(`  restored into ${restoredRoot} in ${r.seconds.toFixed(1)} s: ${ok ? "every byte matches the source" : `${problems.length} mismatches`}`);
  console.log(ok ? "  demo OK" : "  demo FAILED");
} catch (error) {
  console.error(`demo failed: ${error.message}`);
} finally {
  if (keep) console.log(`  (kept ${work})`);
  else await rm(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
