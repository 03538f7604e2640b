// Engine selection and the misuse contract, for every engine. Byte-level correctness of the
// WASM engine against published vectors and the other engines is in aes.wasm.test.ts.
import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuthenticationError, availableAesEngines, createAes, type AesEngineName } from "./index.js";

const engines: AesEngineName[] = ["wasm", "node", "webcrypto"];
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("AES engines", () => {
  it("lists every engine in Node, fastest first, and auto picks node:crypto", async () => {
    expect(availableAesEngines()).toEqual(["node", "webcrypto", "wasm"]);
    expect((await createAes()).engine).toBe("node");
    expect((await createAes("auto")).engine).toBe("node");
  });

  it("produces identical bytes in every engine (seal, open, ctr)", async () => {
    const all = await Promise.all(engines.map((e) => createAes(e)));
    for (const n of [0, 1, 16, 17, 1000, 65_537, 300_001]) {
      const key = randomBytes(32);
      const nonce = randomBytes(12);
      const iv = randomBytes(16);
      const aad = randomBytes(n % 50);
      const data = randomBytes(n);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      cipher.setAAD(aad);
      const want = hex(Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]));
      for (const aes of all) {
        const sealed = await aes.seal(key, nonce, data, aad);
        expect(hex(sealed), `${aes.engine} seal ${n}`).toBe(want);
        for (const other of all) expect(hex(await other.open(key, nonce, sealed, aad)), `${other.engine} opens ${aes.engine}`).toBe(hex(data));
        expect(hex(await aes.ctr(key, iv, data)), `${aes.engine} ctr ${n}`).toBe(hex(createCipheriv("aes-256-ctr", key, iv).update(data)));
      }
    }
  });

  it.each(engines)("%s: tampering throws AuthenticationError, never plaintext", async (engine) => {
    const aes = await createAes(engine);
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const sealed = await aes.seal(key, nonce, randomBytes(100), new Uint8Array([9]));
    const flip = (b: Uint8Array, i: number) => { const c = Uint8Array.from(b); c[i]! ^= 0x80; return c; };
    await expect(aes.open(key, nonce, flip(sealed, 3), new Uint8Array([9]))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aes.open(key, nonce, flip(sealed, sealed.length - 1), new Uint8Array([9]))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aes.open(key, flip(nonce, 0), sealed, new Uint8Array([9]))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aes.open(key, nonce, sealed, new Uint8Array([8]))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aes.open(key, nonce, sealed)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aes.open(flip(key, 31), nonce, sealed, new Uint8Array([9]))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(aes.open(key, nonce, sealed.subarray(0, sealed.length - 1), new Uint8Array([9]))).rejects.toBeInstanceOf(AuthenticationError);
  });

  it.each(engines)("%s: misuse is a TypeError or RangeError saying what was expected", async (engine) => {
    const aes = await createAes(engine);
    const k = new Uint8Array(32);
    const n = new Uint8Array(12);
    await expect(aes.seal(new Uint8Array(16), n, new Uint8Array(1))).rejects.toThrow(new RangeError("key: expected 32 bytes, got 16"));
    await expect(aes.seal("key" as unknown as Uint8Array, n, new Uint8Array(1))).rejects.toThrow(new TypeError("key: expected Uint8Array, got string"));
    await expect(aes.seal(k, new Uint8Array(0), new Uint8Array(1))).rejects.toThrow(new RangeError("nonce: expected 1..128 bytes, got 0"));
    await expect(aes.seal(k, new Uint8Array(129), new Uint8Array(1))).rejects.toThrow(new RangeError("nonce: expected 1..128 bytes, got 129"));
    await expect(aes.seal(k, n, new Uint8Array(1), undefined, new Uint8Array(16))).rejects.toThrow(new RangeError("output: expected at least 17 bytes, got 16"));
    await expect(aes.seal(k, n, [1] as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(aes.seal(k, n, new Uint8Array(1), "aad" as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(aes.open(k, n, new Uint8Array(15))).rejects.toThrow(new RangeError("sealed: expected at least 16 bytes (the tag), got 15"));
    await expect(aes.ctr(k, new Uint8Array(12), new Uint8Array(1))).rejects.toThrow(new RangeError("iv: expected 16 bytes, got 12"));
  });

  it.each(engines)("%s: writes into a caller's buffer, also in place", async (engine) => {
    const aes = await createAes(engine);
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const data = randomBytes(70_001);
    const want = await aes.seal(key, nonce, data);
    const out = new Uint8Array(data.length + 100);
    const sealed = await aes.seal(key, nonce, data, undefined, out);
    expect(sealed.buffer).toBe(out.buffer);
    expect(hex(sealed)).toBe(hex(want));
    const inPlace = new Uint8Array(data.length + 16);
    inPlace.set(data);
    expect(hex(await aes.seal(key, nonce, inPlace.subarray(0, data.length), undefined, inPlace))).toBe(hex(want));
    const opened = await aes.open(key, nonce, want, undefined, out);
    expect(opened.buffer).toBe(out.buffer);
    expect(hex(opened)).toBe(hex(data));
    const bad = Uint8Array.from(want);
    bad[0]! ^= 1;
    out.fill(7);
    await expect(aes.open(key, nonce, bad, undefined, out)).rejects.toBeInstanceOf(AuthenticationError);
    expect(out.subarray(0, data.length).every((b) => b === 0)).toBe(true);
  });

  it("rejects an unknown engine name", async () => {
    await expect(createAes("openssl" as AesEngineName)).rejects.toThrow(RangeError);
  });
});
