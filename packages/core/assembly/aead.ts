// The AEAD module of @cairn/core: AES-256-GCM (NIST SP 800-38D) and AES-256-CTR
// (NIST SP 800-38A §6.5), constant-time, on top of the bitsliced AES in ./aes and the
// table-free GHASH in ./ghash. The host (src/internal/aesWasm.ts) drives it through a fixed
// I/O buffer: it copies up to IO_SIZE bytes in, calls one function per buffer-full, and copies
// the result out. Sequences of calls:
//
//   seal:  key -> PARAMS; gcmSetKey; nonce (gcmNonce12, or gcmNonceStart + absorb* +
//          gcmNonceEnd); absorb* (AAD); gcmTextStart; gcmEncrypt* (plaintext); gcmTag; wipe
//   open:  ... as seal up to gcmTextStart; absorb* (ciphertext); gcmTag; expected tag ->
//          PARAMS; gcmVerify; only if it returned 1: gcmCrypt* (ciphertext); wipe
//   ctr:   key and IV -> PARAMS; ctrSetKey; ctrCrypt*; wipe
//
// Every chunk but the last of each stream (nonce, AAD, text) must be a multiple of 128 bytes;
// IO_SIZE is, and the host cuts at IO_SIZE. Lengths are public; keys, data and tags are not, and
// nothing here branches on them or uses them as addresses (see ./aes.ts and ./ghash.ts).
//
// Memory: every area below is allocated once, at instantiation; memory never grows afterwards,
// so the host's views of it stay valid. `wipe` zeroes all key material (round keys, H and its
// powers, J0, Y, counters) and the used part of the I/O buffer.
//
// Speed (AMD EPYC Zen 4 at ~3.5 GHz, Node 20, unloaded; scripts/bench-aes.mjs): CTR about
// 420 MB/s, GHASH about 430 MB/s, GCM about 220 MB/s; @noble/ciphers' GCM does ~70 MB/s.
// Tried and not kept: interleaving GHASH with the AES rounds of the next batch (the SIMD and
// the integer work did not overlap in V8's code: no gain, so open stays verify-then-decrypt),
// unrolling the GHASH inner loop (slower), two 8-block batches per round loop (no gain) and
// row-major planes (fewer shuffles on paper, no measurable gain).
import { aesCore, expandKey, wipeAes, ROUND_KEYS, ROUNDS, ZEROS } from "./aes";
import { ghashBlocks, ghashReset, ghashSetKey, ghashUpdate, ghashValue, wipeGhash } from "./ghash";

/** Bytes of the I/O buffer (a multiple of 128). */
const IO_SIZE: i32 = 256 * 1024;
const IO: usize = heap.alloc(IO_SIZE);
/** Parameters: key (0..31), IV / tag out (32..47), expected tag (48..63). */
const PARAMS: usize = heap.alloc(64);
/** Eight counter blocks, then their keystream. */
const COUNTERS: usize = heap.alloc(128);
const KEYSTREAM: usize = heap.alloc(128);
/** J0 of the current GCM message. */
const J0: usize = heap.alloc(16);

/** GCM: the 32-bit counter of the next block is `counter` + 1 (inc32 arithmetic, mod 2^32). */
let counter: u32 = 0;
/** CTR: the 128-bit big-endian counter of the next block. */
let ctrHi: u64 = 0;
let ctrLo: u64 = 0;
/** Bytes absorbed into GHASH since the last reset, and the AAD length of this message. */
let absorbed: u64 = 0;
let aadBytes: u64 = 0;

export function ioBuffer(): usize { return IO; }
export function ioSize(): i32 { return IO_SIZE; }
export function paramBuffer(): usize { return PARAMS; }

// ---- Keys ----------------------------------------------------------------------------------

/** Expands the key at PARAMS[0..32] for CTR, then zeroes those bytes. */
export function ctrSetKey(): void {
  expandKey(PARAMS);
  memory.fill(PARAMS, 0, 32);
  // CTR IV at PARAMS[32..48], big-endian.
  ctrHi = bswap<u64>(load<u64>(PARAMS, 32));
  ctrLo = bswap<u64>(load<u64>(PARAMS, 40));
}

/** Expands the key at PARAMS[0..32], zeroes it, and derives H = E_K(0^128) and its powers. */
export function gcmSetKey(): void {
  expandKey(PARAMS);
  memory.fill(PARAMS, 0, 32);
  aesCore(ZEROS, ZEROS, KEYSTREAM, ROUND_KEYS, ROUNDS, true);
  ghashSetKey(KEYSTREAM);
  memory.fill(KEYSTREAM, 0, 128);
}

// ---- GHASH input ---------------------------------------------------------------------------

/** Absorbs IO[0..len] (nonce, AAD or ciphertext) into GHASH. */
export function absorb(len: i32): void {
  ghashUpdate(IO, len);
  absorbed += <u64>len;
}

/** Absorbs the length block [a]_64 || [b]_64 (bit counts, big-endian). */
function absorbLengths(aBytes: u64, bBytes: u64): void {
  store<u64>(KEYSTREAM, bswap<u64>(aBytes << 3));
  store<u64>(KEYSTREAM, bswap<u64>(bBytes << 3), 8);
  ghashBlocks(KEYSTREAM, 1);
  v128.store(KEYSTREAM, i64x2.splat(0));
}

// ---- Nonce -> J0 (SP 800-38D §7.1 step 2) ----------------------------------------------------

