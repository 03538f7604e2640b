// The `chunker` module: Cairn's keyed content-defined chunker (FastCDC-style gear hash with
// normalized chunking), resumable across calls. Specification: packages/core/CHUNKING.md
// ("cairn-gear-v1"); the JS API is src/chunker.ts. In short:
//
//   GEAR[i]  = little-endian u64 at bytes 8i..8i+7 of
//              HKDF-SHA-256(IKM = 32-byte secret, salt = empty, info = "cairn/chunker/gear/v1", L = 2048)
//   fp       = (fp << 1) + GEAR[byte]   (mod 2^64), reset to 0 at every cut
//   mask(n)  = OR of bits 63 - floor(k * 48 / n) for k = 0..n-1     (n bits within 63..16)
//   maskS    = mask(log2(avg) + 2),  maskL = mask(log2(avg) - 2)
//   For the byte at offset o of the current chunk (chunk length L = o + 1 once it is included):
//     o <  min - 64        not hashed (fp would shift it out before any test anyway)
//     o >= min - 64        fp updated
//     min <= L <  avg      cut after the byte if (fp & maskS) == 0
//     avg <= L <  max      cut after the byte if (fp & maskL) == 0
//     L == max             cut after the byte
//   The final chunk of a stream ends at the end of the stream, whatever its length.
//
// Bit k of fp depends on the last k + 1 bytes only, so with min >= 64 every cut decision is a
// function of the 64 bytes ending at the candidate cut and of L, never of bytes before them;
// that is also why hashing can start 64 bytes before min without changing any result.
//
// State (fp, L) lives in globals and survives between `push` calls, so input split anywhere
// gives the cut points of the whole, and no byte is ever scanned twice.
//
// Memory is static (no heap; `--runtime stub`) and never grows after instantiation, so JS
// views of `input` and `cuts` stay valid for the life of the instance:
//   gear    2048 bytes   the keyed table
//   input   INPUT_SIZE   bytes to chunk, written by JS before `push`
//   cuts    MAX_CUTS u32 ends of the chunks completed by the last `push`, relative to input
import { hkdfSha256 } from "./hkdf";

const INPUT_SIZE: usize = 1 << 20;
// A cut needs min >= 64 bytes since the previous one, except the first cut of a push, which
// may close a chunk begun in earlier pushes: at most INPUT_SIZE / 64 + 1 cuts per push.
const MAX_CUTS: usize = INPUT_SIZE / 64 + 1;
const WINDOW: usize = 64;

const gear = memory.data(2048, 64);
const input = memory.data(<i32>INPUT_SIZE, 64);
const cuts = memory.data(<i32>(MAX_CUTS << 2), 64);
// "cairn/chunker/gear/v1" in ASCII: the HKDF info that names this table's derivation.
const GEAR_INFO = memory.data<u8>([
  0x63, 0x61, 0x69, 0x72, 0x6e, 0x2f, 0x63, 0x68, 0x75, 0x6e, 0x6b, 0x65, 0x72, 0x2f, 0x67, 0x65,
  0x61, 0x72, 0x2f, 0x76, 0x31,
]);
const GEAR_INFO_LENGTH: usize = 21;

let minSize: usize = 0;
let avgSize: usize = 0;
let maxSize: usize = 0;
let maskS: u64 = 0;
let maskL: u64 = 0;
let fp: u64 = 0;
let chunkLength: usize = 0;

export function inputPtr(): usize { return input; }
export function inputSize(): usize { return INPUT_SIZE; }
export function cutsPtr(): usize { return cuts; }
export function gearPtr(): usize { return gear; } // for tests: the table is checked against HKDF
export function maskSmall(): u64 { return maskS; }
export function maskLarge(): u64 { return maskL; }
/** Bytes of the current, not yet cut, chunk. */
export function pending(): usize { return chunkLength; }

/** Derives the gear table from the 32-byte secret in input[0..32), then wipes it there. */
export function setKey(): void {
  hkdfSha256(gear, 2048, input, 32, 0, 0, GEAR_INFO, GEAR_INFO_LENGTH);
  memory.fill(input, 0, 32);
}

/** `bits` one-bits spread over bits 63..16: bit 63 - floor(k * 48 / bits) for k < bits. */
function spreadMask(bits: u32): u64 {
  let mask: u64 = 0;
  for (let k: u32 = 0; k < bits; k++) mask |= (<u64>1) << <u64>(63 - (k * 48) / bits);
  return mask;
}

