// The WASM AES engine (assembly/aes.ts, assembly/ghash.ts, assembly/aead.ts) through the public
// API: published vectors (test/vectors/, sources in its README), then differential tests against
// node:crypto, Web Crypto and @noble/ciphers, then tampering. Random inputs come from a seeded
// generator; the seed is printed, and AES_TEST_SEED=<n> reruns a failure.
import { createCipheriv, createDecipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { ctr as nobleCtr, gcm as nobleGcm } from "@noble/ciphers/aes.js";
import { beforeAll, describe, expect, it } from "vitest";
import { createAes, GCM_MAX_NONCE_LENGTH, type Aes } from "./aes.js";
import { loadWasmAes } from "./internal/aesWasm.js";
import { AuthenticationError } from "./errors.js";

// ---- helpers ------------------------------------------------------------------------------

const SEED = Number(process.env.AES_TEST_SEED ?? 0x5eed_c0de) >>> 0;
console.log(`aes.wasm.test: seed ${SEED} (rerun with AES_TEST_SEED=${SEED})`);

/** A splitmix32-style generator: reproducible, fast, and plenty for test inputs. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const v = next();
        out[i] = v;
        if (i + 1 < n) out[i + 1] = v >>> 8;
        if (i + 2 < n) out[i + 2] = v >>> 16;
        if (i + 3 < n) out[i + 3] = v >>> 24;
      }
      return out;
    },
    int(max: number): number {
      return next() % max;
    },
  };
}
const random = rng(SEED);

const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
const vectors = (name: string) => JSON.parse(readFileSync(new URL(`../test/vectors/${name}`, import.meta.url), "utf8"));
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** node:crypto GCM (the reference). Node 20 (OpenSSL 3) refuses IVs over 128 bytes: null then. */
function nodeSeal(key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array): Uint8Array | null {
  if (nonce.length > 128) return null;
  const c = createCipheriv("aes-256-gcm", key, nonce);
  c.setAAD(aad);
  return new Uint8Array(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
}
function nodeOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  const d = createDecipheriv("aes-256-gcm", key, nonce);
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
}
const nodeCtr = (key: Uint8Array, iv: Uint8Array, data: Uint8Array) => new Uint8Array(createCipheriv("aes-256-ctr", key, iv).update(data));
/** noble's gcm accepts nonces of 8 bytes and more. */
const nobleSeal = (key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array) =>
  nonce.length >= 8 ? nobleGcm(key, nonce, aad).encrypt(pt) : null;

async function rejects(p: Promise<unknown>, type: new (...args: never[]) => Error): Promise<void> {
  let error: unknown;
  let value: unknown;
  try {
    value = await p;
  } catch (e) {
    error = e;
  }
  expect(value, "no plaintext may be returned").toBeUndefined();
  expect(error).toBeInstanceOf(type);
}

// The engine's internal sizes, for boundary tests: 8-block (128-byte) batches and a 256 KiB I/O
// buffer (assembly/aead.ts IO_SIZE). The tests stay valid if these change; they just aim there.
const BATCH = 128;
const IO = 256 * 1024;

let wasm: Aes;
let node: Aes;
let web: Aes;
beforeAll(async () => {
  wasm = await createAes("wasm");
  node = await createAes("node");
  web = await createAes("webcrypto");
});

// ---- known answers ------------------------------------------------------------------------

describe("AES-256 known answers", () => {
  const kat = vectors("aes256_kat.json");
  // E_K(P) is the first keystream block of CTR started at counter block P: ECB(K, P) = CTR(K, P, 0^128).
  const ecb = async (key: Uint8Array, blocks: Uint8Array) => {
    const out = new Uint8Array(blocks.length);
    for (let i = 0; i < blocks.length; i += 16) out.set(await wasm.ctr(key, blocks.subarray(i, i + 16), new Uint8Array(16)), i);
    return out;
  };

  it("FIPS 197 C.3 (AES-256 cipher example)", async () => {
    const v = kat.fips197_c3;
    expect(toHex(await ecb(hex(v.key), hex(v.plaintext)))).toBe(v.ciphertext);
  });

  it("SP 800-38A F.1.5 ECB-AES256", async () => {
    const v = kat.sp800_38a_f15_ecb;
    expect(toHex(await ecb(hex(v.key), hex(v.plaintext)))).toBe(v.ciphertext);
  });

  it("SP 800-38A F.5.5 CTR-AES256, whole and byte by byte from each block", async () => {
    const v = kat.sp800_38a_f55_ctr;
    expect(toHex(await wasm.ctr(hex(v.key), hex(v.counter), hex(v.plaintext)))).toBe(v.ciphertext);
    expect(toHex(await wasm.ctr(hex(v.key), hex(v.counter), hex(v.ciphertext)))).toBe(v.plaintext);
    for (let n = 0; n <= 64; n++) {
      expect(toHex(await wasm.ctr(hex(v.key), hex(v.counter), hex(v.plaintext).subarray(0, n)))).toBe(v.ciphertext.slice(0, 2 * n));
    }
  });
});

describe("GCM published vectors", () => {
  it("McGrew–Viega test cases 13–18 (AES-256; 17 and 18 have 64- and 480-bit IVs)", async () => {
    const { tests } = vectors("gcm_mcgrew_viega_aes256.json");
    expect(tests).toHaveLength(6);
    for (const t of tests) {
      const sealed = await wasm.seal(hex(t.key), hex(t.iv), hex(t.pt), hex(t.aad));
      expect(toHex(sealed), `case ${t.case}`).toBe(t.ct + t.tag);
      expect(toHex(await wasm.open(hex(t.key), hex(t.iv), sealed, hex(t.aad))), `case ${t.case}`).toBe(t.pt);
    }
  });

  it("NIST CAVP gcmEncryptExtIV256 / gcmDecrypt256 selection, including FAIL vectors", async () => {
    const { encrypt, decrypt } = vectors("cavp_gcm_aes256.json");
    for (const t of encrypt) {
      expect(toHex(await wasm.seal(hex(t.key), hex(t.iv), hex(t.pt), hex(t.aad)))).toBe(t.ct + t.tag);
    }
    let fails = 0;
    for (const t of decrypt) {
      const open = wasm.open(hex(t.key), hex(t.iv), hex(t.ct + t.tag), hex(t.aad));
      if (t.pt === null) {
        fails++;
        await rejects(open, AuthenticationError);
      } else {
        expect(toHex(await open)).toBe(t.pt);
      }
    }
    expect(fails).toBe(6);
  });

  describe("Wycheproof aes_gcm_test.json, every AES-256 group", () => {
    const doc = vectors("wycheproof_aes_gcm_256_test.json");
    for (const group of doc.testGroups) {
      it(`ivSize ${group.ivSize}, ${group.tests.length} tests`, async () => {
        expect(group.keySize).toBe(256);
        expect(group.tagSize).toBe(128);
        for (const t of group.tests) {
          const [key, iv, aad, msg, sealed] = [hex(t.key), hex(t.iv), hex(t.aad), hex(t.msg), hex(t.ct + t.tag)];
          const what = `tcId ${t.tcId} (${t.comment || t.flags.join(",")})`;
          if (group.ivSize === 0) {
            // An empty nonce is misuse, refused before any work.
            expect(t.result, what).toBe("invalid");
            await rejects(wasm.seal(key, iv, msg, aad), RangeError);
            await rejects(wasm.open(key, iv, sealed, aad), RangeError);
          } else if (iv.length > GCM_MAX_NONCE_LENGTH) {
            // The public API refuses nonces node:crypto and Web Crypto refuse, so engines accept
            // the same inputs; the WASM core itself handles any length, checked here directly.
            await rejects(wasm.seal(key, iv, msg, aad), RangeError);
            const core = await loadWasmAes();
            if (t.result === "valid") {
              expect(toHex(core.gcmSeal(key, iv, msg, aad)), what).toBe(t.ct + t.tag);
              // node:crypto refuses such IVs: noble is the second opinion.
              expect(toHex(nobleGcm(key, iv, aad).encrypt(msg)), what).toBe(t.ct + t.tag);
              expect(toHex(core.gcmOpen(key, iv, sealed, aad)), what).toBe(t.msg);
            } else {
              expect(() => core.gcmOpen(key, iv, sealed, aad), what).toThrow(AuthenticationError);
            }
          } else if (t.result === "valid") {
            expect(toHex(await wasm.seal(key, iv, msg, aad)), what).toBe(t.ct + t.tag);
            expect(toHex(await wasm.open(key, iv, sealed, aad)), what).toBe(t.msg);
          } else {
            await rejects(wasm.open(key, iv, sealed, aad), AuthenticationError);
          }
        }
      });
    }
  });
});

// ---- differential -------------------------------------------------------------------------

describe("differential: wasm against node:crypto, Web Crypto and @noble/ciphers", () => {
  /** Seals with every engine that takes these inputs and checks they agree; opens across. */
  async function agree(key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array, engines = { web: true, noble: true }) {
    const what = `pt ${pt.length}, aad ${aad.length}, nonce ${nonce.length}`;
    const mine = await wasm.seal(key, nonce, pt, aad);
    expect(mine.length, what).toBe(pt.length + 16);
    const ref = nodeSeal(key, nonce, pt, aad) ?? nobleSeal(key, nonce, pt, aad);
    expect(ref, what).not.toBeNull();
    if (toHex(mine) !== toHex(ref!)) expect.fail(`wasm seal differs from the reference: ${what}`);
    if (engines.noble) {
      const n = nobleSeal(key, nonce, pt, aad);
      if (n && toHex(n) !== toHex(mine)) expect.fail(`wasm seal differs from noble: ${what}`);
    }
    if (engines.web && nonce.length <= 128) {
      const w = await web.seal(key, nonce, pt, aad);
      if (toHex(w) !== toHex(mine)) expect.fail(`wasm seal differs from webcrypto: ${what}`);
      if (toHex(await web.open(key, nonce, mine, aad)) !== toHex(pt)) expect.fail(`webcrypto cannot open wasm output: ${what}`);
    }
    // Each opens the other's output.
    if (toHex(await wasm.open(key, nonce, ref!, aad)) !== toHex(pt)) expect.fail(`wasm cannot open: ${what}`);
    if (nonce.length <= 128 && toHex(nodeOpen(key, nonce, mine, aad)) !== toHex(pt)) expect.fail(`node cannot open wasm output: ${what}`);
    return mine;
  }

  it("every message length 0..300 with AAD lengths 0..300 (12-byte nonces)", async () => {
    for (let n = 0; n <= 300; n++) {
      await agree(random.bytes(32), random.bytes(12), random.bytes(n), random.bytes((n * 7 + random.int(50)) % 301), { web: n % 10 === 0, noble: true });
    }
  });

  it("every AAD length 0..300 with short messages", async () => {
    for (let a = 0; a <= 300; a++) {
      await agree(random.bytes(32), random.bytes(12), random.bytes(a % 33), random.bytes(a), { web: false, noble: a % 3 === 0 });
    }
  });

  it("nonce lengths 1..80, 127, 128; longer ones refused by the API, handled by the core (129, 255, 256, 1000, 300 KiB)", async () => {
    const lengths = [...Array.from({ length: 80 }, (_, i) => i + 1), 127, 128];
    for (const len of lengths) {
      await agree(random.bytes(32), random.bytes(len), random.bytes(random.int(200)), random.bytes(random.int(40)), { web: len % 16 === 0, noble: true });
    }
    // Longer than node allows: the public API refuses them in every engine, the WASM core
    // (checked against noble) computes them, including nonces longer than the I/O buffer.
    const core = await loadWasmAes();
    for (const len of [129, 255, 256, 1000, IO + 1000]) {
      const key = random.bytes(32);
      const nonce = random.bytes(len);
      const pt = random.bytes(333);
      const aad = random.bytes(17);
      await rejects(wasm.seal(key, nonce, pt, aad), RangeError);
      const sealed = core.gcmSeal(key, nonce, pt, aad);
      expect(toHex(sealed)).toBe(toHex(nobleSeal(key, nonce, pt, aad)!));
      expect(toHex(core.gcmOpen(key, nonce, sealed, aad))).toBe(toHex(pt));
    }
  });

  it("lengths around batch (128 B) and I/O buffer boundaries, up to 1 MiB + odd sizes", async () => {
    const sizes = new Set<number>();
    for (const base of [16, 32, 64, BATCH, 2 * BATCH, 3 * BATCH, 8 * BATCH, 1000, 4096, 65536, IO, 2 * IO, 3 * IO, 1 << 20]) {
      for (const d of [-17, -16, -15, -1, 0, 1, 15, 16, 17]) if (base + d >= 0) sizes.add(base + d);
    }
    for (const n of [(1 << 20) + 3, (1 << 20) + 12345, 777_777]) sizes.add(n);
    for (const n of [...sizes].sort((a, b) => a - b)) {
      await agree(random.bytes(32), random.bytes(12), random.bytes(n), random.bytes(random.int(64)), { web: n > 100_000, noble: n < 300_000 || n === 1 << 20 });
    }
  });

  it("AAD longer than the I/O buffer, alone and with a message", async () => {
    await agree(random.bytes(32), random.bytes(12), new Uint8Array(0), random.bytes(IO + 77), { web: true, noble: true });
    await agree(random.bytes(32), random.bytes(12), random.bytes(IO + 5), random.bytes(2 * IO + 3), { web: true, noble: false });
  });

  it("GCM increments only the low 32 bits of the counter (J0 crafted to wrap)", async () => {
    // For a 16-byte nonce N, J0 = ((N·H) ^ L)·H with L = 0^64 || [128]_64 (SP 800-38D §7.1), so
    // N = ((J0·H^-1) ^ L)·H^-1 gives any J0 we like. The message then crosses 0xffffffff -> 0.
    for (const low32 of [0xffffffff, 0xfffffff0, 0xfffffffe, 0x7fffffff]) {
      const key = random.bytes(32);
      const j0 = concat(random.bytes(12), new Uint8Array([low32 >>> 24, (low32 >>> 16) & 255, (low32 >>> 8) & 255, low32 & 255]));
      const nonce = nonceForJ0(key, j0);
      expect(toHex(ghashNonce(key, nonce))).toBe(toHex(j0));
      for (const n of [40, 300, 5000]) await agree(key, nonce, random.bytes(n), random.bytes(13), { web: true, noble: true });
    }
  });

  it("CTR: every length 0..300, boundaries, 1 MiB, against node and noble", async () => {
    const sizes = [...Array.from({ length: 301 }, (_, i) => i), BATCH * 8 - 1, IO - 1, IO, IO + 1, 2 * IO + 17, 1 << 20, (1 << 20) + 5];
    for (const n of sizes) {
      const key = random.bytes(32);
      const iv = random.bytes(16);
      const data = random.bytes(n);
      const mine = await wasm.ctr(key, iv, data);
      if (toHex(mine) !== toHex(nodeCtr(key, iv, data))) expect.fail(`ctr differs from node at length ${n}`);
      if (n % 50 === 0 || n > 300) {
        if (toHex(mine) !== toHex(nobleCtr(key, iv).encrypt(data))) expect.fail(`ctr differs from noble at length ${n}`);
        if (toHex(await web.ctr(key, iv, data)) !== toHex(mine)) expect.fail(`ctr differs from webcrypto at length ${n}`);
      }
      expect(toHex(await wasm.ctr(key, iv, mine))).toBe(toHex(data));
    }
  });

  it("CTR: the 128-bit counter carries across 64-bit halves and wraps 2^128-1 -> 0", async () => {
    const ivs = [
      "ffffffffffffffffffffffffffffffff",
      "fffffffffffffffffffffffffffffff0",
      "0000000000000000fffffffffffffffb",
      "00000000ffffffffffffffffffffffff",
      "123456789abcdef0ffffffffffffff80",
    ];
    for (const iv of ivs) {
      for (const n of [16, 100, 1000, 5000]) {
        const key = random.bytes(32);
        const data = random.bytes(n);
        expect(toHex(await wasm.ctr(key, hex(iv), data)), `iv ${iv}, ${n} bytes`).toBe(toHex(nodeCtr(key, hex(iv), data)));
      }
    }
  });

  it("inputs that are views at odd offsets, or backed by a SharedArrayBuffer", async () => {
    const view = (b: Uint8Array, shared: boolean) => {
      const backing = shared ? new Uint8Array(new SharedArrayBuffer(b.length + 7)) : new Uint8Array(b.length + 7);
      backing.set(b, 3);
      return backing.subarray(3, 3 + b.length);
    };
    for (const shared of [false, true]) {
      for (const n of [0, 17, 1000, IO + 33]) {
        const [key, nonce, pt, aad] = [random.bytes(32), random.bytes(12), random.bytes(n), random.bytes(9)];
        const ref = nodeSeal(key, nonce, pt, aad)!;
        const sealed = await wasm.seal(view(key, shared), view(nonce, shared), view(pt, shared), view(aad, shared));
        expect(toHex(sealed), `${n} bytes, shared ${shared}`).toBe(toHex(ref));
        expect(toHex(await wasm.open(view(key, shared), view(nonce, shared), view(ref, shared), view(aad, shared)))).toBe(toHex(pt));
        expect(toHex(await wasm.ctr(view(key, shared), view(concat(nonce, new Uint8Array(4)), shared), view(pt, shared)))).toBe(
          toHex(nodeCtr(key, concat(nonce, new Uint8Array(4)), pt)),
        );
      }
    }
  });

  it("node's engine and ours agree through the public API too (same bytes, either opens)", async () => {
    const key = random.bytes(32);
    const nonce = random.bytes(12);
    const pt = random.bytes(100_000);
    const aad = random.bytes(20);
    const a = await wasm.seal(key, nonce, pt, aad);
    const b = await node.seal(key, nonce, pt, aad);
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(await node.open(key, nonce, a, aad))).toBe(toHex(pt));
    const iv = concat(nonce, new Uint8Array(4));
    expect(toHex(await wasm.ctr(key, iv, pt))).toBe(toHex(await node.ctr(key, iv, pt)));
  });
});

