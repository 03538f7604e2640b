// Resolving a requested range against an object's size, identically in every backend.
import { RangeNotSatisfiableError } from "../errors.js";
import type { ByteRange } from "../storage.js";

/**
 * Returns `[start, end)` of the bytes to read: the whole object without a range, else the range,
 * which must lie inside the object.
 * @throws {RangeNotSatisfiableError} if `offset + length > size`.
 */
export function resolveRange(key: string, size: number, range: ByteRange | undefined): [start: number, end: number] {
  if (range === undefined) return [0, size];
  if (range.offset + range.length > size) throw new RangeNotSatisfiableError(key, size, range.offset, range.length);
  return [range.offset, range.offset + range.length];
}
