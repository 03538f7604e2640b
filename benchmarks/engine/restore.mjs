// Restore throughput of @cairn/engine on a corpus built by ../shared/bench/corpus.sh: back up v1
// once (not timed here; see backup.mjs), then restore it into an empty directory, then restore
// it again over the result (everything already matches: the "resume / no-change" cost). Each
// restore runs in a fresh child process (so its peak RSS is its own) and is checked before it
// is reported: every file's bytes, and every entry's type, mode, size, mtime (to the
// microsecond) and symlink target must equal the source's (the peers harness checks seconds).
//
//   node benchmarks/engine/restore.mjs [--corpus small|large|bigfile] [--corpus-dir DIR]
//        [--work DIR] [--concurrency N] [--cold] [--json] [--keep]
//
// Output: a table, or with --json one line per step:
//   {"name":"restore.initial","corpus":"small","mbps":…,"seconds":…,"cpu_s":…,"max_rss_kb":…,
//    "files":…,"bytes":…,"bytes_fetched":…,"requests":…,"exact":true,"cold":false}
// mbps = restored file bytes / wall seconds (MB = 10^6 bytes).
//
// Needs built packages (`npx pnpm@10.34.9 --filter @cairn/engine... build`): it imports their
// dist builds by path, so the benchmarks package needs no new dependencies.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = (pkg, entry = "index.js") => join(root, "packages", pkg, "dist", entry);
const PASSWORD = "bench-password-not-a-secret";
const FAST_KDF = { algorithm: "argon2id", memoryKiB: 64, iterations: 1 };

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

// ---- child: one step ----
async function step(kind, repoDir, src, target, concurrency) {
  const { initRepository, openRepository } = await import(dist("repository"));
  const { FileSystemStorage } = await import(dist("storage", "fs/index.js"));
  const { backup, restore } = await import(dist("engine"));
  const storage = new FileSystemStorage(repoDir);
  if (kind === "backup") {
    const repo = await initRepository(storage, PASSWORD, { kdf: FAST_KDF });
    const result = await backup(repo, { paths: [src], host: "bench" });
    await repo.close();
    return { snapshot: result.snapshotId, errors: result.snapshot.errorCount };
  }
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const repo = await openRepository(storage, PASSWORD);
  const [latest] = (await repo.listSnapshots()).slice(-1);
  const result = await restore(repo, latest.id, { target, subtree: src, concurrency: concurrency ? Number(concurrency) : undefined });
  await repo.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return {
    seconds,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    max_rss_kb: process.resourceUsage().maxRSS,
    files: result.totals.files + result.totals.hardlinks,
    bytes: result.totals.fileBytes,
    written: result.filesWritten,
    bytes_fetched: result.bytesFetched,
    requests: result.requests,
    warnings: result.warnings.length,
  };
}

if (process.argv[2] === "--step") {
  const [, , , kind, repoDir, src, target, concurrency] = process.argv;
  const out = await step(kind, repoDir, src, target, concurrency === "-" ? undefined : concurrency);
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exit(0);
}

// ---- parent ----
const corpus = arg("--corpus", "small");
const corpusDir = arg("--corpus-dir", process.env.BENCH_CORPUS_DIR ?? "/tmp/bench-corpus");
const work = arg("--work", "/tmp/cairn-bench-restore");
const concurrency = arg("--concurrency", "-");
const json = process.argv.includes("--json");
const cold = process.argv.includes("--cold");
const C = join(corpusDir, corpus);
if (!existsSync(join(C, "v1"))) {
  console.error(`corpus ${corpus} not found in ${corpusDir}: run bash ../shared/bench/corpus.sh ${corpus}`);
  process.exit(1);
}
for (const pkg of ["engine", "repository", "storage", "restore-planner"]) {
  if (!existsSync(dist(pkg))) {
    console.error(`packages/${pkg} is not built: run npx pnpm@10.34.9 --filter @cairn/engine... build`);
    process.exit(1);
  }
}
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, "repo"), { recursive: true });
const src = join(work, "src");
const repoDir = join(work, "repo");
const target = join(work, "target");
execFileSync("cp", ["-a", join(C, "v1"), src]);

function dropCaches() {
  if (!cold) return;
  spawnSync("sync");
  try {
    writeFileSync("/proc/sys/vm/drop_caches", "3\n");
  } catch {
    console.error("cannot drop caches (not root?); running warm");
  }
}

function runStep(kind) {
  dropCaches();
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--step", kind, repoDir, src, target, concurrency], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`step ${kind} failed with ${r.status}`);
  }
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/** Type, mode, size, mtime (µs), link target of every entry, and content differences. */
function exactness() {
  const listing = (dir) =>
    execFileSync("find", [".", "-printf", "%y %m %s %T@ %l %P\\n"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 })
      .split("\n")
      .filter((l) => l && !l.endsWith(" "))
      .map((l) => l.replace(/^(\S+ \S+ )(\S+)( \d+\.\d{6})\d*/, (_, a, size, t) => `${a}${a.startsWith("d") ? "-" : size}${t}`))
      .sort();
  const a = listing(src);
  const b = listing(target);
  const metaMismatch = a.filter((l, i) => l !== b[i]).length + Math.abs(a.length - b.length);
  const diff = spawnSync("diff", ["-r", "--no-dereference", "-q", src, target], { encoding: "utf8", maxBuffer: 1 << 28 });
  return { exact: metaMismatch === 0 && diff.status === 0, meta_mismatch_lines: metaMismatch, content_diff_lines: diff.stdout.split("\n").filter(Boolean).length };
}

const backedUp = runStep("backup");
if (backedUp.errors !== 0) throw new Error(`the backup reported ${backedUp.errors} unreadable entries`);
for (const name of ["restore.initial", "restore.again"]) {
  const r = runStep("restore");
  const check = exactness();
  const row = { name, corpus, mbps: +(r.bytes / 1e6 / r.seconds).toFixed(1), seconds: +r.seconds.toFixed(3), cpu_s: +r.cpu_s.toFixed(2), max_rss_kb: r.max_rss_kb, files: r.files, bytes: r.bytes, files_written: r.written, bytes_fetched: r.bytes_fetched, requests: r.requests, warnings: r.warnings, ...check, concurrency: concurrency === "-" ? null : Number(concurrency), cold };
  if (json) console.log(JSON.stringify(row));
  else console.error(`${name.padEnd(16)} ${String(row.mbps).padStart(8)} MB/s ${row.seconds.toFixed(2).padStart(8)} s  cpu ${row.cpu_s.toFixed(1)} s  rss ${(row.max_rss_kb / 1024).toFixed(0)} MiB  written ${row.files_written}/${row.files}  fetched ${(row.bytes_fetched / 1e6).toFixed(1)} MB in ${row.requests} requests  exact ${row.exact}${row.exact ? "" : ` (meta ${row.meta_mismatch_lines}, content ${row.content_diff_lines})`}`);
}
if (!process.argv.includes("--keep")) rmSync(work, { recursive: true, force: true });