// ---- tampering ----------------------------------------------------------------------------

describe("tampering is detected and releases no plaintext", () => {
  const flip = (b: Uint8Array, bit: number) => {
    const c = b.slice();
    c[bit >>> 3]! ^= 1 << (bit & 7);
    return c;
  };
  const sample = (bits: number, count: number) => {
    const s = new Set<number>([0, 1, 7, 8, bits - 1]);
    while (s.size < Math.min(count, bits)) s.add(random.int(bits));
    return [...s].filter((b) => b >= 0 && b < bits);
  };

  for (const n of [0, 1, 16, 100, 1000, 70_000]) {
    it(`message of ${n} bytes: any single flipped bit in ciphertext, tag, nonce or AAD`, async () => {
      const key = random.bytes(32);
      const nonce = random.bytes(n % 2 ? 12 : 16);
      const aad = random.bytes(n % 3 === 0 ? 20 : 1);
      const pt = random.bytes(n);
      const sealed = await wasm.seal(key, nonce, pt, aad);
      expect(toHex(await wasm.open(key, nonce, sealed, aad))).toBe(toHex(pt));
      for (const bit of sample(sealed.length * 8, 24)) await rejects(wasm.open(key, nonce, flip(sealed, bit), aad), AuthenticationError);
      for (const bit of sample(nonce.length * 8, 8)) await rejects(wasm.open(key, flip(nonce, bit), sealed, aad), AuthenticationError);
      for (const bit of sample(aad.length * 8, 8)) await rejects(wasm.open(key, nonce, sealed, flip(aad, bit)), AuthenticationError);
      await rejects(wasm.open(flip(key, random.int(256)), nonce, sealed, aad), AuthenticationError);
      // Extra or missing AAD bytes, and the AAD moved into the message, all fail.
      await rejects(wasm.open(key, nonce, sealed, concat(aad, new Uint8Array(1))), AuthenticationError);
      await rejects(wasm.open(key, nonce, sealed, aad.subarray(1)), AuthenticationError);
      // The engine still works after failures (no state left behind).
      expect(toHex(await wasm.open(key, nonce, sealed, aad))).toBe(toHex(pt));
    });
  }

  it("truncated or extended sealed data", async () => {
    const key = random.bytes(32);
    const nonce = random.bytes(12);
    const pt = random.bytes(300);
    const sealed = await wasm.seal(key, nonce, pt, new Uint8Array(0));
    for (const cut of [1, 2, 15, 16, 17, 100, 299, 300]) {
      await rejects(wasm.open(key, nonce, sealed.subarray(0, sealed.length - cut), new Uint8Array(0)), AuthenticationError);
    }
    for (const keep of [0, 1, 15]) await rejects(wasm.open(key, nonce, sealed.subarray(0, keep), new Uint8Array(0)), RangeError);
    await rejects(wasm.open(key, nonce, concat(sealed, new Uint8Array(1)), new Uint8Array(0)), AuthenticationError);
    // The tag alone is a valid empty message only for the empty plaintext's tag.
    const empty = await wasm.seal(key, nonce, new Uint8Array(0), new Uint8Array(0));
    expect(await wasm.open(key, nonce, empty, new Uint8Array(0))).toHaveLength(0);
    await rejects(wasm.open(key, nonce, sealed.subarray(sealed.length - 16), new Uint8Array(0)), AuthenticationError);
  });

  it("a large message (beyond the I/O buffer) with a flipped bit near the end", async () => {
    const key = random.bytes(32);
    const nonce = random.bytes(12);
    const pt = random.bytes(2 * IO + 999);
    const sealed = await wasm.seal(key, nonce, pt, new Uint8Array(0));
    await rejects(wasm.open(key, nonce, flip(sealed, (sealed.length - 20) * 8 + 3), new Uint8Array(0)), AuthenticationError);
    await rejects(wasm.open(key, nonce, flip(sealed, 5), new Uint8Array(0)), AuthenticationError);
    expect(toHex(await wasm.open(key, nonce, sealed, new Uint8Array(0)))).toBe(toHex(pt));
  });
});

