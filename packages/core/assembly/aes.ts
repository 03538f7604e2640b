// Constant-time AES-256 block encryption (FIPS 197) for WebAssembly SIMD: bitsliced, eight
// blocks per call.
//
// Layout. Eight 16-byte blocks are held in eight v128 "planes". Plane b, byte lane p, bit k is
// bit b of state byte p of block k, where state byte p is row p % 4, column p / 4 (the FIPS 197
// §3.4 input order). Going in and out of this layout is an 8x8 bit-matrix transpose done in
// parallel for the 16 byte positions: three swapmove stages (shift, xor, mask, xor).
//
// In this layout every AES step is a short sequence of whole-register operations:
//   SubBytes     the Boyar–Peralta S-box circuit, evaluated on the eight planes at once
//                (128 S-boxes per evaluation), using only XOR and AND;
//   ShiftRows    never executed: the rounds are "fixsliced" (see below), so it only shows up as
//                a different lane rotation in MixColumns, a permutation of the round keys, and
//                one byte shuffle per plane after the last round;
//   MixColumns   with u = a ^ rho1(a): out = xtime(u) ^ rho1(a) ^ rho2(u), where rho1/rho2 pick
//                the byte one/two rows down in the same column (lane and byte rotations with
//                immediate operands) and xtime renames planes and adds four XORs
//                (x^8 = x^4 + x^3 + x + 1);
//   AddRoundKey  XOR with pre-bitsliced round keys (each key bit broadcast to 0x00/0xFF).
//
// S-box circuit: J. Boyar and R. Peralta, "A new combinational logic minimization technique
// with applications to cryptology", SEA 2010, https://eprint.iacr.org/2009/191.pdf (the
// 113-gate circuit: 32 AND, 77 XOR, 4 XNOR), transcribed gate by gate; the same circuit is used
// by BearSSL's aes_ct/aes_ct64 (Thomas Pornin), whose variable naming we follow. We drop the
// circuit's four XNORs, so it computes S(x) ^ 0x63; the constant is added back through the round
// keys. That is exact because ShiftRows (and any byte permutation) moves whole bytes and
// MixColumns maps a column of four equal bytes c to itself (2c + 3c + c + c = c), so the 0x63 of
// round r survives unchanged to AddRoundKey r, where the round key (rounds 1..14) carries an
// extra 0x63 in every byte.
//
// Constant time: no memory access depends on secret data (all addresses are fixed offsets or
// depend only on public lengths) and the only branches depend on the round counter and on
// public flags. WebAssembly SIMD bitwise operations, shifts and shuffles with immediate
// operands compile to instructions whose timing does not depend on their operands. The key schedule (FIPS 197 §5.2) uses the same bitsliced S-box for SubWord,
// and bitslices the round keys with SIMD compares, so it is table-free as well.
//
// Memory: fixed areas allocated once when the module starts (the stub runtime's bump
// allocator); nothing is allocated per call, so the memory never grows after instantiation.

/** Rounds of AES-256. */
export const ROUNDS: i32 = 14;

/** Bitsliced round keys: plane b of round r at ROUND_KEYS + 128 r + 16 b (15 rounds). */
export const ROUND_KEYS: usize = heap.alloc(128 * (ROUNDS + 1));
/** Round keys that turn `aesCore(…, 1, false)` into a plain SubBytes: zero, then 0x63. */
const SBOX_KEYS: usize = heap.alloc(256);
/** Scratch input for SubWord (8 blocks, only the first 4 bytes used). */
const SUBWORD: usize = heap.alloc(128);
/** The byte-oriented expanded key (60 words); wiped as soon as it has been bitsliced. */
const WORDS: usize = heap.alloc(240);
/** 128 zero bytes, never written: the xor source when no xor is wanted. */
export const ZEROS: usize = heap.alloc(128);

