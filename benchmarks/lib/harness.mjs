// A small benchmark harness: seeded inputs, a check of every result before any timing, medians
// of several timed runs, MB = 10^6 bytes. Output is a table, or with --json one object per line:
//   {"name": "...", "mbps": <median>, "min": ..., "max": ..., "runs": n, "noisy": k}
//
// These machines are shared: a run during which other processes kept more than half a core busy
// (read from /proc/stat against our own CPU time) is marked noisy and repeated, up to a limit.
import { createCipheriv } from "node:crypto";
import { readFileSync } from "node:fs";

export const MiB = 1 << 20;

export function parseArgs(argv = process.argv.slice(2)) {
  const quick = argv.includes("--quick") || process.env.CAIRN_BENCH_QUICK === "1";
  const filterAt = argv.indexOf("--filter");
  return {
    json: argv.includes("--json"),
    quick,
    filter: filterAt >= 0 ? new RegExp(argv[filterAt + 1]) : null,
    runs: quick ? 3 : 7,
    bytes: (quick ? 16 : 64) * MiB,
  };
}

/** Deterministic pseudo-random bytes: the AES-256-CTR keystream of a key derived from `seed`. */
export function seededBytes(length, seed = 1) {
  const key = Buffer.alloc(32);
  key.writeUInt32BE(seed >>> 0, 0);
  const cipher = createCipheriv("aes-256-ctr", key, Buffer.alloc(16));
  const out = new Uint8Array(length);
  const zeros = new Uint8Array(MiB);
  for (let at = 0; at < length; at += MiB) out.set(cipher.update(zeros.subarray(0, Math.min(MiB, length - at))), at);
  return out;
}

function cpuJiffies() {
  try {
    const [cpu] = readFileSync("/proc/stat", "utf8").split("\n");
    const f = cpu.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}
const HZ = 100; // USER_HZ on Linux

async function timeOnce(fn) {
  globalThis.gc?.();
  const j0 = cpuJiffies();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const j1 = cpuJiffies();
  let foreignCores = 0;
  if (j0 && j1) {
    const busySeconds = (j1.busy - j0.busy) / HZ;
    const ownSeconds = (c.user + c.system) / 1e6;
    foreignCores = Math.max(0, busySeconds - ownSeconds) / seconds;
  }
  return { seconds, noisy: seconds > 0.05 && foreignCores > 0.5 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs the cases in order. Each case: { name, bytes, check(): Promise<void> | void, run(): Promise<void> | void }.
 * `check` runs first and must throw if the result is wrong; then one warm-up and `runs` timed runs.
 */
export async function runSuite(cases, options) {
  const results = [];
  for (const c of cases) {
    if (options.filter && !options.filter.test(c.name)) continue;
    await c.check();
    await c.run(); // warm-up (JIT tiers, WASM tier-up, allocations)
    const mbps = [];
    let noisy = 0;
    while (mbps.length < options.runs) {
      const { seconds, noisy: isNoisy } = await timeOnce(c.run);
      if (isNoisy && noisy < options.runs) {
        noisy++;
        continue;
      }
      mbps.push(c.bytes / 1e6 / seconds);
    }
    const r = { name: c.name, mbps: round(median(mbps)), min: round(Math.min(...mbps)), max: round(Math.max(...mbps)), runs: mbps.length, noisy };
    results.push(r);
    if (options.json) console.log(JSON.stringify(r));
    else console.log(`  ${r.name.padEnd(28)} ${String(r.mbps).padStart(9)} MB/s  (min ${r.min}, max ${r.max}, ${r.runs} runs${noisy ? `, ${noisy} noisy runs repeated` : ""})`);
  }
  return results;
}

const round = (x) => Math.round(x * 10) / 10;

export function assertEqualBytes(a, b, what) {
  if (a.length !== b.length || Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) !== 0) {
    throw new Error(`benchmark check failed: ${what} differs from the reference`);
  }
}

/** Prints ratios the issues ask for, from one run's results. */
export function printRatios(results, ratios) {
  const by = new Map(results.map((r) => [r.name, r.mbps]));
  for (const [num, den, goal] of ratios) {
    if (!by.has(num) || !by.has(den)) continue;
    const ratio = Math.round((by.get(num) / by.get(den)) * 100) / 100;
    const line = { ratio: `${num} / ${den}`, value: ratio, goal, met: ratio >= goal };
    console.log(`  ${line.ratio.padEnd(42)} ${String(ratio).padStart(6)}  (goal >= ${goal}: ${line.met ? "met" : "NOT met"})`);
  }
}
