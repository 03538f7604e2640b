// The WASM SHA-256 / HMAC-SHA-256 / HKDF-SHA-256 engine against published vectors
// (test/vectors) and, differentially, against node:crypto on random sizes, block boundaries
// and messages larger than the engine's 64 KiB I/O buffer. Inputs are seeded, so a failure
// reproduces.
import { createCipheriv, createHash, createHmac, hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadWasmSha256 } from "./internal/sha256Wasm.js";
import { instantiateCoreModule } from "./internal/wasmModule.js";

const vectors = (name: string) => JSON.parse(readFileSync(new URL(`../test/vectors/${name}`, import.meta.url), "utf8"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));

const IO_SIZE = 65536; // assembly/hash.ts

/** Deterministic test bytes: an AES-256-CTR keystream whose key is derived from a counter. */
let seed = 0;
function randomBytes(length: number): Buffer {
  const key = createHash("sha256").update(`sha256.wasm.test ${seed++}`).digest();
  return createCipheriv("aes-256-ctr", key, Buffer.alloc(16)).update(Buffer.alloc(length));
}
const blockEdges = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129];
const ioEdges = [IO_SIZE - 1, IO_SIZE, IO_SIZE + 1, 2 * IO_SIZE + 55, 3 * (1 << 20) + 7];

describe("WASM SHA-256 (FIPS 180-4)", () => {
  it("matches the NIST examples", async () => {
    const { sha256 } = await loadWasmSha256();
    const file = vectors("sha256-fips180-4.json");
    expect(file.vectors.length).toBe(5);
    for (const v of file.vectors) {
      const message = unhex((v.message as string).repeat(v.repeat ?? 1));
      expect(hex(sha256(message)), v.name).toBe(v.digest);
    }
  });

  it("matches node:crypto on every length 0..300, block edges and across the I/O buffer", async () => {
    const { sha256 } = await loadWasmSha256();
    const lengths = [...Array.from({ length: 301 }, (_, i) => i), ...blockEdges, ...ioEdges];
    for (const n of lengths) {
      const data = randomBytes(n);
      expect(hex(sha256(data)), `length ${n}`).toBe(createHash("sha256").update(data).digest("hex"));
    }
  });

  it("hashes views at odd offsets of a larger buffer", async () => {
    const { sha256 } = await loadWasmSha256();
    const backing = randomBytes(200_003);
    for (const [start, end] of [[1, 2], [3, 70_000], [13, 200_000], [65_535, 131_073]] as const) {
      const view = backing.subarray(start, end);
      expect(hex(sha256(view))).toBe(createHash("sha256").update(view).digest("hex"));
    }
  });

  it("is loaded once and shared", async () => {
    expect(await loadWasmSha256()).toBe(await loadWasmSha256());
  });

  it("never grows its memory, so views made at load time stay valid", async () => {
    const wasm = await instantiateCoreModule<{ ioPtr(): number; ioSize(): number; sha256Digest(n: number): void; sha256Begin(): void; update(n: number): void; sha256End(): void; hmacSchedule(n: number): void; hmacDigest(n: number): void; hkdfExpand(i: number, n: number): void }>("hash");
    const before = wasm.memory.buffer.byteLength;
    wasm.sha256Digest(wasm.ioSize());
    wasm.sha256Begin();
    for (let i = 0; i < 20; i++) wasm.update(wasm.ioSize());
    wasm.sha256End();
    wasm.hmacSchedule(wasm.ioSize());
    wasm.hmacDigest(wasm.ioSize());
    wasm.hkdfExpand(wasm.ioSize(), 8160);
    expect(wasm.memory.buffer.byteLength).toBe(before);
  });
});

describe("WASM HMAC-SHA-256 (RFC 2104)", () => {
  it("matches RFC 4231 test cases 1-7", async () => {
    const engine = await loadWasmSha256();
    const file = vectors("hmac-sha256-rfc4231.json");
    expect(file.vectors.map((v: { case: number }) => v.case)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const v of file.vectors) {
      const key = unhex(v.key);
      const data = unhex(v.data);
      const bytes = (v.truncate as number | undefined) ?? 32;
      expect(hex(engine.hmacSha256(key, data).subarray(0, bytes)), `case ${v.case}`).toBe(v.mac);
      expect(hex(engine.createHmacSha256(key).digest(data).subarray(0, bytes)), `case ${v.case}`).toBe(v.mac);
    }
  });

  it("matches node:crypto for keys of every size class and data across the I/O buffer", async () => {
    const engine = await loadWasmSha256();
    const keyLengths = [0, 1, 20, 32, 63, 64, 65, 131, 1000, IO_SIZE, IO_SIZE + 1, 200_000];
    const dataLengths = [0, 1, 55, 56, 63, 64, 65, 1000, IO_SIZE + 1, 2 * IO_SIZE + 3];
    for (const k of keyLengths) {
      const key = randomBytes(k);
      const hmac = engine.createHmacSha256(key);
      for (const n of dataLengths) {
        const data = randomBytes(n);
        const want = createHmac("sha256", key).update(data).digest("hex");
        expect(hex(engine.hmacSha256(key, data)), `key ${k}, data ${n}`).toBe(want);
        expect(hex(hmac.digest(data)), `key ${k}, data ${n}`).toBe(want);
      }
    }
  });

  it("reuses a key schedule for many messages, interleaved with other keys and plain hashes", async () => {
    const engine = await loadWasmSha256();
    const keyA = randomBytes(32);
    const keyB = randomBytes(100);
    const savedA = Buffer.from(keyA);
    const a = engine.createHmacSha256(keyA);
    const b = engine.createHmacSha256(keyB);
    keyA.fill(0); // the schedule was computed at creation; the caller may wipe its key
    for (let i = 0; i < 300; i++) {
      const data = randomBytes(i * 37);
      const which = i % 3;
      if (which === 0) expect(hex(b.digest(data))).toBe(createHmac("sha256", keyB).update(data).digest("hex"));
      if (which === 1) expect(hex(engine.sha256(data))).toBe(createHash("sha256").update(data).digest("hex"));
      if (which === 2) expect(hex(a.digest(data))).toBe(createHmac("sha256", savedA).update(data).digest("hex"));
    }
  });

  it("returns a fresh array per call, not a view of WASM memory", async () => {
    const engine = await loadWasmSha256();
    const hmac = engine.createHmacSha256(randomBytes(32));
    const first = hmac.digest(new Uint8Array([1]));
    const copy = hex(first);
    hmac.digest(new Uint8Array([2]));
    engine.sha256(new Uint8Array([3]));
    expect(hex(first)).toBe(copy);
    expect(first.buffer.byteLength).toBe(32);
  });
});

