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
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, open, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

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

function mib(n) {
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

/** Deterministic pseudo-random bytes (compressible if `text`). */
function bytes(seed, length, text = false) {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? " etaoinshrdlu\n".charCodeAt((x >>> 0) % 14) : x & 255;
  }
  return out;
}

async function makeSample(src) {
  await mkdir(join(src, "docs", "drafts"), { recursive: true });
  await mkdir(join(src, "media"), { recursive: true });
  await writeFile(join(src, "README.txt"), "A sample folder for the cairn demo.\n");
  await writeFile(join(src, "docs", "notes.txt"), bytes(1, 200_000, true));
  await writeFile(join(src, "docs", "drafts", "chapter-1.txt"), bytes(2, 50_000, true));
  await writeFile(join(src, "media", "photo.raw"), bytes(3, 6 * 1024 * 1024));
  await writeFile(join(src, "empty"), "");
  await writeFile(join(src, "run.sh"), "#!/bin/sh\necho hello\n", { mode: 0o755 });
  await symlink("docs/notes.txt", join(src, "notes-link"));
}

/** Every entry below `root`: path → type, mode, size, sha256 or link target. */
async function inventory(root) {
  const out = new Map();
  async function walk(dir) {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const st = await lstat(path);
      const rel = relative(root, path);
      if (st.isSymbolicLink()) out.set(rel, `symlink -> ${await readlink(path)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${(st.mode & 0o7777).toString(8)}`);
        await walk(path);
      } else out.set(rel, `file ${(st.mode & 0o7777).toString(8)} ${st.size} ${createHash("sha256").update(await readFile(path)).digest("hex")}`);
    }
  }
  await walk(root);
  return out;
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
  const problems = [];
  for (const [path, want] of expected) if (restored.get(path) !== want) problems.push(`${path}: expected ${want}, got ${restored.get(path) ?? "nothing"}`);
  for (const path of restored.keys()) if (!expected.has(path)) problems.push(`${path}: restored but not in the source`);
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
