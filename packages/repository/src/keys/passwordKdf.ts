// Passphrase → 32-byte key-encryption key, with the algorithm and parameters stored in each key
// slot so they can be raised later without touching data (PRIOR-ART §4.6).
//
// Default: Argon2id (RFC 9106) through hash-wasm's WebAssembly build. Why (numbers in
// FORMAT.md §3.2 and the package README):
//  - the same WASM runs in Node and in browsers, so the unlock time calibrated here holds for a
//    browser restore too (Node 20 has no native Argon2; its native scrypt was no faster than
//    hash-wasm's scrypt on this machine: 530 vs 496 ms at N=2^16);
//  - Argon2id is memory-hard with a data-independent first pass: the RFC 9106 / OWASP first choice;
//  - pure-JS @noble/hashes is 3–5× slower and is used only as the independent implementation in tests.
// scrypt (RFC 7914, also hash-wasm) is accepted and can be chosen for new slots.
import { argon2id, scrypt } from "hash-wasm";
import { randomBytes } from "../internal/bytes.js";

export type KdfParams =
  | { readonly algorithm: "argon2id"; readonly memoryKiB: number; readonly iterations: number; readonly parallelism: number; readonly salt: Uint8Array }
  | { readonly algorithm: "scrypt"; readonly logN: number; readonly r: number; readonly p: number; readonly salt: Uint8Array };

export type KdfAlgorithm = KdfParams["algorithm"];

/** What calibration measured, recorded in the slot for operators. */
export interface KdfCalibration {
  readonly targetMs: number;
  /** Duration of the derivation that created the slot, on the machine that created it. */
  readonly measuredMs: number;
}

export const KDF_SALT_LENGTH = 32;
/** Argon2id memory used when calibrating: 64 MiB (RFC 9106's second recommendation). */
const ARGON2_MEMORY_KIB = 64 * 1024;
/** Never below OWASP's Argon2id minimum (19 MiB), even on a very slow machine. */
const ARGON2_MIN_MEMORY_KIB = 19 * 1024;

/** Bounds a slot's parameters must respect: a hostile slot must not make unlock eat the machine. */
export const KDF_LIMITS = { maxMemoryKiB: 2 * 1024 * 1024, maxIterations: 64, maxParallelism: 16, maxLogN: 22, maxR: 32, maxP: 16 } as const;

/** Why `params` is out of bounds, or undefined if it is acceptable. */
export function kdfParamsProblem(params: KdfParams): string | undefined {
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!(params.salt instanceof Uint8Array) || params.salt.length !== KDF_SALT_LENGTH) return `salt must be ${KDF_SALT_LENGTH} bytes`;
  if (params.algorithm === "argon2id") {
    if (!int(params.parallelism, 1, KDF_LIMITS.maxParallelism)) return `parallelism ${params.parallelism} outside 1..${KDF_LIMITS.maxParallelism}`;
    if (!int(params.memoryKiB, 8 * params.parallelism, KDF_LIMITS.maxMemoryKiB)) return `memoryKiB ${params.memoryKiB} outside ${8 * params.parallelism}..${KDF_LIMITS.maxMemoryKiB}`;
    if (!int(params.iterations, 1, KDF_LIMITS.maxIterations)) return `iterations ${params.iterations} outside 1..${KDF_LIMITS.maxIterations}`;
    return undefined;
  }
  if (params.algorithm === "scrypt") {
    if (!int(params.logN, 1, KDF_LIMITS.maxLogN)) return `logN ${params.logN} outside 1..${KDF_LIMITS.maxLogN}`;
    if (!int(params.r, 1, KDF_LIMITS.maxR)) return `r ${params.r} outside 1..${KDF_LIMITS.maxR}`;
    if (!int(params.p, 1, KDF_LIMITS.maxP)) return `p ${params.p} outside 1..${KDF_LIMITS.maxP}`;
    return undefined;
  }
  return `unknown algorithm ${JSON.stringify((params as { algorithm: unknown }).algorithm)}`;
}

/**
 * The 32-byte key-encryption key for `passphrase` (UTF-8 of a string, or raw bytes).
 * @throws {RangeError} if `params` is out of bounds (see `KDF_LIMITS`).
 */
