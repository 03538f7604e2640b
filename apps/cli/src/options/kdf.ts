// `--kdf`: the password KDF of a new key slot. The default (calibrated Argon2id, ~0.5 s here) is
// right for people; explicit parameters are for machines much slower or faster than the one
// that creates the slot, and for tests that open a repository many times.
//   argon2id                       calibrated to ~500 ms (the default)
//   argon2id:500ms / scrypt:1s      calibrated to that target
//   argon2id:m=65536,t=3[,p=1]     fixed: memory in KiB, iterations, lanes
//   scrypt:logN=16[,r=8,p=1]       fixed
import { KDF_LIMITS, type KdfChoice } from "@cairn/repository";
import { InvalidArgumentError } from "commander";

function bad(spec: string, why: string): never {
  throw new InvalidArgumentError(`${why} in ${JSON.stringify(spec)} (expected argon2id, argon2id:500ms, argon2id:m=KiB,t=N[,p=N] or scrypt:logN=N[,r=N,p=N])`);
}

function duration(spec: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!m) bad(spec, `bad duration ${JSON.stringify(text)}`);
  const ms = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  if (!(ms >= 10 && ms <= 60_000)) bad(spec, "calibration target must be between 10ms and 60s");
  return ms;
}

/** Parses a --kdf value (commander argument parser). */
export function parseKdf(spec: string): KdfChoice {
  const [algorithm, params = ""] = spec.split(":", 2) as [string, string?];
  if (algorithm !== "argon2id" && algorithm !== "scrypt") bad(spec, `unknown algorithm ${JSON.stringify(algorithm)}`);
  if (params === "") return { algorithm, calibrate: { targetMs: 500 } };
  if (!params.includes("=")) return { algorithm, calibrate: { targetMs: duration(spec, params) } };
  const fields = new Map<string, number>();
  for (const part of params.split(",")) {
    const [k, v] = part.split("=", 2) as [string, string?];
    if (v === undefined || !/^\d+$/.test(v)) bad(spec, `bad parameter ${JSON.stringify(part)}`);
    fields.set(k, Number(v));
  }
  const take = (k: string, fallback?: number, lo = 1, hi = Number.MAX_SAFE_INTEGER): number => {
    const v = fields.get(k) ?? fallback;
    if (v === undefined) bad(spec, `missing ${k}=`);
    if (v < lo || v > hi) bad(spec, `${k}=${v} is outside ${lo}..${hi}`);
    fields.delete(k);
    return v;
  };
  const choice: KdfChoice =
    algorithm === "argon2id"
      ? { algorithm, memoryKiB: take("m", undefined, 8, KDF_LIMITS.maxMemoryKiB), iterations: take("t", undefined, 1, KDF_LIMITS.maxIterations), parallelism: take("p", 1, 1, KDF_LIMITS.maxParallelism) }
      : { algorithm, logN: take("logN", undefined, 1, KDF_LIMITS.maxLogN), r: take("r", 8, 1, KDF_LIMITS.maxR), p: take("p", 1, 1, KDF_LIMITS.maxP) };
  if (fields.size > 0) bad(spec, `unknown parameter ${[...fields.keys()].join(", ")}`);
  return choice;
}