describe("WASM HKDF-SHA-256 (RFC 5869)", () => {
  it("matches RFC 5869 test cases 1-3 (PRK and OKM)", async () => {
    const engine = await loadWasmSha256();
    const file = vectors("hkdf-sha256-rfc5869.json");
    expect(file.vectors.map((v: { case: number }) => v.case)).toEqual([1, 2, 3]);
    for (const v of file.vectors) {
      const [ikm, salt, info] = [unhex(v.ikm), unhex(v.salt), unhex(v.info)];
      expect(hex(engine.hmacSha256(salt, ikm)), `case ${v.case} PRK`).toBe(v.prk);
      expect(hex(engine.hkdfSha256(ikm, salt, info, v.length)), `case ${v.case} OKM`).toBe(v.okm);
    }
  });

  it("matches node:crypto hkdfSync on random inputs and every output-length class", async () => {
    const engine = await loadWasmSha256();
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0], [32, 0, 0, 32], [16, 16, 16, 1], [22, 13, 10, 31], [22, 13, 10, 33],
      [80, 80, 80, 82], [32, 64, 21, 2048], [32, 65, 0, 8160], [1, 200, 300, 64],
      [IO_SIZE + 5, IO_SIZE + 9, 1024, 100], // node caps info at 1024 bytes
    ];
    for (const [ikmLength, saltLength, infoLength, length] of cases) {
      const ikm = randomBytes(ikmLength);
      const salt = randomBytes(saltLength);
      const info = randomBytes(infoLength);
      const want = Buffer.from(hkdfSync("sha256", ikm, salt, info, length)).toString("hex");
      expect(hex(engine.hkdfSha256(ikm, salt, info, length)), `${ikmLength}/${saltLength}/${infoLength}/${length}`).toBe(want);
    }
  });


  it("accepts info up to the I/O buffer size (beyond node's 1024-byte cap)", async () => {
    const engine = await loadWasmSha256();
    // RFC 5869 §2.2-2.3 spelled out with node's HMAC.
    const reference = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) => {
      const prk = createHmac("sha256", salt).update(ikm).digest();
      const blocks: Buffer[] = [];
      let t = Buffer.alloc(0);
      for (let i = 1; blocks.length * 32 < length; i++) {
        t = createHmac("sha256", prk).update(t).update(info).update(Uint8Array.of(i)).digest();
        blocks.push(t);
      }
      return Buffer.concat(blocks).subarray(0, length).toString("hex");
    };
    for (const infoLength of [1025, 4096, IO_SIZE]) {
      const [ikm, salt, info] = [randomBytes(32), randomBytes(32), randomBytes(infoLength)];
      expect(hex(engine.hkdfSha256(ikm, salt, info, 100))).toBe(reference(ikm, salt, info, 100));
    }
  });
});

describe("WASM SHA-256 engine misuse", () => {
  it("rejects non-bytes with TypeError and bad lengths with RangeError", async () => {
    const engine = await loadWasmSha256();
    const bad = "abc" as unknown as Uint8Array;
    expect(() => engine.sha256(bad)).toThrow(/data: expected Uint8Array, got string/);
    expect(() => engine.hmacSha256(bad, new Uint8Array(1))).toThrow(TypeError);
    expect(() => engine.hmacSha256(new Uint8Array(1), [1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => engine.createHmacSha256(null as unknown as Uint8Array)).toThrow(/key: expected Uint8Array, got null/);
    expect(() => engine.createHmacSha256(new Uint8Array(1)).digest(new Uint16Array(2) as unknown as Uint8Array)).toThrow(TypeError);
    const z = new Uint8Array(0);
    expect(() => engine.hkdfSha256(z, z, z, 8161)).toThrow(/length: expected 0\.\.8160, got 8161/);
    expect(() => engine.hkdfSha256(z, z, z, -1)).toThrow(RangeError);
    expect(() => engine.hkdfSha256(z, z, z, 1.5)).toThrow(TypeError);
    expect(() => engine.hkdfSha256(z, z, new Uint8Array(IO_SIZE + 1), 32)).toThrow(/info: expected at most 65536 bytes, got 65537/);
  });
});
