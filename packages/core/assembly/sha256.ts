// SHA-256 (FIPS 180-4) for AssemblyScript: the compression function and a streaming state kept
// in linear memory, so that any entry module (hash, chunker) can import it without a heap.
//
// Constant time by construction: the only branches and memory addresses depend on lengths,
// never on message or key bytes; there are no tables indexed by data (the round constants
// are immediates). Speed comes from unrolling all 64 rounds with the message schedule held in
// sixteen locals (a ring of W[t mod 16]), so the engine keeps the working set in registers
// and never touches memory inside a block except to load the 64 message bytes.
//
// A state occupies SHA256_STATE_SIZE bytes at a caller-chosen address:
//   0..31   H0..H7, the chaining value (u32, native little-endian)
//   32..39  total message bytes so far (u64)
//   40..43  bytes waiting in the block buffer (u32, 0..63)
//   64..127 the block buffer
// The layout is internal to the WASM modules; JS only ever sees digests.

export const SHA256_STATE_SIZE: usize = 128;
export const SHA256_BLOCK_SIZE: usize = 64;
export const SHA256_DIGEST_SIZE: usize = 32;

const TOTAL: usize = 32;
const BUFFERED: usize = 40;
const BLOCK: usize = 64;

// FIPS 180-4 §4.1.2: Ch, Maj, Σ0, Σ1, σ0, σ1. Ch and Maj use the usual 3-operation forms;
// `maj` repeats (x ^ y) of the previous round as (y ^ z), which the engine computes once.
@inline function ch(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }
@inline function maj(x: u32, y: u32, z: u32): u32 { return ((x ^ y) & (y ^ z)) ^ y; }
@inline function S0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
@inline function S1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
@inline function s0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
@inline function s1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }

/** Big-endian 32-bit load (FIPS 180-4 §3.1: words are big-endian). */
@inline function be32(p: usize, offset: usize): u32 { return bswap<u32>(load<u32>(p + offset)); }

/**
 * Compresses `blocks` consecutive 64-byte blocks at `p` into the chaining value at `h`
 * (eight u32). FIPS 180-4 §6.2.2, with the 64 rounds unrolled: round t updates only the two
 * working variables that change (d and h in the standard naming) and the others rotate names.
 */
