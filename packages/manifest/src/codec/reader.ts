// Reads the canonical CBOR subset of FORMAT.md §7.2 and nothing else. Every read is bounds-
// checked against the input by hand (no DataView, so no RangeError can escape) and every
// failure is a ManifestError naming the field and the byte offset where the item starts.
//
// Hot path, so no allocation per item: the last head is kept in fields of the reader, and the
// field path for error messages is a stack of segments that is only joined when a read fails.
import { ManifestError, type ManifestErrorCode } from "../errors.js";
import { strictUtf8Decode } from "../internal/bytes.js";

export const MAJOR_UINT = 0;
export const MAJOR_NEGINT = 1;
export const MAJOR_BYTES = 2;
export const MAJOR_TEXT = 3;
export const MAJOR_ARRAY = 4;
export const MAJOR_MAP = 5;

const MAJOR_NAMES = ["an unsigned integer", "a negative integer", "bytes", "text", "an array", "a map", "a tag", "a float or simple value"];
const TWO_POW_32 = 0x1_0000_0000;

export class Reader {
  pos: number;
  /** Major type, argument (a number when it is a safe integer) and offset of the last head read. */
  major = 0;
  arg: number | bigint = 0;
  at = 0;
  /** Where the reader is: field names and array indexes, joined only for error messages. */
  private readonly segments: (string | number)[] = [];

  constructor(readonly input: Uint8Array, start: number, root: string) {
    this.pos = start;
    this.segments.push(root);
  }

  get remaining(): number {
    return this.input.length - this.pos;
  }

  /** Enters a field (name) or an array element (index) for error paths. */
  enter(segment: string | number): void {
    this.segments.push(segment);
  }

  leave(): void {
    this.segments.pop();
  }

  /** The full path of `field` (a name relative to where the reader is, or "" for here). */
  path(field = ""): string {
    let out = "";
    for (const s of this.segments) out += typeof s === "number" ? `[${s}]` : out === "" ? s : `.${s}`;
    return field === "" ? out : field.startsWith("[") ? out + field : `${out}.${field}`;
  }

  fail(code: ManifestErrorCode, field: string, detail: string, at: number): never {
    throw new ManifestError(code, this.path(field), detail, at);
  }

  /** Reads an item head, enforcing definite lengths, shortest-form arguments and majors 0..5. */
  head(field: string): void {
    const at = this.pos;
    const b = this.input;
    if (at >= b.length) this.fail("truncated", field, "the input ended where an item was expected", at);
    const ib = b[at]!;
    const major = ib >> 5;
    const info = ib & 31;
    this.at = at;
    this.major = major;
    if (major === 6) this.fail("malformed", field, "CBOR tags are not allowed", at);
    if (major === 7) this.fail("malformed", field, "floats, booleans, null and other simple values are not allowed", at);
    if (info < 24) {
      this.arg = info;
      this.pos = at + 1;
      return;
    }
    if (info === 31) this.fail("malformed", field, "indefinite-length items are not allowed", at);
    if (info >= 28) this.fail("malformed", field, `reserved additional information ${info}`, at);
    const size = 1 << (info - 24); // 1, 2, 4 or 8 bytes of argument
    if (at + 1 + size > b.length) this.fail("truncated", field, `the input ended inside an item head (needs ${size} more bytes)`, at);
    let arg: number | bigint;
    let minimal: boolean;
    if (size === 1) {
      arg = b[at + 1]!;
      minimal = arg >= 24;
    } else if (size === 2) {
      arg = (b[at + 1]! << 8) | b[at + 2]!;
      minimal = arg >= 0x100;
    } else if (size === 4) {
      arg = b[at + 1]! * 0x100_0000 + ((b[at + 2]! << 16) | (b[at + 3]! << 8) | b[at + 4]!);
      minimal = arg >= 0x1_0000;
    } else {
      const hi = b[at + 1]! * 0x100_0000 + ((b[at + 2]! << 16) | (b[at + 3]! << 8) | b[at + 4]!);
      const lo = b[at + 5]! * 0x100_0000 + ((b[at + 6]! << 16) | (b[at + 7]! << 8) | b[at + 8]!);
      minimal = hi !== 0;
      arg = hi < 0x20_0000 ? hi * TWO_POW_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
    }
    if (!minimal) this.fail("malformed", field, `the argument ${arg} is not in its shortest form`, at);
    this.arg = arg;
    this.pos = at + 1 + size;
  }

  /** Reads a head and checks its major type. */
  expect(field: string, major: number): void {
    this.head(field);
    if (this.major !== major) this.fail("wrong-type", field, `expected ${MAJOR_NAMES[major]}, got ${MAJOR_NAMES[this.major]}`, this.at);
  }

  /** An unsigned integer in 0..max, as a number. */
  uint(field: string, max: number): number {
    this.expect(field, MAJOR_UINT);
    const v = this.arg;
    if (typeof v === "bigint" || v > max) this.fail("out-of-range", field, `must be at most ${max}, got ${v}`, this.at);
    return v;
  }

