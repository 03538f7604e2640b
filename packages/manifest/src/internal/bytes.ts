// Byte helpers shared by the model, the codec and the path rules. Browser-safe: Uint8Array and
// TextEncoder/TextDecoder only.

const HEX_CODES = Array.from("0123456789abcdef", (ch) => ch.charCodeAt(0));

/**
 * Lowercase hex of `bytes`. A hot path (every blob ID decoded), so it builds one string from
 * char codes instead of concatenating pairs, which measured about 15x slower on IDs.
 */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let start = 0; start < bytes.length; start += 4096) {
    const end = Math.min(bytes.length, start + 4096);
    const codes = new Array<number>(2 * (end - start));
    for (let i = start; i < end; i++) {
      codes[2 * (i - start)] = HEX_CODES[bytes[i]! >> 4]!;
      codes[2 * (i - start) + 1] = HEX_CODES[bytes[i]! & 15]!;
    }
    out += String.fromCharCode.apply(null, codes);
  }
  return out;
}

/** True if `text` is exactly `2 * length` lowercase hex digits (no allocation). */
export function isLowerHex(text: string, length: number): boolean {
  if (text.length !== 2 * length) return false;
  for (let i = 0; i < text.length; i++) if (nibble(text.charCodeAt(i)) < 0) return false;
  return true;
}

/** Value of a lowercase hex digit's char code, or -1. */
export function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Bytes of a lowercase hex string, or null if `text` is not even-length lowercase hex. */
export function fromHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Bytewise lexicographic order (a shorter prefix sorts first): the order of names in a tree,
 * of xattr names and of snapshot paths. Independent of locale and of any text encoding.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

const utf8Encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** True if `text` has no lone UTF-16 surrogate, so UTF-8 encoding it loses nothing. */
export function isWellFormedString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** UTF-8 bytes of a well-formed string (callers check `isWellFormedString` first). */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** The string of valid UTF-8 `bytes`, or null if they are not valid UTF-8. Never throws. */
export function strictUtf8Decode(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The string of `bytes`, with U+FFFD for every invalid UTF-8 sequence. */
export function lossyUtf8Decode(bytes: Uint8Array): string {
  return lossyUtf8.decode(bytes);
}

/** Number of UTF-8 bytes `text` encodes to (no allocation). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
