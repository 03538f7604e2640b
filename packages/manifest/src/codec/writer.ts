// Writes the canonical CBOR subset of FORMAT.md §7.2: every head in its shortest form, definite
// lengths only, no tags or floats. Callers write map keys in ascending order; the writer itself
// only knows items, so determinism is the field encoders' job and is tested by property.
import { ManifestError } from "../errors.js";
import { nibble, utf8 } from "../internal/bytes.js";
import { LIMITS } from "../limits.js";
import { MAJOR_ARRAY, MAJOR_BYTES, MAJOR_MAP, MAJOR_NEGINT, MAJOR_TEXT, MAJOR_UINT } from "./reader.js";

export class Writer {
  private buf = new Uint8Array(512);
  private len = 0;

  private reserve(n: number): void {
    const need = this.len + n;
    if (need > LIMITS.maxObjectBytes) throw new ManifestError("limit-exceeded", "object", `an encoded object must be at most ${LIMITS.maxObjectBytes} bytes`);
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(Math.min(size, LIMITS.maxObjectBytes));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** A head with the shortest argument encoding (RFC 8949 §4.2.1). `arg` is 0..2^64−1. */
  head(major: number, arg: number | bigint): void {
    const m = major << 5;
    if (typeof arg === "number" && arg < 24) {
      this.reserve(1);
      this.buf[this.len++] = m | arg;
    } else if (typeof arg === "number" && arg < 0x100) {
      this.reserve(2);
      this.buf[this.len++] = m | 24;
      this.buf[this.len++] = arg;
    } else if (typeof arg === "number" && arg < 0x1_0000) {
      this.reserve(3);
      this.buf[this.len++] = m | 25;
      this.buf[this.len++] = arg >> 8;
      this.buf[this.len++] = arg & 0xff;
    } else if (typeof arg === "number" && arg < 0x1_0000_0000) {
      this.reserve(5);
      this.buf[this.len++] = m | 26;
      for (let shift = 24; shift >= 0; shift -= 8) this.buf[this.len++] = (arg >>> shift) & 0xff;
    } else {
      const big = BigInt(arg);
      if (big < 0x1_0000_0000n) return this.head(major, Number(big));
      this.reserve(9);
      this.buf[this.len++] = m | 27;
      for (let shift = 56n; shift >= 0n; shift -= 8n) this.buf[this.len++] = Number((big >> shift) & 0xffn);
    }
  }

  uint(value: number | bigint): void {
    this.head(MAJOR_UINT, value);
  }

  /** A signed integer: major type 0 for value ≥ 0, else major type 1 with argument −1−value. */
  int(value: bigint): void {
    if (value >= 0n) this.head(MAJOR_UINT, value);
    else this.head(MAJOR_NEGINT, -1n - value);
  }

  bytes(value: Uint8Array): void {
    this.head(MAJOR_BYTES, value.length);
    this.raw(value);
  }

  /** A byte string given as lowercase hex the caller has already checked (an ID). */
  hexBytes(hex: string): void {
    const n = hex.length >> 1;
    this.head(MAJOR_BYTES, n);
    this.reserve(n);
    for (let i = 0; i < n; i++) this.buf[this.len++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }

  /** Text the caller has already checked to be well-formed (no lone surrogates). */
  text(value: string): void {
    const b = utf8(value);
    this.head(MAJOR_TEXT, b.length);
    this.raw(b);
  }

  array(count: number): void {
    this.head(MAJOR_ARRAY, count);
  }

  map(count: number): void {
    this.head(MAJOR_MAP, count);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