  /** An unsigned integer in 0..max, as a bigint. */
  bigUint(field: string, max: bigint): bigint {
    this.expect(field, MAJOR_UINT);
    const v = BigInt(this.arg);
    if (v > max) this.fail("out-of-range", field, `must be at most ${max}, got ${v}`, this.at);
    return v;
  }

  /** A signed integer in min..max (major type 0 or 1), as a bigint. */
  bigInt(field: string, min: bigint, max: bigint): bigint {
    this.head(field);
    if (this.major !== MAJOR_UINT && this.major !== MAJOR_NEGINT) this.fail("wrong-type", field, `expected an integer, got ${MAJOR_NAMES[this.major]}`, this.at);
    const v = this.major === MAJOR_UINT ? BigInt(this.arg) : -1n - BigInt(this.arg);
    if (v < min || v > max) this.fail("out-of-range", field, `must be in ${min}..${max}, got ${v}`, this.at);
    return v;
  }

  /** Start of the payload of the last head, after checking its length against min..max and the input. */
  private payload(field: string, min: number, max: number, what: string): number {
    const n = this.arg;
    if (typeof n === "bigint" || n > max) this.fail("limit-exceeded", field, `${what} must be at most ${max} bytes, got ${n}`, this.at);
    if (n < min) this.fail("out-of-range", field, min === 1 ? `${what} must not be empty` : `${what} must be at least ${min} bytes, got ${n}`, this.at);
    if (n > this.remaining) this.fail("truncated", field, `the input ended inside ${what} of ${n} bytes (${this.remaining} left)`, this.at);
    const start = this.pos;
    this.pos += n;
    return start;
  }

  /** A byte string of min..max bytes, as a view into the input (copy it to keep it). */
  bytesView(field: string, min: number, max: number): Uint8Array {
    this.expect(field, MAJOR_BYTES);
    const start = this.payload(field, min, max, "bytes");
    return this.input.subarray(start, this.pos);
  }

  /** A byte string of min..max bytes (a copy, so the caller's input may be reused). */
  bytes(field: string, min: number, max: number): Uint8Array {
    return this.bytesView(field, min, max).slice();
  }

  /** A valid UTF-8 text string of min..max bytes. */
  text(field: string, min: number, max: number): string {
    this.expect(field, MAJOR_TEXT);
    const start = this.payload(field, min, max, "text");
    const value = strictUtf8Decode(this.input.subarray(start, this.pos));
    if (value === null) this.fail("invalid-utf8", field, "text is not valid UTF-8", this.at);
    return value;
  }

  /**
   * An array head of at most `max` items, each at least `minItemBytes` long, so a forged count
   * is rejected before anything is allocated for it.
   */
  array(field: string, max: number, minItemBytes: number): number {
    this.expect(field, MAJOR_ARRAY);
    return this.count(field, max, minItemBytes, "items");
  }

  /** A map head of at most `max` entries (each key and value at least one byte). */
  map(field: string, max: number): number {
    this.expect(field, MAJOR_MAP);
    return this.count(field, max, 2, "entries");
  }

  private count(field: string, max: number, minItemBytes: number, what: string): number {
    const n = this.arg;
    if (typeof n === "bigint" || n > max) this.fail("limit-exceeded", field, `at most ${max} ${what} allowed, got ${n}`, this.at);
    if (n * minItemBytes > this.remaining) {
      this.fail("truncated", field, `declares ${n} ${what} but only ${this.remaining} byte${this.remaining === 1 ? " remains" : "s remain"}`, this.at);
    }
    return n;
  }

  /**
   * Skips one well-formed item of the subset (used for ignorable unknown fields): its text must
   * be UTF-8, its maps must have ascending unsigned-integer keys, its depth at most `depth`.
   */
  skip(depth: number): void {
    if (depth <= 0) this.fail("limit-exceeded", "", "an unknown field nests too deeply", this.pos);
    this.head("");
    switch (this.major) {
      case MAJOR_UINT:
      case MAJOR_NEGINT:
        return;
      case MAJOR_BYTES:
        this.payload("", 0, Number.MAX_SAFE_INTEGER, "bytes");
        return;
      case MAJOR_TEXT: {
        const start = this.payload("", 0, Number.MAX_SAFE_INTEGER, "text");
        if (strictUtf8Decode(this.input.subarray(start, this.pos)) === null) this.fail("invalid-utf8", "", "text is not valid UTF-8", this.at);
        return;
      }
      case MAJOR_ARRAY: {
        const n = this.count("", Number.MAX_SAFE_INTEGER, 1, "items");
        for (let i = 0; i < n; i++) {
          this.enter(i);
          this.skip(depth - 1);
          this.leave();
        }
        return;
      }
      default: {
        const n = this.count("", Number.MAX_SAFE_INTEGER, 2, "entries");
        let previous = -1;
        for (let i = 0; i < n; i++) {
          const keyAt = this.pos;
          const key = this.uint("", Number.MAX_SAFE_INTEGER);
          if (key <= previous) this.fail("unsorted", "", `map keys must be strictly ascending, got ${key} after ${previous}`, keyAt);
          previous = key;
          this.enter(String(key));
          this.skip(depth - 1);
          this.leave();
        }
      }
    }
  }
}