export function sha256Blocks(h: usize, p: usize, blocks: usize): void {
  const end = p + (blocks << 6);
  while (p < end) {
    let a = load<u32>(h, 0), b = load<u32>(h, 4), c = load<u32>(h, 8), d = load<u32>(h, 12);
    let e = load<u32>(h, 16), f = load<u32>(h, 20), g = load<u32>(h, 24), hh = load<u32>(h, 28);
    let w0 = be32(p, 0), w1 = be32(p, 4), w2 = be32(p, 8), w3 = be32(p, 12);
    let w4 = be32(p, 16), w5 = be32(p, 20), w6 = be32(p, 24), w7 = be32(p, 28);
    let w8 = be32(p, 32), w9 = be32(p, 36), w10 = be32(p, 40), w11 = be32(p, 44);
    let w12 = be32(p, 48), w13 = be32(p, 52), w14 = be32(p, 56), w15 = be32(p, 60);
    hh += S1(e) + ch(e, f, g) + 0x428a2f98 + w0; d += hh; hh += S0(a) + maj(a, b, c);
    g += S1(d) + ch(d, e, f) + 0x71374491 + w1; c += g; g += S0(hh) + maj(hh, a, b);
    f += S1(c) + ch(c, d, e) + 0xb5c0fbcf + w2; b += f; f += S0(g) + maj(g, hh, a);
    e += S1(b) + ch(b, c, d) + 0xe9b5dba5 + w3; a += e; e += S0(f) + maj(f, g, hh);
    d += S1(a) + ch(a, b, c) + 0x3956c25b + w4; hh += d; d += S0(e) + maj(e, f, g);
    c += S1(hh) + ch(hh, a, b) + 0x59f111f1 + w5; g += c; c += S0(d) + maj(d, e, f);
    b += S1(g) + ch(g, hh, a) + 0x923f82a4 + w6; f += b; b += S0(c) + maj(c, d, e);
    a += S1(f) + ch(f, g, hh) + 0xab1c5ed5 + w7; e += a; a += S0(b) + maj(b, c, d);
    hh += S1(e) + ch(e, f, g) + 0xd807aa98 + w8; d += hh; hh += S0(a) + maj(a, b, c);
    g += S1(d) + ch(d, e, f) + 0x12835b01 + w9; c += g; g += S0(hh) + maj(hh, a, b);
    f += S1(c) + ch(c, d, e) + 0x243185be + w10; b += f; f += S0(g) + maj(g, hh, a);
    e += S1(b) + ch(b, c, d) + 0x550c7dc3 + w11; a += e; e += S0(f) + maj(f, g, hh);
    d += S1(a) + ch(a, b, c) + 0x72be5d74 + w12; hh += d; d += S0(e) + maj(e, f, g);
    c += S1(hh) + ch(hh, a, b) + 0x80deb1fe + w13; g += c; c += S0(d) + maj(d, e, f);
    b += S1(g) + ch(g, hh, a) + 0x9bdc06a7 + w14; f += b; b += S0(c) + maj(c, d, e);
    a += S1(f) + ch(f, g, hh) + 0xc19bf174 + w15; e += a; a += S0(b) + maj(b, c, d);
    w0 += s1(w14) + w9 + s0(w1);
    hh += S1(e) + ch(e, f, g) + 0xe49b69c1 + w0; d += hh; hh += S0(a) + maj(a, b, c);
    w1 += s1(w15) + w10 + s0(w2);
    g += S1(d) + ch(d, e, f) + 0xefbe4786 + w1; c += g; g += S0(hh) + maj(hh, a, b);
    w2 += s1(w0) + w11 + s0(w3);
    f += S1(c) + ch(c, d, e) + 0x0fc19dc6 + w2; b += f; f += S0(g) + maj(g, hh, a);
    w3 += s1(w1) + w12 + s0(w4);
    e += S1(b) + ch(b, c, d) + 0x240ca1cc + w3; a += e; e += S0(f) + maj(f, g, hh);
    w4 += s1(w2) + w13 + s0(w5);
    d += S1(a) + ch(a, b, c) + 0x2de92c6f + w4; hh += d; d += S0(e) + maj(e, f, g);
    w5 += s1(w3) + w14 + s0(w6);
    c += S1(hh) + ch(hh, a, b) + 0x4a7484aa + w5; g += c; c += S0(d) + maj(d, e, f);
    w6 += s1(w4) + w15 + s0(w7);
    b += S1(g) + ch(g, hh, a) + 0x5cb0a9dc + w6; f += b; b += S0(c) + maj(c, d, e);
    w7 += s1(w5) + w0 + s0(w8);
    a += S1(f) + ch(f, g, hh) + 0x76f988da + w7; e += a; a += S0(b) + maj(b, c, d);
    w8 += s1(w6) + w1 + s0(w9);
    hh += S1(e) + ch(e, f, g) + 0x983e5152 + w8; d += hh; hh += S0(a) + maj(a, b, c);
    w9 += s1(w7) + w2 + s0(w10);
    g += S1(d) + ch(d, e, f) + 0xa831c66d + w9; c += g; g += S0(hh) + maj(hh, a, b);
    w10 += s1(w8) + w3 + s0(w11);
    f += S1(c) + ch(c, d, e) + 0xb00327c8 + w10; b += f; f += S0(g) + maj(g, hh, a);
    w11 += s1(w9) + w4 + s0(w12);
    e += S1(b) + ch(b, c, d) + 0xbf597fc7 + w11; a += e; e += S0(f) + maj(f, g, hh);
    w12 += s1(w10) + w5 + s0(w13);
    d += S1(a) + ch(a, b, c) + 0xc6e00bf3 + w12; hh += d; d += S0(e) + maj(e, f, g);
    w13 += s1(w11) + w6 + s0(w14);
    c += S1(hh) + ch(hh, a, b) + 0xd5a79147 + w13; g += c; c += S0(d) + maj(d, e, f);
    w14 += s1(w12) + w7 + s0(w15);
    b += S1(g) + ch(g, hh, a) + 0x06ca6351 + w14; f += b; b += S0(c) + maj(c, d, e);
    w15 += s1(w13) + w8 + s0(w0);
    a += S1(f) + ch(f, g, hh) + 0x14292967 + w15; e += a; a += S0(b) + maj(b, c, d);
    w0 += s1(w14) + w9 + s0(w1);
    hh += S1(e) + ch(e, f, g) + 0x27b70a85 + w0; d += hh; hh += S0(a) + maj(a, b, c);
    w1 += s1(w15) + w10 + s0(w2);
    g += S1(d) + ch(d, e, f) + 0x2e1b2138 + w1; c += g; g += S0(hh) + maj(hh, a, b);
    w2 += s1(w0) + w11 + s0(w3);
    f += S1(c) + ch(c, d, e) + 0x4d2c6dfc + w2; b += f; f += S0(g) + maj(g, hh, a);
    w3 += s1(w1) + w12 + s0(w4);
    e += S1(b) + ch(b, c, d) + 0x53380d13 + w3; a += e; e += S0(f) + maj(f, g, hh);
    w4 += s1(w2) + w13 + s0(w5);
    d += S1(a) + ch(a, b, c) + 0x650a7354 + w4; hh += d; d += S0(e) + maj(e, f, g);
    w5 += s1(w3) + w14 + s0(w6);
    c += S1(hh) + ch(hh, a, b) + 0x766a0abb + w5; g += c; c += S0(d) + maj(d, e, f);
    w6 += s1(w4) + w15 + s0(w7);
    b += S1(g) + ch(g, hh, a) + 0x81c2c92e + w6; f += b; b += S0(c) + maj(c, d, e);
    w7 += s1(w5) + w0 + s0(w8);
    a += S1(f) + ch(f, g, hh) + 0x92722c85 + w7; e += a; a += S0(b) + maj(b, c, d);
    w8 += s1(w6) + w1 + s0(w9);
    hh += S1(e) + ch(e, f, g) + 0xa2bfe8a1 + w8; d += hh; hh += S0(a) + maj(a, b, c);
    w9 += s1(w7) + w2 + s0(w10);
    g += S1(d) + ch(d, e, f) + 0xa81a664b + w9; c += g; g += S0(hh) + maj(hh, a, b);
    w10 += s1(w8) + w3 + s0(w11);
    f += S1(c) + ch(c, d, e) + 0xc24b8b70 + w10; b += f; f += S0(g) + maj(g, hh, a);
    w11 += s1(w9) + w4 + s0(w12);
    e += S1(b) + ch(b, c, d) + 0xc76c51a3 + w11; a += e; e += S0(f) + maj(f, g, hh);
    w12 += s1(w10) + w5 + s0(w13);
    d += S1(a) + ch(a, b, c) + 0xd192e819 + w12; hh += d; d += S0(e) + maj(e, f, g);
    w13 += s1(w11) + w6 + s0(w14);
    c += S1(hh) + ch(hh, a, b) + 0xd6990624 + w13; g += c; c += S0(d) + maj(d, e, f);
    w14 += s1(w12) + w7 + s0(w15);
    b += S1(g) + ch(g, hh, a) + 0xf40e3585 + w14; f += b; b += S0(c) + maj(c, d, e);
    w15 += s1(w13) + w8 + s0(w0);
    a += S1(f) + ch(f, g, hh) + 0x106aa070 + w15; e += a; a += S0(b) + maj(b, c, d);
    w0 += s1(w14) + w9 + s0(w1);
    hh += S1(e) + ch(e, f, g) + 0x19a4c116 + w0; d += hh; hh += S0(a) + maj(a, b, c);
    w1 += s1(w15) + w10 + s0(w2);
    g += S1(d) + ch(d, e, f) + 0x1e376c08 + w1; c += g; g += S0(hh) + maj(hh, a, b);
    w2 += s1(w0) + w11 + s0(w3);
    f += S1(c) + ch(c, d, e) + 0x2748774c + w2; b += f; f += S0(g) + maj(g, hh, a);
    w3 += s1(w1) + w12 + s0(w4);
    e += S1(b) + ch(b, c, d) + 0x34b0bcb5 + w3; a += e; e += S0(f) + maj(f, g, hh);
    w4 += s1(w2) + w13 + s0(w5);
    d += S1(a) + ch(a, b, c) + 0x391c0cb3 + w4; hh += d; d += S0(e) + maj(e, f, g);
    w5 += s1(w3) + w14 + s0(w6);
    c += S1(hh) + ch(hh, a, b) + 0x4ed8aa4a + w5; g += c; c += S0(d) + maj(d, e, f);
    w6 += s1(w4) + w15 + s0(w7);
    b += S1(g) + ch(g, hh, a) + 0x5b9cca4f + w6; f += b; b += S0(c) + maj(c, d, e);
    w7 += s1(w5) + w0 + s0(w8);
    a += S1(f) + ch(f, g, hh) + 0x682e6ff3 + w7; e += a; a += S0(b) + maj(b, c, d);
    w8 += s1(w6) + w1 + s0(w9);
    hh += S1(e) + ch(e, f, g) + 0x748f82ee + w8; d += hh; hh += S0(a) + maj(a, b, c);
    w9 += s1(w7) + w2 + s0(w10);
    g += S1(d) + ch(d, e, f) + 0x78a5636f + w9; c += g; g += S0(hh) + maj(hh, a, b);
    w10 += s1(w8) + w3 + s0(w11);
    f += S1(c) + ch(c, d, e) + 0x84c87814 + w10; b += f; f += S0(g) + maj(g, hh, a);
    w11 += s1(w9) + w4 + s0(w12);
    e += S1(b) + ch(b, c, d) + 0x8cc70208 + w11; a += e; e += S0(f) + maj(f, g, hh);
    w12 += s1(w10) + w5 + s0(w13);
    d += S1(a) + ch(a, b, c) + 0x90befffa + w12; hh += d; d += S0(e) + maj(e, f, g);
    w13 += s1(w11) + w6 + s0(w14);
    c += S1(hh) + ch(hh, a, b) + 0xa4506ceb + w13; g += c; c += S0(d) + maj(d, e, f);
    w14 += s1(w12) + w7 + s0(w15);
    b += S1(g) + ch(g, hh, a) + 0xbef9a3f7 + w14; f += b; b += S0(c) + maj(c, d, e);
    w15 += s1(w13) + w8 + s0(w0);
    a += S1(f) + ch(f, g, hh) + 0xc67178f2 + w15; e += a; a += S0(b) + maj(b, c, d);
    store<u32>(h, load<u32>(h, 0) + a, 0);
    store<u32>(h, load<u32>(h, 4) + b, 4);
    store<u32>(h, load<u32>(h, 8) + c, 8);
    store<u32>(h, load<u32>(h, 12) + d, 12);
    store<u32>(h, load<u32>(h, 16) + e, 16);
    store<u32>(h, load<u32>(h, 20) + f, 20);
    store<u32>(h, load<u32>(h, 24) + g, 24);
    store<u32>(h, load<u32>(h, 28) + hh, 28);
    p += 64;
  }
}