export async function deriveKek(passphrase: string | Uint8Array, params: KdfParams): Promise<Uint8Array> {
  const problem = kdfParamsProblem(params);
  if (problem) throw new RangeError(`KDF parameters: ${problem}`);
  const password = typeof passphrase === "string" ? new TextEncoder().encode(passphrase) : passphrase;
  if (params.algorithm === "argon2id") {
    return argon2id({ password, salt: params.salt, iterations: params.iterations, parallelism: params.parallelism, memorySize: params.memoryKiB, hashLength: 32, outputType: "binary" });
  }
  return scrypt({ password, salt: params.salt, costFactor: 2 ** params.logN, blockSize: params.r, parallelism: params.p, hashLength: 32, outputType: "binary" });
}

/** Fixed parameters (no calibration), e.g. for tests or for a caller that knows its target machine. */
export type KdfChoice =
  | { readonly algorithm: "argon2id"; readonly memoryKiB: number; readonly iterations: number; readonly parallelism?: number }
  | { readonly algorithm: "scrypt"; readonly logN: number; readonly r?: number; readonly p?: number }
  | { readonly algorithm: KdfAlgorithm; readonly calibrate: { readonly targetMs: number } };

async function timeMs(f: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

/**
 * Fresh parameters (new salt) for a slot. With `calibrate`, measures this machine and picks the
 * cost so one derivation takes about `targetMs`:
 *  - argon2id: 64 MiB, parallelism 1 (WASM is single-threaded, so more lanes would only help an
 *    attacker); one pass is timed (best of two), the pass count scaled to the target, that
 *    estimate timed (best of two) and corrected once by the measured ratio. Best of two because
 *    other load only ever slows a run down, and a slowed run would calibrate too low a cost; if a single pass is already slower
 *    than the target, memory is scaled down instead (not below 19 MiB);
 *  - scrypt: r = 8, p = 1, N doubled from 2^14 until a derivation takes at least the target/2
 *    (restic's method; runs near the decision timed best of two), then one more doubling if that
 *    lands closer to the target.
 */
export async function chooseKdfParams(choice: KdfChoice): Promise<KdfParams> {
  const salt = randomBytes(KDF_SALT_LENGTH);
  if (!("calibrate" in choice)) {
    return choice.algorithm === "argon2id"
      ? { algorithm: "argon2id", memoryKiB: choice.memoryKiB, iterations: choice.iterations, parallelism: choice.parallelism ?? 1, salt }
      : { algorithm: "scrypt", logN: choice.logN, r: choice.r ?? 8, p: choice.p ?? 1, salt };
  }
  const target = choice.calibrate.targetMs;
  const probe = randomBytes(16);
  if (choice.algorithm === "argon2id") {
    const pass = (memoryKiB: number) => deriveKek(probe, { algorithm: "argon2id", memoryKiB, iterations: 1, parallelism: 1, salt });
    const t1 = Math.min(await timeMs(() => pass(ARGON2_MEMORY_KIB)), await timeMs(() => pass(ARGON2_MEMORY_KIB)));
    if (t1 >= target) {
      const memoryKiB = Math.max(ARGON2_MIN_MEMORY_KIB, Math.floor((ARGON2_MEMORY_KIB * target) / t1 / 1024) * 1024);
      return { algorithm: "argon2id", memoryKiB, iterations: 1, parallelism: 1, salt };
    }
    // Passes after the first are cheaper (memory is already allocated and warm), so scale once
    // from one pass, time the estimate, and correct it by the measured ratio.
    const clamp = (t: number) => Math.min(KDF_LIMITS.maxIterations, Math.max(1, Math.round(t)));
    let iterations = clamp(target / t1);
    const estimate = () => deriveKek(probe, { algorithm: "argon2id", memoryKiB: ARGON2_MEMORY_KIB, iterations, parallelism: 1, salt });
    const tn = Math.min(await timeMs(estimate), await timeMs(estimate));
    iterations = clamp((iterations * target) / tn);
    return { algorithm: "argon2id", memoryKiB: ARGON2_MEMORY_KIB, iterations, parallelism: 1, salt };
  }
  let logN = 14;
  const time = async (n: number) => {
    const run = () => deriveKek(probe, { algorithm: "scrypt", logN: n, r: 8, p: 1, salt });
    const once = await timeMs(run);
    return once < target / 4 ? once : Math.min(once, await timeMs(run)); // best of two where it decides
  };
  let t = await time(logN);
  while (t < target / 2 && logN < 20) {
    logN++;
    t = await time(logN);
  }
  if (t < target && logN < 20 && Math.abs(2 * t - target) < Math.abs(t - target)) logN++;
  return { algorithm: "scrypt", logN, r: 8, p: 1, salt };
}
