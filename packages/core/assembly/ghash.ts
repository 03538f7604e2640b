// Constant-time GHASH (NIST SP 800-38D §6.4) without tables.
//
// Field elements. GCM reads a block's bits "reflected": the most significant bit of byte 0 is
// the coefficient of x^0. We compute on the plain polynomial: two u64 words lo (x^0..x^63) and
// hi (x^64..x^127), bit i of a word being the coefficient of x^i. From the block's two
// little-endian 64-bit words w0, w1 that is lo = brb(w0), hi = brb(w1), where brb reverses the
// bits of every byte; and rev64(lo) (needed below) is simply bswap64(w0).
//
// Carry-less multiplication from integer multiplication ("ctmul64", the idea of BearSSL's
// ghash_ctmul64 by Thomas Pornin): split x and y into four "sparse" words keeping every fourth
// bit (masks 0x1111…, 0x2222…, 0x4444…, 0x8888…). In the integer product of two sparse words
// every result position collects at most 15 terms (16 only in the top nibble, whose carries
// fall off the 64-bit word), so the carries never reach the next position of the same class
// and the low bit of each sum is the XOR we want. 16 multiplications give the low 64 bits of
// the 64x64 carry-less product; the high 64 bits are rev64(low(rev64 x * rev64 y)) >> 1.
// A 128x128 product is three 64x64 ones (Karatsuba), so 6 such calls and 96 multiplications.
//
// Aggregation: up to eight blocks X1..Xm are absorbed at once as
//   Y' = (Y ^ X1) H^m ^ X2 H^(m-1) ^ ... ^ Xm H,
// with H^1..H^8 precomputed (by this same multiplication) and stored pre-split into sparse
// words, for both the plain and the bit-reversed operand. The blocks are split the same way
// with SIMD operations, then each of the six operand words is multiplied across the group with
// the class sums XORed unmasked (XOR commutes with the masks, which are applied once). Since
// rev64 and the shift are linear too, the eight products are summed unreduced and finished
// (reversal, Karatsuba recombination, reduction modulo x^128 + x^7 + x^2 + x + 1) once per group.
//
// Constant time: integer multiplication, shifts and bitwise operations only; no table lookups
// and no branches on data or key (the loops depend on lengths alone). 64-bit multiplication
// takes a fixed time on the x86-64 and ARMv8 cores that run WebAssembly engines; a CPU with an
// early-terminating multiplier (some old or embedded cores) would leak through it, as it would
// for BearSSL's ctmul code.

/**
 * H^k for k = 1..8, 192 bytes each, as the operands of `accumulate`: three pairs of 64-bit words
 * (lo, rev64 lo), (hi, rev64 hi), (lo ^ hi, rev64 (lo ^ hi)), each pair split into its four
 * sparse classes (pair p, class c at 64 p + 16 c; the reversed word is the second lane).
 */
const POWERS: usize = heap.alloc(8 * 192);
/** The data blocks of one group (up to 8), split the same way. */
const SPLIT: usize = heap.alloc(8 * 192);
/** The running GHASH value Y, in block (byte) form. */
const ACC: usize = heap.alloc(16);
/** A zero-padded copy of a trailing partial block / a temporary block. */
const PAD: usize = heap.alloc(16);

const M0: u64 = 0x1111111111111111;
const M1: u64 = 0x2222222222222222;
const M2: u64 = 0x4444444444444444;
const M3: u64 = 0x8888888888888888;

/** Reverses the bits of every byte (three swapmove steps on both 64-bit lanes). */
// @ts-ignore: decorator
@inline function brb(v: v128): v128 {
  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);
  v = v128.or(v128.and(i64x2.shr_u(v, 1), m1), i64x2.shl(v128.and(v, m1), 1));
  v = v128.or(v128.and(i64x2.shr_u(v, 2), m2), i64x2.shl(v128.and(v, m2), 2));
  return v128.or(v128.and(i64x2.shr_u(v, 4), m4), i64x2.shl(v128.and(v, m4), 4));
}

