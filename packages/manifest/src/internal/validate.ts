// Argument checks for misuse: a value of the wrong JavaScript type is a programming error and
// throws TypeError saying what was expected and what was given (the same convention as
// @cairn/core). Values of the right type that break a format rule throw ManifestError instead.

/**
 * True for a Uint8Array (Node's Buffer included), also one made in another realm (an iframe, a
 * vm context), where `instanceof` alone says no.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor?.name === "Uint8Array");
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (isBytes(value)) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return "array";
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/** @throws {TypeError} unless `value` is a Uint8Array (Node's Buffer is one). */
export function bytes(name: string, value: unknown): Uint8Array {
  if (!isBytes(value)) throw new TypeError(`${name}: expected Uint8Array, got ${describe(value)}`);
  return value;
}

/** @throws {TypeError} unless `value` is a string. */
export function text(name: string, value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`${name}: expected a string, got ${describe(value)}`);
  return value;
}

/** @throws {TypeError} unless `value` is a bigint. */
export function bigint(name: string, value: unknown): bigint {
  if (typeof value !== "bigint") throw new TypeError(`${name}: expected a bigint, got ${describe(value)}`);
  return value;
}

/** @throws {TypeError} unless `value` is an integer number. */
export function integer(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new TypeError(`${name}: expected an integer, got ${describe(value)}`);
  return value;
}

/** @throws {TypeError} unless `value` is an array. */
export function array<T>(name: string, value: unknown): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${name}: expected an array, got ${describe(value)}`);
  return value as readonly T[];
}

/** @throws {TypeError} unless `value` is a non-null object. */
export function object<T extends object>(name: string, value: unknown): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`${name}: expected an object, got ${describe(value)}`);
  return value as T;
}