// The 0x63 of the S-box: bits 0, 1, 5 and 6, i.e. planes 0, 1, 5 and 6 are complemented.
store<u64>(SBOX_KEYS + 128 + 16 * 0, -1); store<u64>(SBOX_KEYS + 128 + 16 * 0 + 8, -1);
store<u64>(SBOX_KEYS + 128 + 16 * 1, -1); store<u64>(SBOX_KEYS + 128 + 16 * 1 + 8, -1);
store<u64>(SBOX_KEYS + 128 + 16 * 5, -1); store<u64>(SBOX_KEYS + 128 + 16 * 5 + 8, -1);
store<u64>(SBOX_KEYS + 128 + 16 * 6, -1); store<u64>(SBOX_KEYS + 128 + 16 * 6 + 8, -1);

// @ts-ignore: decorator
@inline function X(a: v128, b: v128): v128 { return v128.xor(a, b); }
// @ts-ignore: decorator
@inline function A(a: v128, b: v128): v128 { return v128.and(a, b); }

// Byte permutations of one plane. State byte p = row p % 4 + 4 * column, so a plane is four
// 32-bit lanes, one per column, with row r in byte r of its lane.
//
// Fixslicing (after Adomnicai and Peyrin, "Fixslicing AES-like ciphers", TCHES 2021/1): we
// never apply ShiftRows (T). After j rounds we hold p_j = T^-j(q_j) instead of the true state
// q_j. Since SubBytes is bytewise it commutes with T, and round j becomes
//   p_j = (T^-j MC T^j)(SubBytes(p_(j-1))) ^ T^-j(K_j),
// where the conjugated MixColumns takes, for the byte in row r and column c, row r + i from
// column c + i*j (i = 1, 2, 3): a rotation of the 32-bit lanes (pshufd, an immediate) followed by
// a rotation of the bytes inside each lane (shifts). Only j mod 4 matters (T^4 = 1), the round
// keys are stored pre-permuted by T^-j, and after the last round T^14 = T^2 is applied once.
// This replaces the two arbitrary byte shuffles per plane and round of the textbook layout
// (which V8 compiles to pshufb plus a 4-instruction constant load) with immediates and shifts.