/** Reverses the byte order of each 64-bit lane (one pshufb: a swizzle with constant indices). */
// @ts-ignore: decorator
@inline function bswap64x2(v: v128): v128 {
  return i8x16.swizzle(v, i8x16(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
}

/**
 * Splits the block-form element `v` into the 192-byte operand layout at `at` (see POWERS).
 * From the block's little-endian words w0, w1: lo = brb(w0), hi = brb(w1), rev64(lo) = bswap(w0).
 */
// @ts-ignore: decorator
@inline function split(v: v128, at: usize): void {
  const p = brb(v), r = bswap64x2(v);
  const a = i64x2.shuffle(p, r, 0, 2); // (lo, rev lo)
  const b = i64x2.shuffle(p, r, 1, 3); // (hi, rev hi)
  const c = v128.xor(a, b); // (lo ^ hi, rev (lo ^ hi))
  const m0 = i64x2.splat(M0), m1 = i64x2.splat(M1), m2 = i64x2.splat(M2), m3 = i64x2.splat(M3);
  v128.store(at, v128.and(a, m0), 0);
  v128.store(at, v128.and(a, m1), 16);
  v128.store(at, v128.and(a, m2), 32);
  v128.store(at, v128.and(a, m3), 48);
  v128.store(at, v128.and(b, m0), 64);
  v128.store(at, v128.and(b, m1), 80);
  v128.store(at, v128.and(b, m2), 96);
  v128.store(at, v128.and(b, m3), 112);
  v128.store(at, v128.and(c, m0), 128);
  v128.store(at, v128.and(c, m1), 144);
  v128.store(at, v128.and(c, m2), 160);
  v128.store(at, v128.and(c, m3), 176);
}

/**
 * The sum over the m blocks i of a group of the low 64 bits of the carry-less products
 * x_i * H^(m-i), for one of the six operand words (`off` selects it in both layouts). Each product
 * is 16 integer multiplications of sparse words; the sums of a class are XORed unmasked across
 * blocks (XOR commutes with the masks), so the masks are applied once per group.
 */
// @ts-ignore: decorator
@inline function accumulate(m: i32, off: usize): u64 {
  let a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0;
  let x = SPLIT + off;
  let h = POWERS + <usize>(m - 1) * 192 + off;
  for (let i = 0; i < m; i++) {
    const x0 = load<u64>(x, 0), x1 = load<u64>(x, 16), x2 = load<u64>(x, 32), x3 = load<u64>(x, 48);
    const y0 = load<u64>(h, 0), y1 = load<u64>(h, 16), y2 = load<u64>(h, 32), y3 = load<u64>(h, 48);
    a0 ^= (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
    a1 ^= (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
    a2 ^= (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
    a3 ^= (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
    x += 192;
    h -= 192;
  }
  return (a0 & M0) | (a1 & M1) | (a2 & M2) | (a3 & M3);
}

/** Sets the hash key H (16 bytes at `h`, block form) and computes H^2..H^8; resets Y. */
export function ghashSetKey(h: usize): void {
  let p = v128.load(h);
  split(p, POWERS);
  for (let k = 2; k <= 8; k++) {
    // H^k = H^(k-1) * H: absorbing the block H^(k-1) into Y = 0 with H^1 gives exactly that.
    v128.store(ACC, i64x2.splat(0));
    v128.store(PAD, p);
    ghashBlocks(PAD, 1);
    p = v128.load(ACC);
    split(p, POWERS + <usize>(k - 1) * 192);
  }
  v128.store(ACC, i64x2.splat(0));
  v128.store(PAD, i64x2.splat(0));
}

/** Y = 0. */
export function ghashReset(): void {
  v128.store(ACC, i64x2.splat(0));
}

/** Where Y lives (16 bytes, block form). */
export function ghashValue(): usize {
  return ACC;
}

/** Absorbs `n` whole 16-byte blocks at `ptr`. */
export function ghashBlocks(ptr: usize, n: i32): void {
  let y = v128.load(ACC);
  while (n > 0) {
    const m = n < 8 ? n : 8;
    split(v128.xor(v128.load(ptr), y), SPLIT);
    for (let i = 1; i < m; i++) split(v128.load(ptr + (<usize>i << 4)), SPLIT + <usize>i * 192);
    ptr += <usize>m << 4;
    // Low halves of the three Karatsuba products (lo, hi, lo ^ hi), then of the bit-reversed ones.
    const z0 = accumulate(m, 0), z1 = accumulate(m, 64), z2 = accumulate(m, 128);
    const w0 = accumulate(m, 8), w1 = accumulate(m, 72), w2 = accumulate(m, 136);
    // High halves: rev64(w) >> 1, reversing (w0, w1) and then w2 as 64-bit lanes.
    let rw = brb(bswap64x2(i64x2.replace_lane(i64x2.splat(w0), 1, w1)));
    const l1 = (<u64>i64x2.extract_lane(rw, 0)) >> 1;
    const h1 = (<u64>i64x2.extract_lane(rw, 1)) >> 1;
    rw = brb(bswap64x2(i64x2.splat(w2)));
    const m1 = ((<u64>i64x2.extract_lane(rw, 0)) >> 1) ^ l1 ^ h1;
    // Karatsuba: product = lo + (mid ^ lo ^ hi) x^64 + hi x^128, as four words c0..c3.
    const c0 = z0;
    const c1 = l1 ^ z2 ^ z0 ^ z1;
    const c2 = z1 ^ m1;
    const c3 = h1;
    // Reduction modulo x^128 + x^7 + x^2 + x + 1: fold (c3, c2) * (x^7 + x^2 + x + 1) into
    // (c1, c0); the at most 7 bits that spill over x^128 (v) are folded once more.
    const v7 = (c3 >> 63) ^ (c3 >> 62) ^ (c3 >> 57);
    const rhi = c1 ^ c3 ^ ((c3 << 1) | (c2 >> 63)) ^ ((c3 << 2) | (c2 >> 62)) ^ ((c3 << 7) | (c2 >> 57));
    const rlo = c0 ^ c2 ^ (c2 << 1) ^ (c2 << 2) ^ (c2 << 7) ^ v7 ^ (v7 << 1) ^ (v7 << 2) ^ (v7 << 7);
    y = brb(i64x2.replace_lane(i64x2.splat(rlo), 1, rhi));
    n -= m;
  }
  v128.store(ACC, y);
}

/** Absorbs `len` bytes at `ptr`, zero-padding a trailing partial block. */
export function ghashUpdate(ptr: usize, len: i32): void {
  const full = len >> 4;
  if (full > 0) ghashBlocks(ptr, full);
  const rest = len & 15;
  if (rest > 0) {
    v128.store(PAD, i64x2.splat(0));
    memory.copy(PAD, ptr + (<usize>full << 4), rest);
    ghashBlocks(PAD, 1);
    v128.store(PAD, i64x2.splat(0));
  }
}

/** Zeroes H's powers, Y and the scratch areas. */
export function wipeGhash(): void {
  memory.fill(POWERS, 0, 8 * 192);
  memory.fill(SPLIT, 0, 8 * 192);
  v128.store(ACC, i64x2.splat(0));
  v128.store(PAD, i64x2.splat(0));
}