/**
 * Sets the chunk size parameters and starts a new stream. The caller has validated
 * 64 <= min < avg < max <= 64 MiB with avg a power of two (so 5 <= log2(avg) - 2 and
 * log2(avg) + 2 <= 27 <= 48: the mask bits are distinct).
 */
export function configure(min: usize, avg: usize, max: usize): void {
  minSize = min;
  avgSize = avg;
  maxSize = max;
  const log2avg = <u32>ctz(avg);
  maskS = spreadMask(log2avg + 2);
  maskL = spreadMask(log2avg - 2);
  reset();
}

/** Forgets the current stream. */
export function reset(): void {
  fp = 0;
  chunkLength = 0;
}

/** One gear step: shift the fingerprint and add the table entry of the byte at p. */
@inline function roll(h: u64, p: usize): u64 {
  return (h << 1) + load<u64>(<usize>load<u8>(p) << 3, gear); // gear + 8 * byte
}

/**
 * Chunks input[0..length), continuing the current stream. Writes the end of each chunk
 * completed here (offset relative to input, 1..length) to cuts and returns how many.
 */
export function push(length: usize): u32 {
  const end = input + length;
  const hashStart = minSize - WINDOW;
  const testStart = minSize - 1;
  const largeStart = avgSize - 1;
  const limit = maxSize;
  let h = fp;
  let l = chunkLength; // bytes of the current chunk before p
  let p = input;
  let n: usize = 0;
  while (p < end) {
    // Offsets [0, min - 64): skipped.
    if (l < hashStart) {
      const skip = min<usize>(hashStart - l, end - p);
      p += skip;
      l += skip;
      if (p == end) break;
    }
    // Offsets [min - 64, min - 1): hashed; the chunk is still shorter than min.
    if (l < testStart) {
      const from = p;
      const stop = p + min<usize>(testStart - l, end - p);
      do {
        h = roll(h, p);
        p++;
      } while (p < stop);
      l += p - from;
      if (p == end) break;
    }
    // Offsets [min - 1, avg - 1), lengths min..avg-1: the strict mask, up to avg - 1. Offsets
    // [avg - 1, max), lengths avg..max: the loose mask, and a cut at max regardless. When the
    // strict stretch ends without a cut, the next turn of the outer loop scans the loose one.
    const strict = l < largeStart;
    const mask = strict ? maskS : maskL;
    const from = p;
    const stop = p + min<usize>((strict ? largeStart : limit) - l, end - p);
    let found = false;
    // Unrolled: the bound is checked once per 16 bytes, the mask after every byte.
    while (p + 16 <= stop) {
      h = roll(h, p + 0); if ((h & mask) == 0) { p += 1; found = true; break; }
      h = roll(h, p + 1); if ((h & mask) == 0) { p += 2; found = true; break; }
      h = roll(h, p + 2); if ((h & mask) == 0) { p += 3; found = true; break; }
      h = roll(h, p + 3); if ((h & mask) == 0) { p += 4; found = true; break; }
      h = roll(h, p + 4); if ((h & mask) == 0) { p += 5; found = true; break; }
      h = roll(h, p + 5); if ((h & mask) == 0) { p += 6; found = true; break; }
      h = roll(h, p + 6); if ((h & mask) == 0) { p += 7; found = true; break; }
      h = roll(h, p + 7); if ((h & mask) == 0) { p += 8; found = true; break; }
      h = roll(h, p + 8); if ((h & mask) == 0) { p += 9; found = true; break; }
      h = roll(h, p + 9); if ((h & mask) == 0) { p += 10; found = true; break; }
      h = roll(h, p + 10); if ((h & mask) == 0) { p += 11; found = true; break; }
      h = roll(h, p + 11); if ((h & mask) == 0) { p += 12; found = true; break; }
      h = roll(h, p + 12); if ((h & mask) == 0) { p += 13; found = true; break; }
      h = roll(h, p + 13); if ((h & mask) == 0) { p += 14; found = true; break; }
      h = roll(h, p + 14); if ((h & mask) == 0) { p += 15; found = true; break; }
      h = roll(h, p + 15); if ((h & mask) == 0) { p += 16; found = true; break; }
      p += 16;
    }
    if (!found) {
      while (p < stop) {
        h = roll(h, p);
        p++;
        if ((h & mask) == 0) {
          found = true;
          break;
        }
      }
    }
    l += p - from;
    if (found || l == limit) {
      store<u32>(cuts + (n << 2), <u32>(p - input));
      n++;
      h = 0;
      l = 0;
    }
  }
  fp = h;
  chunkLength = l;
  return <u32>n;
}
