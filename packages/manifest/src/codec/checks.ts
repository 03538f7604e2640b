// Field checks for the encoder: a wrong JavaScript type is a TypeError (misuse), a value that
// breaks a format rule is a ManifestError with the same code and wording the decoder uses for
// the same fault, so "we never write it" and "we never accept it" are one rule.
// Each check takes the field as (base, name) and joins them only when it throws: the encoder
// validates millions of fields and should not build a path string for each.
import { ManifestError } from "../errors.js";
import { isLowerHex, isWellFormedString, utf8Length } from "../internal/bytes.js";
import { describe, isBytes } from "../internal/validate.js";
import { ID_LENGTH } from "../ids.js";

/** `base.name`, `base[i]` (name "[i]") or `base` (name ""). */
export function join(base: string, name: string): string {
  return name === "" ? base : name.startsWith("[") ? base + name : `${base}.${name}`;
}

export function uintField(base: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new TypeError(`${join(base, name)}: expected an integer, got ${describe(value)}`);
  if (value > max) throw new ManifestError("out-of-range", join(base, name), `must be at most ${max}, got ${value}`);
  if (value < min) throw new ManifestError("out-of-range", join(base, name), `must be at least ${min}, got ${value}`);
  return value;
}

export function bigField(base: string, name: string, value: unknown, min: bigint, max: bigint): bigint {
  if (typeof value !== "bigint") throw new TypeError(`${join(base, name)}: expected a bigint, got ${describe(value)}`);
  if (value < min || value > max) throw new ManifestError("out-of-range", join(base, name), `must be in ${min}..${max}, got ${value}`);
  return value;
}

export function bytesField(base: string, name: string, value: unknown, min: number, max: number): Uint8Array {
  if (!isBytes(value)) throw new TypeError(`${join(base, name)}: expected Uint8Array, got ${describe(value)}`);
  if (value.length > max) throw new ManifestError("limit-exceeded", join(base, name), `bytes must be at most ${max} bytes, got ${value.length}`);
  if (value.length < min) throw new ManifestError("out-of-range", join(base, name), min === 1 ? "bytes must not be empty" : `bytes must be at least ${min} bytes, got ${value.length}`);
  return value;
}

export function textField(base: string, name: string, value: unknown, min: number, max: number): string {
  if (typeof value !== "string") throw new TypeError(`${join(base, name)}: expected a string, got ${describe(value)}`);
  if (!isWellFormedString(value)) throw new ManifestError("invalid-utf8", join(base, name), "the string has a lone UTF-16 surrogate, which has no UTF-8 form");
  const n = utf8Length(value);
  if (n > max) throw new ManifestError("limit-exceeded", join(base, name), `text must be at most ${max} bytes, got ${n}`);
  if (n < min) throw new ManifestError("out-of-range", join(base, name), min === 1 ? "text must not be empty" : `text must be at least ${min} bytes, got ${n}`);
  return value;
}

export function arrayField(base: string, name: string, value: unknown, max: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${join(base, name)}: expected an array, got ${describe(value)}`);
  if (value.length > max) throw new ManifestError("limit-exceeded", join(base, name), `at most ${max} items allowed, got ${value.length}`);
  return value;
}

export function objectField(base: string, name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError(`${join(base, name)}: expected an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

/** A branded ID given as text, checked to be 64 lowercase hex digits (write it with `Writer.hexBytes`). */
export function idField(base: string, name: string, value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`${join(base, name)}: expected an ID string, got ${describe(value)}`);
  if (!isLowerHex(value, ID_LENGTH)) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    throw new ManifestError("wrong-type", join(base, name), `expected 64 lowercase hex digits, got ${JSON.stringify(shown)} (${value.length} characters)`);
  }
  return value;
}

/** True unless `value` is null or undefined (both mean "absent"). */
export function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