/** Writes the FIPS 180-4 §5.3.3 initial hash value H(0) to the eight u32 at `h`. */
export function sha256InitialHash(h: usize): void {
  store<u32>(h, 0x6a09e667, 0);
  store<u32>(h, 0xbb67ae85, 4);
  store<u32>(h, 0x3c6ef372, 8);
  store<u32>(h, 0xa54ff53a, 12);
  store<u32>(h, 0x510e527f, 16);
  store<u32>(h, 0x9b05688c, 20);
  store<u32>(h, 0x1f83d9ab, 24);
  store<u32>(h, 0x5be0cd19, 28);
}

/** Starts a new message in the state at `st`. */
export function sha256Init(st: usize): void {
  sha256InitialHash(st);
  store<u64>(st + TOTAL, 0);
  store<u32>(st + BUFFERED, 0);
}

/**
 * Resumes from a chaining value `h` (32 bytes) reached after `total` bytes, a multiple of 64:
 * how HMAC reuses its precomputed ipad/opad states.
 */
export function sha256Resume(st: usize, h: usize, total: u64): void {
  memory.copy(st, h, 32);
  store<u64>(st + TOTAL, total);
  store<u32>(st + BUFFERED, 0);
}

/** Absorbs `length` bytes at `p`. Whole blocks are compressed straight from `p`, not copied. */
export function sha256Update(st: usize, p: usize, length: usize): void {
  store<u64>(st + TOTAL, load<u64>(st + TOTAL) + <u64>length);
  let buffered = <usize>load<u32>(st + BUFFERED);
  if (buffered != 0) {
    const take = min<usize>(64 - buffered, length);
    memory.copy(st + BLOCK + buffered, p, take);
    buffered += take;
    p += take;
    length -= take;
    if (buffered < 64) {
      store<u32>(st + BUFFERED, <u32>buffered);
      return;
    }
    sha256Blocks(st, st + BLOCK, 1);
  }
  const whole = length >>> 6;
  if (whole != 0) sha256Blocks(st, p, whole);
  const rest = length & 63;
  if (rest != 0) memory.copy(st + BLOCK, p + (whole << 6), rest);
  store<u32>(st + BUFFERED, <u32>rest);
}

/**
 * Pads (FIPS 180-4 §5.1.1), compresses the last block(s) and writes the 32-byte digest to
 * `out`. The state must be re-initialised before reuse.
 */
export function sha256Final(st: usize, out: usize): void {
  let buffered = <usize>load<u32>(st + BUFFERED);
  const bits = load<u64>(st + TOTAL) << 3;
  store<u8>(st + BLOCK + buffered, 0x80);
  buffered++;
  if (buffered > 56) {
    memory.fill(st + BLOCK + buffered, 0, 64 - buffered);
    sha256Blocks(st, st + BLOCK, 1);
    buffered = 0;
  }
  memory.fill(st + BLOCK + buffered, 0, 56 - buffered);
  store<u64>(st + BLOCK + 56, bswap<u64>(bits));
  sha256Blocks(st, st + BLOCK, 1);
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(st + i)));
}

/** Zeroes a state (it may hold key-derived chaining values or message bytes). */
export function sha256Wipe(st: usize): void {
  memory.fill(st, 0, SHA256_STATE_SIZE);
}
