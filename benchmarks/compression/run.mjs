#!/usr/bin/env node
// Which codec should the blob envelope use (issue 3)? Measures candidate codecs and levels on
// real data, blob by blob as the repository compresses: a seeded sample of the blobs that
// Cairn's chunker (CHUNKER_PRESETS.large, the repository default) cuts from the shared bench
// corpus. Every codec's output is decoded and compared with the input before anything is timed.
//
//   node benchmarks/compression/run.mjs [--json] [--quick] [--filter REGEX]
//                                      [--corpus DIR] [--sample-mb N] [--runs N]
//
// Build the corpus first: bash /work/shared/bench/corpus.sh small (default DIR:
// /tmp/bench-corpus/small/v1). Output: a table on stdout; with --json, one object per line on
// stdout and the table on stderr:
//   {"name": "zstd-3", "op": "compress"|"decompress", "mbps": <median MB/s of plaintext>,
//    "ratio": <plaintext bytes / stored bytes>, ...}
// "ratio" applies the repository's rule (a blob is stored compressed only if that saves at least
// 1/32 of it, else raw), so it is what a repository would store. MB = 10^6 bytes; single thread.
//
// Candidates: zstd (@bokuweb/zstd-wasm: the reference C library as WebAssembly, what the
// repository ships; decodes in browsers) at several levels, decoded by the same WASM and by
// fzstd (pure JS); node:zlib gzip and brotli as yardsticks (gzip/deflate also decode natively in
// browsers through DecompressionStream); and "none".
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants as zc, gzipSync, gunzipSync } from "node:zlib";
import { CHUNKER_PRESETS, chunkBoundaries } from "@cairn/core";

// The codecs are the repository's dependencies: resolve them where the repository does.
const requireFromRepository = createRequire(new URL("../../packages/repository/package.json", import.meta.url));
const zstd = requireFromRepository("@bokuweb/zstd-wasm");
const fzstd = requireFromRepository("fzstd");

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : fallback;
};
const quick = argv.includes("--quick") || process.env.CAIRN_BENCH_QUICK === "1";
const json = argv.includes("--json");
const filter = arg("--filter") ? new RegExp(arg("--filter")) : null;
const corpus = arg("--corpus", "/tmp/bench-corpus/small/v1");
const sampleBytes = Number(arg("--sample-mb", quick ? 16 : 64)) * 1e6;
const runs = Number(arg("--runs", quick ? 1 : 3));

// ---- the sample: blobs as the repository would store them ----

async function listFiles(dir) {
  const out = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** FNV-1a of a string: the seeded, order-independent choice of which blobs are sampled. */
function fnv(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

async function sampleBlobs() {
  const files = await listFiles(corpus);
  if (files.length === 0) throw new Error(`no files under ${corpus}: run bash /work/shared/bench/corpus.sh small first`);
  let total = 0;
  for (const f of files) total += (await stat(f)).size;
  const keep = Math.min(1, sampleBytes / total);
  const key = new Uint8Array(32).fill(7); // the chunker secret: any fixed key gives realistic cut sizes
  const params = CHUNKER_PRESETS.large;
  const blobs = [];
  for (const f of files) {
    const data = new Uint8Array(await readFile(f));
    const cuts = data.length <= params.minSize ? [data.length] : await chunkBoundaries(key, params, data);
    let prev = 0;
    cuts.forEach((cut, i) => {
      if (fnv(`${f.slice(corpus.length)}:${i}`) / 2 ** 32 < keep) blobs.push(data.slice(prev, cut));
      prev = cut;
    });
  }
  return { blobs, files: files.length, total };
}

// ---- codecs ----

await zstd.init();
const cctx = zstd.createCCtx();
const NO_DICT = new Uint8Array(0);

/** name, encode(blob) -> bytes, decoders: [[label, decode(bytes, rawLength) -> bytes]] */
const CODECS = [
  { name: "none", encode: (b) => b, decoders: [["copy", (b) => b.slice()]], identity: true },
  ...[1, 3, 6, 9, 19].map((level) => ({
    name: `zstd-${level}`,
    slow: level >= 15,
    encode: (b) => zstd.compressUsingDict(cctx, b, NO_DICT, level),
    decoders: [
      ["zstd-wasm", (b) => zstd.decompress(b)],
      ...(level === 3 ? [["fzstd (pure JS)", (b, n) => fzstd.decompress(b, new Uint8Array(n))]] : []),
    ],
  })),
  ...[1, 6, 9].map((level) => ({ name: `gzip-${level}`, encode: (b) => gzipSync(b, { level }), decoders: [["node:zlib", (b) => gunzipSync(b)]] })),
  ...[1, 5, 9].map((quality) => ({
    name: `brotli-${quality}`,
    encode: (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: quality, [zc.BROTLI_PARAM_SIZE_HINT]: b.length } }),
    decoders: [["node:zlib", (b) => brotliDecompressSync(b)]],
  })),
];

/** The repository's rule: keep the compressed form only if it saves at least 1/32 (compression.ts). */
const worthIt = (raw, packed) => raw.length >= 64 && packed.length <= raw.length - (raw.length >> 5);