// Each lane's bytes move down one row: byte r takes byte r + 1.
// @ts-ignore: decorator
@inline function rotRow1(v: v128): v128 {
  return v128.or(i32x4.shr_u(v, 8), i32x4.shl(v, 24));
}
// Each lane's bytes move down two rows (a 16-bit swap: pshuflw + pshufhw).
// @ts-ignore: decorator
@inline function rotRow2(v: v128): v128 {
  return i8x16.shuffle(v, v, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}
// Lane (column) c takes lane c + n.
// @ts-ignore: decorator
@inline function rotCol1(v: v128): v128 {
  return i32x4.shuffle(v, v, 1, 2, 3, 0);
}
// @ts-ignore: decorator
@inline function rotCol2(v: v128): v128 {
  return i32x4.shuffle(v, v, 2, 3, 0, 1);
}
// @ts-ignore: decorator
@inline function rotCol3(v: v128): v128 {
  return i32x4.shuffle(v, v, 3, 0, 1, 2);
}
// T^2 (ShiftRows twice): row r rotates left by 2r columns.
// @ts-ignore: decorator
@inline function shiftRows2(v: v128): v128 {
  return i8x16.shuffle(v, v, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 5, 14, 7);
}
// T^-1 (inverse ShiftRows): row r rotates right by r columns.
// @ts-ignore: decorator
@inline function invShiftRows(v: v128): v128 {
  return i8x16.shuffle(v, v, 0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3);
}

/**
 * Encrypts the 8 blocks at `src` with the bitsliced round keys at `rk` and writes
 * E(block k) ^ xsrc[k] to dst[k] (128 bytes each; `dst` may equal `src` or `xsrc`).
 * `nr` rounds; with `linear` false the rounds skip ShiftRows and MixColumns (used for SubWord).
 */
export function aesCore(src: usize, xsrc: usize, dst: usize, rk: usize, nr: i32, linear: bool): void {
  let q0 = v128.load(src, 0), q1 = v128.load(src, 16), q2 = v128.load(src, 32), q3 = v128.load(src, 48);
  let q4 = v128.load(src, 64), q5 = v128.load(src, 80), q6 = v128.load(src, 96), q7 = v128.load(src, 112);
  // Blocks to planes: an 8x8 bit transpose of each byte position across the 8 blocks.
  // swapmove(a, b, d, m): t = ((a >> d) ^ b) & m; b ^= t; a ^= t << d exchanges bit d of the
  // block index with bit d of the bit index; doing it for d = 1, 2, 4 transposes. (The same
  // twelve lines, an involution, turn the planes back into blocks after the last round; they
  // are written out twice so that the state never leaves registers.)
  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);
  let t: v128;
  t = A(X(i64x2.shr_u(q0, 1), q1), m1); q1 = X(q1, t); q0 = X(q0, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q2, 1), q3), m1); q3 = X(q3, t); q2 = X(q2, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q4, 1), q5), m1); q5 = X(q5, t); q4 = X(q4, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q6, 1), q7), m1); q7 = X(q7, t); q6 = X(q6, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q0, 2), q2), m2); q2 = X(q2, t); q0 = X(q0, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q1, 2), q3), m2); q3 = X(q3, t); q1 = X(q1, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q4, 2), q6), m2); q6 = X(q6, t); q4 = X(q4, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q5, 2), q7), m2); q7 = X(q7, t); q5 = X(q5, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q0, 4), q4), m4); q4 = X(q4, t); q0 = X(q0, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(q1, 4), q5), m4); q5 = X(q5, t); q1 = X(q1, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(q2, 4), q6), m4); q6 = X(q6, t); q2 = X(q2, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(q3, 4), q7), m4); q7 = X(q7, t); q3 = X(q3, i64x2.shl(t, 4));
  q0 = X(q0, v128.load(rk, 0)); q1 = X(q1, v128.load(rk, 16)); q2 = X(q2, v128.load(rk, 32)); q3 = X(q3, v128.load(rk, 48));
  q4 = X(q4, v128.load(rk, 64)); q5 = X(q5, v128.load(rk, 80)); q6 = X(q6, v128.load(rk, 96)); q7 = X(q7, v128.load(rk, 112));
  for (let r = 1; r <= nr; r++) {
    rk += 128;
    // ---- SubBytes: Boyar–Peralta. x0 is the most significant bit (plane 7), x7 the least.
    const x0 = q7, x1 = q6, x2 = q5, x3 = q4, x4 = q3, x5 = q2, x6 = q1, x7 = q0;
    // Top linear transformation.
    const y14 = X(x3, x5);
    const y13 = X(x0, x6);
    const y9 = X(x0, x3);
    const y8 = X(x0, x5);
    const t0 = X(x1, x2);
    const y1 = X(t0, x7);
    const y4 = X(y1, x3);
    const y12 = X(y13, y14);
    const y2 = X(y1, x0);
    const y5 = X(y1, x6);
    const y3 = X(y5, y8);
    const t1 = X(x4, y12);
    const y15 = X(t1, x5);
    const y20 = X(t1, x1);
    const y6 = X(y15, x7);
    const y10 = X(y15, t0);
    const y11 = X(y20, y9);
    const y7 = X(x7, y11);
    const y17 = X(y10, y11);
    const y19 = X(y10, y8);
    const y16 = X(t0, y11);
    const y21 = X(y13, y16);
    const y18 = X(x0, y16);
    // Non-linear middle section (inversion in GF(2^4)^2).
    const t2 = A(y12, y15);
    const t3 = A(y3, y6);
    const t4 = X(t3, t2);
    const t5 = A(y4, x7);
    const t6 = X(t5, t2);
    const t7 = A(y13, y16);
    const t8 = A(y5, y1);
    const t9 = X(t8, t7);
    const t10 = A(y2, y7);
    const t11 = X(t10, t7);
    const t12 = A(y9, y11);
    const t13 = A(y14, y17);
    const t14 = X(t13, t12);
    const t15 = A(y8, y10);
    const t16 = X(t15, t12);
    const t17 = X(t4, t14);
    const t18 = X(t6, t16);
    const t19 = X(t9, t14);
    const t20 = X(t11, t16);
    const t21 = X(t17, y20);
    const t22 = X(t18, y19);
    const t23 = X(t19, y21);
    const t24 = X(t20, y18);
    const t25 = X(t21, t22);
    const t26 = A(t21, t23);
    const t27 = X(t24, t26);
    const t28 = A(t25, t27);
    const t29 = X(t28, t22);
    const t30 = X(t23, t24);
    const t31 = X(t22, t26);
    const t32 = A(t31, t30);
    const t33 = X(t32, t24);
    const t34 = X(t23, t33);
    const t35 = X(t27, t33);
    const t36 = A(t24, t35);
    const t37 = X(t36, t34);
    const t38 = X(t27, t36);
    const t39 = A(t29, t38);
    const t40 = X(t25, t39);
    const t41 = X(t40, t37);
    const t42 = X(t29, t33);
    const t43 = X(t29, t40);
    const t44 = X(t33, t37);
    const t45 = X(t42, t41);
    const z0 = A(t44, y15);
    const z1 = A(t37, y6);
    const z2 = A(t33, x7);
    const z3 = A(t43, y16);
    const z4 = A(t40, y1);
    const z5 = A(t29, y7);
    const z6 = A(t42, y11);
    const z7 = A(t45, y17);
    const z8 = A(t41, y10);
    const z9 = A(t44, y12);
    const z10 = A(t37, y3);
    const z11 = A(t33, y4);
    const z12 = A(t43, y13);
    const z13 = A(t40, y5);
    const z14 = A(t29, y2);
    const z15 = A(t42, y9);
    const z16 = A(t45, y14);
    const z17 = A(t41, y8);
    // Bottom linear transformation (the circuit's XNORs are plain XORs here: see the header).
    const t46 = X(z15, z16);
    const t47 = X(z10, z11);
    const t48 = X(z5, z13);
    const t49 = X(z9, z10);
    const t50 = X(z2, z12);
    const t51 = X(z2, z5);
    const t52 = X(z7, z8);
    const t53 = X(z0, z3);
    const t54 = X(z6, z7);
    const t55 = X(z16, z17);
    const t56 = X(z12, t48);
    const t57 = X(t50, t53);
    const t58 = X(z4, t46);
    const t59 = X(z3, t54);
    const t60 = X(t46, t57);
    const t61 = X(z14, t57);
    const t62 = X(t52, t58);
    const t63 = X(t49, t58);
    const t64 = X(z4, t59);
    const t65 = X(t61, t62);
    const t66 = X(z1, t63);
    const s0 = X(t59, t63);
    const s6 = X(t56, t62);
    const s7 = X(t48, t60);
    const t67 = X(t64, t65);
    const s3 = X(t53, t66);
    const s4 = X(t51, t66);
    const s5 = X(t47, t65);
    const s1 = X(t64, s3);
    const s2 = X(t55, t67);
    // s0 is the most significant bit: plane b = s(7 - b). Then the conjugated MixColumns
    // (FIPS 197 §5.1.3) as out = xtime(u) ^ r ^ rho2(u), with r = rho1(s), u = s ^ r: xtime
    // renames planes (b takes b - 1) and folds u7 into planes 0, 1, 3 and 4 (x^8 = x^4+x^3+x+1).
    if (!linear || r == nr) {
      q0 = s7; q1 = s6; q2 = s5; q3 = s4; q4 = s3; q5 = s2; q6 = s1; q7 = s0;
    } else {
      const k = r & 3;
      let r0: v128, r1: v128, r2: v128, r3: v128, r4: v128, r5: v128, r6: v128, r7: v128;
      if (k == 1) {
        r0 = rotRow1(rotCol1(s7)); r1 = rotRow1(rotCol1(s6)); r2 = rotRow1(rotCol1(s5)); r3 = rotRow1(rotCol1(s4));
        r4 = rotRow1(rotCol1(s3)); r5 = rotRow1(rotCol1(s2)); r6 = rotRow1(rotCol1(s1)); r7 = rotRow1(rotCol1(s0));
      } else if (k == 2) {
        r0 = rotRow1(rotCol2(s7)); r1 = rotRow1(rotCol2(s6)); r2 = rotRow1(rotCol2(s5)); r3 = rotRow1(rotCol2(s4));
        r4 = rotRow1(rotCol2(s3)); r5 = rotRow1(rotCol2(s2)); r6 = rotRow1(rotCol2(s1)); r7 = rotRow1(rotCol2(s0));
      } else if (k == 3) {
        r0 = rotRow1(rotCol3(s7)); r1 = rotRow1(rotCol3(s6)); r2 = rotRow1(rotCol3(s5)); r3 = rotRow1(rotCol3(s4));
        r4 = rotRow1(rotCol3(s3)); r5 = rotRow1(rotCol3(s2)); r6 = rotRow1(rotCol3(s1)); r7 = rotRow1(rotCol3(s0));
      } else {
        r0 = rotRow1(s7); r1 = rotRow1(s6); r2 = rotRow1(s5); r3 = rotRow1(s4);
        r4 = rotRow1(s3); r5 = rotRow1(s2); r6 = rotRow1(s1); r7 = rotRow1(s0);
      }
      const u0 = X(s7, r0), u1 = X(s6, r1), u2 = X(s5, r2), u3 = X(s4, r3);
      const u4 = X(s3, r4), u5 = X(s2, r5), u6 = X(s1, r6), u7 = X(s0, r7);
      // rho2 = two rows down, from column c + 2k: for odd k the columns swap halves.
      let v0 = rotRow2(u0), v1 = rotRow2(u1), v2 = rotRow2(u2), v3 = rotRow2(u3);
      let v4 = rotRow2(u4), v5 = rotRow2(u5), v6 = rotRow2(u6), v7 = rotRow2(u7);
      if (k & 1) {
        v0 = rotCol2(v0); v1 = rotCol2(v1); v2 = rotCol2(v2); v3 = rotCol2(v3);
        v4 = rotCol2(v4); v5 = rotCol2(v5); v6 = rotCol2(v6); v7 = rotCol2(v7);
      }
      q0 = X(X(u7, r0), v0);
      q1 = X(X(X(u0, u7), r1), v1);
      q2 = X(X(u1, r2), v2);
      q3 = X(X(X(u2, u7), r3), v3);
      q4 = X(X(X(u3, u7), r4), v4);
      q5 = X(X(u4, r5), v5);
      q6 = X(X(u5, r6), v6);
      q7 = X(X(u6, r7), v7);
    }
    // AddRoundKey.
    q0 = X(q0, v128.load(rk, 0));
    q1 = X(q1, v128.load(rk, 16));
    q2 = X(q2, v128.load(rk, 32));
    q3 = X(q3, v128.load(rk, 48));
    q4 = X(q4, v128.load(rk, 64));
    q5 = X(q5, v128.load(rk, 80));
    q6 = X(q6, v128.load(rk, 96));
    q7 = X(q7, v128.load(rk, 112));
  }
  if (linear) {
    // p_14 = T^-14(q_14): apply T^14 = T^2 to recover the true state (see fixslicing above).
    q0 = shiftRows2(q0); q1 = shiftRows2(q1); q2 = shiftRows2(q2); q3 = shiftRows2(q3);
    q4 = shiftRows2(q4); q5 = shiftRows2(q5); q6 = shiftRows2(q6); q7 = shiftRows2(q7);
  }
  // Planes back to blocks: the same transpose as on entry.
  t = A(X(i64x2.shr_u(q0, 1), q1), m1); q1 = X(q1, t); q0 = X(q0, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q2, 1), q3), m1); q3 = X(q3, t); q2 = X(q2, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q4, 1), q5), m1); q5 = X(q5, t); q4 = X(q4, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q6, 1), q7), m1); q7 = X(q7, t); q6 = X(q6, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(q0, 2), q2), m2); q2 = X(q2, t); q0 = X(q0, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q1, 2), q3), m2); q3 = X(q3, t); q1 = X(q1, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q4, 2), q6), m2); q6 = X(q6, t); q4 = X(q4, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q5, 2), q7), m2); q7 = X(q7, t); q5 = X(q5, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(q0, 4), q4), m4); q4 = X(q4, t); q0 = X(q0, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(q1, 4), q5), m4); q5 = X(q5, t); q1 = X(q1, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(q2, 4), q6), m4); q6 = X(q6, t); q2 = X(q2, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(q3, 4), q7), m4); q7 = X(q7, t); q3 = X(q3, i64x2.shl(t, 4));
  v128.store(dst, X(q0, v128.load(xsrc, 0)), 0); v128.store(dst, X(q1, v128.load(xsrc, 16)), 16);
  v128.store(dst, X(q2, v128.load(xsrc, 32)), 32); v128.store(dst, X(q3, v128.load(xsrc, 48)), 48);
  v128.store(dst, X(q4, v128.load(xsrc, 64)), 64); v128.store(dst, X(q5, v128.load(xsrc, 80)), 80);
  v128.store(dst, X(q6, v128.load(xsrc, 96)), 96); v128.store(dst, X(q7, v128.load(xsrc, 112)), 112);
}

