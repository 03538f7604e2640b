// Argument checks shared by every backend and wrapper: misuse is a TypeError or RangeError that
// says what was expected and what was given, thrown before any I/O.
import type { ByteRange } from "../storage.js";

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === "number") return String(value);
  return typeof value;
}

/**
 * @throws {TypeError} unless `value` is a Uint8Array (Node's Buffer is one), also one made in
 * another realm (an iframe, a vm context, a jsdom test environment), where `instanceof` fails.
 */
export function bytes(name: string, value: unknown): Uint8Array {
  const isBytes = value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === "[object Uint8Array]");
  if (!isBytes) throw new TypeError(`${name}: expected Uint8Array, got ${describe(value)}`);
  return value as Uint8Array;
}

/** @throws {TypeError|RangeError} unless `value` is an integer in [min, max]. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new TypeError(`${name}: expected an integer, got ${describe(value)}`);
  if (value < min || value > max) throw new RangeError(`${name}: expected ${min}..${max}, got ${value}`);
  return value;
}

/** @throws {TypeError|RangeError} unless `value` is a finite number in [min, max]. */
export function number(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError(`${name}: expected a number, got ${describe(value)}`);
  if (value < min || value > max) throw new RangeError(`${name}: expected ${min}..${max}, got ${value}`);
  return value;
}

/**
 * Checks an optional `get` range: an object with non-negative safe-integer `offset` and
 * `length` whose end is a safe integer too.
 * @throws {TypeError|RangeError} otherwise.
 */
export function byteRange(value: unknown): ByteRange | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) throw new TypeError(`range: expected {offset, length}, got ${describe(value)}`);
  const { offset, length } = value as Record<string, unknown>;
  const o = integer("range.offset", offset, 0, Number.MAX_SAFE_INTEGER);
  const l = integer("range.length", length, 0, Number.MAX_SAFE_INTEGER - o);
  return { offset: o, length: l };
}
