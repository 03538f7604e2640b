// Argument checks shared by every public entry point: misuse is a TypeError or RangeError that
// says what was expected and what was given, thrown before any work is done.

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (isUint8Array(value)) return `Uint8Array(${value.length})`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/**
 * True for a Uint8Array from any realm (an iframe's or a vm context's fails `instanceof`) and
 * for Node's Buffer, which is a Uint8Array.
 */
export function isUint8Array(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === "[object Uint8Array]");
}

/** @throws {TypeError} unless `value` is a Uint8Array (Node's Buffer is one). */
export function bytes(name: string, value: unknown): Uint8Array {
  if (!isUint8Array(value)) throw new TypeError(`${name}: expected Uint8Array, got ${describe(value)}`);
  return value;
}

/** @throws {TypeError|RangeError} unless `value` is a Uint8Array of exactly `length` bytes. */
export function bytesOfLength(name: string, value: unknown, length: number): Uint8Array {
  const b = bytes(name, value);
  if (b.length !== length) throw new RangeError(`${name}: expected ${length} bytes, got ${b.length}`);
  return b;
}

/**
 * A private copy of `value` in a fresh ArrayBuffer. Not `value.slice()`: on Node's Buffer that
 * returns a view of the same memory, so wiping the "copy" would wipe the caller's bytes.
 */
export function copyBytes(value: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(value.length);
  copy.set(value);
  return copy;
}

/** @throws {TypeError|RangeError} unless `value` is an integer in [min, max]. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new TypeError(`${name}: expected an integer, got ${describe(value)}`);
  if (value < min || value > max) throw new RangeError(`${name}: expected ${min}..${max}, got ${value}`);
  return value;
}