function equal(a, b) {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/** CPU jiffies of the whole machine (busy, total) from /proc/stat, or null off Linux. */
function cpuJiffies() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { busy: f.reduce((a, b) => a + b, 0) - f[3] - (f[4] ?? 0) };
  } catch {
    return null;
  }
}

/**
 * Median seconds of `repeat` runs of `fn`. These machines are shared: a run during which other
 * processes kept more than half a core busy (machine CPU time from /proc/stat minus our own) is
 * counted as noisy and repeated, up to `repeat` extra times (as benchmarks/lib/harness.mjs does).
 */
function timed(fn, repeat) {
  const seconds = [];
  let noisy = 0;
  while (seconds.length < repeat) {
    globalThis.gc?.();
    const j0 = cpuJiffies();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const j1 = cpuJiffies();
    const foreign = j0 && j1 ? Math.max(0, (j1.busy - j0.busy) / 100 - (c.user + c.system) / 1e6) / s : 0;
    if (s > 0.05 && foreign > 0.5 && noisy < repeat) {
      noisy++;
      continue;
    }
    seconds.push(s);
  }
  seconds.sort((a, b) => a - b);
  return { seconds: seconds[Math.floor(seconds.length / 2)], noisy };
}

/** The human table: stdout, or stderr when stdout carries JSON lines. */
const table = (line) => (json ? process.stderr : process.stdout).write(`${line}\n`);

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const { blobs, files, total } = await sampleBlobs();
const rawBytes = blobs.reduce((n, b) => n + b.length, 0);
const header = { corpus, files, corpusBytes: total, sampleBlobs: blobs.length, sampleBytes: rawBytes, runs, node: process.version, loadavg1: round(loadavg()[0], 2) };
if (json) console.log(JSON.stringify({ name: "sample", ...header }));
{
  table(`compression on ${corpus}: ${files} files, ${round(total / 1e6)} MB; sample ${blobs.length} blobs, ${round(rawBytes / 1e6)} MB (chunker ${JSON.stringify(CHUNKER_PRESETS.large)}), ${runs} timed runs, ${process.version}, load average ${header.loadavg1} on 2 cores`);
  table(`  ${"codec".padEnd(12)} ${"ratio".padStart(6)} ${"compressed".padStart(11)} ${"raw-ratio".padStart(9)} ${"compress MB/s".padStart(14)}  decompress MB/s`);
}

const rows = [];
for (const codec of CODECS) {
  if (filter && !filter.test(codec.name)) continue;
  const packed = blobs.map((b) => codec.encode(b));
  // Check every output before timing anything.
  for (const [label, decode] of codec.decoders) {
    packed.forEach((p, i) => {
      if (!equal(decode(p, blobs[i].length), blobs[i])) throw new Error(`${codec.name}/${label}: blob ${i} does not round-trip`);
    });
  }
  const stored = packed.map((p, i) => (codec.name !== "none" && worthIt(blobs[i], p) ? p : null));
  const storedBytes = stored.reduce((n, p, i) => n + (p ? p.length : blobs[i].length), 0);
  const packedBytes = packed.reduce((n, p) => n + p.length, 0);
  const ratio = round(rawBytes / storedBytes, 3);
  const compressedShare = round(stored.filter(Boolean).length / blobs.length, 3);
  const compressedByteShare = round(stored.reduce((n, p, i) => n + (p ? blobs[i].length : 0), 0) / rawBytes, 3);
  const repeat = codec.slow ? 1 : runs;
  if (!codec.slow) codec.encode(blobs[0]); // warm-up
  const compress = timed(() => {
    for (const b of blobs) codec.encode(b);
  }, repeat);
  const row = { name: codec.name, op: "compress", mbps: round(rawBytes / 1e6 / compress.seconds), ratio, rawRatio: round(rawBytes / packedBytes, 3), compressedShare, compressedByteShare, runs: repeat, noisy: compress.noisy };
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
  const decodeSpeeds = [];
  for (const [label, decode] of codec.decoders) {
    // What a reader does: decode the blobs stored compressed; raw ones cost a copy.
    const t = timed(() => {
      stored.forEach((p, i) => (p ? decode(p, blobs[i].length) : blobs[i].slice()));
    }, repeat);
    const d = { name: codec.name, op: "decompress", decoder: label, mbps: round(rawBytes / 1e6 / t.seconds), ratio, runs: repeat, noisy: t.noisy };
    rows.push(d);
    decodeSpeeds.push(`${d.mbps} (${label})`);
    if (json) console.log(JSON.stringify(d));
  }
  const noise = rows.slice(-1 - codec.decoders.length).reduce((n, r) => n + r.noisy, 0);
  table(`  ${codec.name.padEnd(12)} ${String(ratio).padStart(6)} ${`${round(compressedShare * 100)}%/${round(compressedByteShare * 100)}%`.padStart(11)} ${String(row.rawRatio).padStart(9)} ${(codec.identity ? "-" : String(row.mbps)).padStart(14)}  ${decodeSpeeds.join(", ")}${noise ? `  [${noise} noisy runs repeated]` : ""}`);
}
table("  ratio: plaintext / stored with the 1/32 rule; compressed: share of blobs / of bytes stored compressed; raw-ratio: without the rule; MB/s of plaintext, one thread");