/** 96-bit nonce at IO[0..12]: J0 = nonce || 0^31 || 1. */
export function gcmNonce12(): void {
  v128.store(J0, v128.load(IO));
  store<u32>(J0, 0x01000000, 12);
  counter = 1;
  ghashReset();
  absorbed = 0;
}

/** Other nonce lengths: J0 = GHASH(nonce || 0-pad || 0^64 || [len]_64); absorb the nonce next. */
export function gcmNonceStart(): void {
  ghashReset();
  absorbed = 0;
}

export function gcmNonceEnd(): void {
  absorbLengths(0, absorbed);
  v128.store(J0, v128.load(ghashValue()));
  counter = bswap<u32>(load<u32>(J0, 12));
  ghashReset();
  absorbed = 0;
}

/** Marks the end of the AAD: what was absorbed so far is its length. */
export function gcmTextStart(): void {
  aadBytes = absorbed;
  absorbed = 0;
}

// ---- Counter mode -------------------------------------------------------------------------

/** Writes `n` (1..8) GCM counter blocks J0[0..12] || [counter + 1 + i]_32 and advances. */
// @ts-ignore: decorator
@inline function gcmCounters(n: i32): void {
  const prefix = v128.load(J0);
  for (let i = 0; i < n; i++) {
    const at = COUNTERS + (<usize>i << 4);
    v128.store(at, prefix);
    store<u32>(at, bswap<u32>(counter + 1 + <u32>i), 12);
  }
  counter += <u32>n;
}

/** Writes `n` (1..8) CTR counter blocks (128-bit big-endian increment) and advances. */
// @ts-ignore: decorator
@inline function ctrCounters(n: i32): void {
  for (let i = 0; i < n; i++) {
    const lo = ctrLo + <u64>i;
    const hi = ctrHi + <u64>(lo < ctrLo);
    const v = i64x2.replace_lane(i64x2.splat(hi), 1, lo);
    v128.store(COUNTERS + (<usize>i << 4), i8x16.shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
  }
  const lo = ctrLo + <u64>n;
  ctrHi += <u64>(lo < ctrLo);
  ctrLo = lo;
}

/** XORs the keystream into IO[0..len] in place (gcm: inc32 counters, else 128-bit). */
function crypt(len: i32, gcm: bool): void {
  let ptr = IO;
  while (len >= 128) {
    if (gcm) gcmCounters(8); else ctrCounters(8);
    aesCore(COUNTERS, ptr, ptr, ROUND_KEYS, ROUNDS, true);
    ptr += 128;
    len -= 128;
  }
  if (len > 0) {
    const blocks = (len + 15) >> 4;
    if (gcm) gcmCounters(blocks); else ctrCounters(blocks);
    aesCore(COUNTERS, ZEROS, KEYSTREAM, ROUND_KEYS, ROUNDS, true);
    let i = 0;
    for (; i + 16 <= len; i += 16) {
      v128.store(ptr + i, v128.xor(v128.load(ptr + i), v128.load(KEYSTREAM + i)));
    }
    for (; i < len; i++) store<u8>(ptr + i, load<u8>(ptr + i) ^ load<u8>(KEYSTREAM + i));
    memory.fill(KEYSTREAM, 0, 128);
  }
}

/** GCM encryption of IO[0..len] in place, absorbing the ciphertext. */
export function gcmEncrypt(len: i32): void {
  crypt(len, true);
  absorb(len);
}

/** GCM keystream only: decryption, once the tag has been verified. */
export function gcmCrypt(len: i32): void {
  crypt(len, true);
}

/** CTR encryption / decryption of IO[0..len] in place. */
export function ctrCrypt(len: i32): void {
  crypt(len, false);
}

// ---- Tag ------------------------------------------------------------------------------------

/** Finishes GHASH and writes the tag E_K(J0) ^ S to PARAMS[32..48]. */
export function gcmTag(): void {
  absorbLengths(aadBytes, absorbed);
  v128.store(COUNTERS, v128.load(J0));
  aesCore(COUNTERS, ZEROS, KEYSTREAM, ROUND_KEYS, ROUNDS, true);
  v128.store(PARAMS, v128.xor(v128.load(KEYSTREAM), v128.load(ghashValue())), 32);
  memory.fill(KEYSTREAM, 0, 128);
  ghashReset();
}

/**
 * 1 if the computed tag (PARAMS[32..48]) equals the expected one (PARAMS[48..64]), else 0.
 * Constant time: one OR over the XOR of the whole tags.
 */
export function gcmVerify(): i32 {
  const diff = v128.xor(v128.load(PARAMS, 32), v128.load(PARAMS, 48));
  return 1 - <i32>v128.any_true(diff);
}

// ---- Wiping ---------------------------------------------------------------------------------

/** Zeroes all key material and state, and IO[0..ioUsed]. */
export function wipe(ioUsed: i32): void {
  wipeAes();
  wipeGhash();
  memory.fill(PARAMS, 0, 64);
  memory.fill(COUNTERS, 0, 128);
  memory.fill(KEYSTREAM, 0, 128);
  memory.fill(J0, 0, 16);
  memory.fill(IO, 0, <usize>(ioUsed < IO_SIZE ? ioUsed : IO_SIZE));
  counter = 0;
  ctrHi = 0;
  ctrLo = 0;
  absorbed = 0;
  aadBytes = 0;
}
