// Argument parsers for numbers and sizes that fail with commander's InvalidArgumentError, so a
// malformed value is a usage error (exit code 2) that names the option.
import { InvalidArgumentError } from "commander";

/** A non-negative integer ("0", "7"). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${value} is too large`);
  return n;
}

/** A count that may also be "unlimited"/"all" (restic's -1): Infinity. */
export function parseKeepCount(value: string): number {
  if (value === "unlimited" || value === "all" || value === "-1") return Infinity;
  return parseCount(value);
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** A size in bytes: "16MiB", "512k", "4096". */
export function parseSize(value: string): number {
  const m = /^(\d+)\s*([a-zA-Z]*)$/.exec(value.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InvalidArgumentError(`expected a size such as 16MiB, 512KiB or 4096, got ${JSON.stringify(value)}`);
  return Number(m[1]) * unit;
}

/** A TCP port 0..65535. */
export function parsePort(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > 65535) throw new InvalidArgumentError(`expected a port number 0-65535, got ${JSON.stringify(value)}`);
  return n;
}
