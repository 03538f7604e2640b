// Backup throughput of @cairn/engine on a corpus built by ../shared/bench/corpus.sh: an initial
// backup of v1, an incremental one after applying v2 (rsync, as peers.sh does), and one with no
// change. Each step runs in a fresh child process (so its peak RSS is its own) against a
// repository on the local file system, and is checked before it is reported: the snapshot's
// file count and bytes must equal the source tree's.
//
//   node benchmarks/engine/backup.mjs [--corpus small|large|bigfile] [--corpus-dir DIR]
//        [--work DIR] [--workers N] [--cold] [--json] [--keep]
//   env BENCH_ZSTD_LEVEL=<n>|off: the repository's compression (default: the repository's default)
//
// Output: a table, or with --json one line per step:
//   {"name":"backup.initial","corpus":"small","mbps":…,"seconds":…,"cpu_s":…,"max_rss_kb":…,
//    "files":…,"bytes":…,"bytes_added":…,"repo_bytes":…,"workers":…,"cold":false}
// mbps = source bytes / wall seconds (MB = 10^6 bytes), for every step (as restic reports it).
//
// Needs a built engine (`pnpm --filter @cairn/engine... build`): it imports the packages' dist
// builds by path, so the benchmarks package needs no new dependencies.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, lstatSync, writeFileSync } from "node:fs";
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

function treeSize(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += lstatSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

function duBytes(dir) {
  return Number(execFileSync("du", ["-sb", dir], { encoding: "utf8" }).split("\t")[0]);
}

// ---- child: one step ----
async function step(kind, repoDir, src, workers) {
  const { initRepository, openRepository } = await import(dist("repository"));
  const { FileSystemStorage } = await import(dist("storage", "fs/index.js"));
  const { backup } = await import(dist("engine"));
  const storage = new FileSystemStorage(repoDir);
  if (kind === "init") {
    const level = process.env.BENCH_ZSTD_LEVEL;
    const compression = level === "off" ? { algorithm: "none" } : level ? { algorithm: "zstd", level: Number(level) } : undefined;
    const repo = await initRepository(storage, PASSWORD, { kdf: FAST_KDF, ...(compression ? { compression } : {}) });
    await repo.close();
    return {};
  }
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const repo = await openRepository(storage, PASSWORD);
  const result = await backup(repo, { paths: [src], workers: workers ? Number(workers) : undefined, host: "bench" });
  await repo.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const s = result.snapshot.stats;
  return {
    seconds,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    max_rss_kb: process.resourceUsage().maxRSS,
    files: s.filesProcessed,
    bytes: Number(s.bytesProcessed),
    bytes_added: Number(s.bytesAdded),
    errors: result.snapshot.errorCount,
    stats: { ...s, bytesAdded: Number(s.bytesAdded), bytesAddedStored: Number(s.bytesAddedStored), bytesProcessed: Number(s.bytesProcessed) },
  };
}

if (process.argv[2] === "--step") {
  const [, , , kind, repoDir, src, workers] = process.argv;
  const out = await step(kind, repoDir, src, workers === "-" ? undefined : workers);
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exit(0);
}

// ---- parent: the three backups ----
const corpus = arg("--corpus", "small");
const corpusDir = arg("--corpus-dir", process.env.BENCH_CORPUS_DIR ?? "/tmp/bench-corpus");
const work = arg("--work", "/tmp/cairn-bench-engine");
const workers = arg("--workers", "-");
const json = process.argv.includes("--json");
const cold = process.argv.includes("--cold");
const C = join(corpusDir, corpus);
if (!existsSync(join(C, "v1")) || !existsSync(join(C, "v2"))) {
  console.error(`corpus ${corpus} not found in ${corpusDir}: run bash ../shared/bench/corpus.sh ${corpus}`);
  process.exit(1);
}
for (const pkg of ["engine", "repository", "storage"]) {
  if (!existsSync(dist(pkg))) {
    console.error(`packages/${pkg} is not built: run npx pnpm@10.34.9 --filter @cairn/engine... build`);
    process.exit(1);
  }
}
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, "repo"), { recursive: true });
const src = join(work, "src");
const repoDir = join(work, "repo");
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
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--step", kind, repoDir, src, workers], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`step ${kind} failed with ${r.status}`);
  }
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

runStep("init");
const rows = [];
for (const [name, prepare] of [
  ["backup.initial", () => undefined],
  ["backup.incremental", () => execFileSync("rsync", ["-a", "--delete", "--checksum", `${join(C, "v2")}/`, `${src}/`])],
  ["backup.nochange", () => undefined],
]) {
  prepare();
  const expected = treeSize(src);
  const r = runStep("backup");
  if (r.files !== expected.files || r.bytes !== expected.bytes || r.errors !== 0) {
    throw new Error(`${name}: snapshot has ${r.files} files / ${r.bytes} bytes / ${r.errors} errors, the source ${expected.files} / ${expected.bytes}`);
  }
  const row = { name, corpus, mbps: +(expected.bytes / 1e6 / r.seconds).toFixed(1), seconds: +r.seconds.toFixed(3), cpu_s: +r.cpu_s.toFixed(2), max_rss_kb: r.max_rss_kb, files: r.files, bytes: r.bytes, bytes_added: r.bytes_added, repo_bytes: duBytes(repoDir), workers: workers === "-" ? null : Number(workers), cold };
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
  else console.error(`${name.padEnd(20)} ${String(row.mbps).padStart(8)} MB/s ${row.seconds.toFixed(2).padStart(8)} s  cpu ${row.cpu_s.toFixed(1)} s  rss ${(row.max_rss_kb / 1024).toFixed(0)} MiB  added ${(row.bytes_added / 1e6).toFixed(1)} MB  repo ${(row.repo_bytes / 1e6).toFixed(1)} MB`);
}
if (!process.argv.includes("--keep")) rmSync(work, { recursive: true, force: true });