// ---- GF(2^128) for crafting nonces (test-only, BigInt, SP 800-38D §6.3 bit order) ----------

const R = 0xe1n << 120n;
const MASK = (1n << 128n) - 1n;
const big = (b: Uint8Array) => BigInt(`0x${toHex(b) || "0"}`);
const bytes16 = (x: bigint) => hex(x.toString(16).padStart(32, "0"));

/** X·Y in GCM's field: bit 127 of the integer is the coefficient of x^0. */
function gfMul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127; i >= 0; i--) {
    if ((x >> BigInt(i)) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z & MASK;
}
/** X^(2^128 - 2) = X^-1. */
function gfInv(x: bigint): bigint {
  let result = 1n << 127n; // the field's 1
  let base = x;
  let e = (1n << 128n) - 2n;
  while (e > 0n) {
    if (e & 1n) result = gfMul(result, base);
    base = gfMul(base, base);
    e >>= 1n;
  }
  return result;
}
function hashKey(key: Uint8Array): bigint {
  const c = createCipheriv("aes-256-ecb", key, null);
  c.setAutoPadding(false);
  return big(new Uint8Array(c.update(new Uint8Array(16))));
}
/** J0 of a 16-byte nonce. */
function ghashNonce(key: Uint8Array, nonce: Uint8Array): Uint8Array {
  const h = hashKey(key);
  return bytes16(gfMul(gfMul(big(nonce), h) ^ 128n, h));
}
/** The 16-byte nonce whose J0 is `j0`. */
function nonceForJ0(key: Uint8Array, j0: Uint8Array): Uint8Array {
  const hInv = gfInv(hashKey(key));
  return bytes16(gfMul(gfMul(big(j0), hInv) ^ 128n, hInv));
}
