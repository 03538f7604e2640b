// Names as bytes, shown as text. Linux file names are arbitrary bytes (except `/` and NUL), so
// the model keeps names and paths as Uint8Array. These helpers convert for people and for JSON:
// a lossy form for display and a reversible escaped form for anything that must come back.
import { ManifestError } from "./errors.js";
import { isWellFormedString, lossyUtf8Decode, utf8 } from "./internal/bytes.js";
import { bytes, text as textArg } from "./internal/validate.js";

/**
 * The UTF-8 bytes of `text`, for names and paths that come from JavaScript strings.
 * Rejects lone surrogates rather than silently replacing them, so no two strings map to one name.
 * @throws {TypeError} if `text` is not a string.
 * @throws {ManifestError} (`invalid-utf8`) if `text` has a lone UTF-16 surrogate.
 */
export function nameFromString(text: string, field = "name"): Uint8Array {
  textArg(field, text);
  if (!isWellFormedString(text)) throw new ManifestError("invalid-utf8", field, "the string has a lone UTF-16 surrogate, which has no UTF-8 form");
  return utf8(text);
}

/**
 * `name` as text for display: valid UTF-8 is decoded, every invalid sequence becomes U+FFFD.
 * Lossy (two names may display alike) and may contain control characters: never parse it back
 * and escape it before printing to a terminal; use {@link escapeName} for anything that must
 * round-trip.
 * @throws {TypeError} if `name` is not a Uint8Array.
 */
export function nameToDisplayString(name: Uint8Array): string {
  return lossyUtf8Decode(bytes("name", name));
}

// Code points escaped even though they are valid: C0 and C1 controls, DEL, and the bidirectional
// formatting characters that can make a name display as something it is not ("Trojan Source").
function mustEscape(cp: number): boolean {
  return (
    cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x61c || cp === 0x200e || cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
  );
}

/** Length of the valid, shortest-form UTF-8 sequence at `i` and its code point, or null. */
function utf8At(b: Uint8Array, i: number): [number, number] | null {
  const b0 = b[i]!;
  if (b0 < 0x80) return [1, b0];
  let len: number, cp: number, min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) [len, cp, min] = [2, b0 & 0x1f, 0x80];
  else if (b0 >= 0xe0 && b0 <= 0xef) [len, cp, min] = [3, b0 & 0x0f, 0x800];
  else if (b0 >= 0xf0 && b0 <= 0xf4) [len, cp, min] = [4, b0 & 0x07, 0x10000];
  else return null;
  if (i + len > b.length) return null;
  for (let k = 1; k < len; k++) {
    const c = b[i + k]!;
    if ((c & 0xc0) !== 0x80) return null;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return [len, cp];
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/**
 * A reversible, printable form of `name` (or of any bytes): valid UTF-8 stays as it is, `\`
 * becomes `\\`, and every byte of invalid UTF-8, of a control character or of a bidirectional
 * formatting character becomes `\xHH` (lowercase hex). `unescapeName(escapeName(b))` equals `b`
 * for all bytes, and names that are plain printable UTF-8 without `\` are unchanged.
 * @throws {TypeError} if `name` is not a Uint8Array.
 */
export function escapeName(name: Uint8Array): string {
  const b = bytes("name", name);
  let out = "";
  for (let i = 0; i < b.length; ) {
    const seq = utf8At(b, i);
    if (seq && !mustEscape(seq[1])) {
      out += seq[1] === 0x5c ? "\\\\" : String.fromCodePoint(seq[1]);
      i += seq[0];
    } else {
      const n = seq ? seq[0] : 1;
      for (let k = 0; k < n; k++) out += `\\x${hex2(b[i + k]!)}`;
      i += n;
    }
  }
  return out;
}

/**
 * The bytes an {@link escapeName} string stands for: `\\` is `\`, `\xHH` (two lowercase hex
 * digits) is that byte, everything else is UTF-8.
 * @throws {TypeError} if `text` is not a string.
 * @throws {ManifestError} (`invalid-utf8`) on any other use of `\` or on a lone surrogate.
 */
export function unescapeName(text: string): Uint8Array {
  textArg("text", text);
  const out: number[] = [];
  let plainFrom = 0;
  const flush = (to: number) => {
    if (to > plainFrom) for (const x of nameFromString(text.slice(plainFrom, to), "text")) out.push(x);
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") continue;
    flush(i);
    if (text[i + 1] === "\\") {
      out.push(0x5c);
      i += 1;
    } else if (text[i + 1] === "x" && /^[0-9a-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      throw new ManifestError("invalid-utf8", "text", `invalid escape at character ${i}: only \\\\ and \\xHH (lowercase hex) are allowed`);
    }
    plainFrom = i + 1;
  }
  flush(text.length);
  return Uint8Array.from(out);
}