/** SubWord (FIPS 197 §5.2) through the bitsliced S-box: no table. */
function subWord(w: u32): u32 {
  memory.fill(SUBWORD, 0, 128);
  store<u32>(SUBWORD, w);
  aesCore(SUBWORD, ZEROS, SUBWORD, SBOX_KEYS, 1, false);
  // With `linear` false nothing moves between bytes: bytes 0..3 of block 0 are S(w).
  const s = load<u32>(SUBWORD);
  memory.fill(SUBWORD, 0, 128);
  return s;
}

/**
 * Expands the 32-byte key at `key` (FIPS 197 §5.2, Nk = 8) into bitsliced round keys at
 * ROUND_KEYS, with the S-box constant 0x63 folded into rounds 1..14 (see the header).
 */
export function expandKey(key: usize): void {
  memory.copy(WORDS, key, 32);
  // Words are little-endian u32s: byte 0 of a word is its low byte, so RotWord is rotr 8.
  let rcon: u32 = 1;
  for (let i = 8; i < 60; i++) {
    let t = load<u32>(WORDS + ((i - 1) << 2));
    if ((i & 7) == 0) {
      t = subWord(rotr<u32>(t, 8)) ^ rcon;
      rcon <<= 1;
    } else if ((i & 7) == 4) {
      t = subWord(t);
    }
    store<u32>(WORDS + (i << 2), load<u32>(WORDS + ((i - 8) << 2)) ^ t);
  }
  for (let r = 0; r <= ROUNDS; r++) {
    let k = v128.load(WORDS + (r << 4));
    // Fixslicing: round key j is stored as T^-j(K_j).
    for (let i = 0; i < (r & 3); i++) k = invShiftRows(k);
    const out = ROUND_KEYS + (r << 7);
    for (let b = 0; b < 8; b++) {
      const mask: i32 = 1 << b;
      const bit = i8x16.splat(<i8>mask);
      let plane = i8x16.eq(v128.and(k, bit), bit);
      // 0x63 = bits 0, 1, 5, 6: complement those planes of rounds 1..14.
      if (r > 0 && ((0x63 >> b) & 1) != 0) plane = v128.not(plane);
      v128.store(out + (b << 4), plane);
    }
  }
  memory.fill(WORDS, 0, 240);
}

/** Zeroes the round keys and every scratch area that held key or state material. */
export function wipeAes(): void {
  memory.fill(ROUND_KEYS, 0, 128 * (ROUNDS + 1));
  memory.fill(SUBWORD, 0, 128);
  memory.fill(WORDS, 0, 240);
}
