import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { availableBlobIdEngines, createBlobIdHasher, type BlobIdEngineName } from "./index.js";

const engines: BlobIdEngineName[] = ["wasm", "node", "webcrypto"];
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("blob IDs", () => {
  it("lists every engine in Node, fastest first", () => {
    expect(availableBlobIdEngines()).toEqual(["node", "webcrypto", "wasm"]);
  });

  it("auto picks node:crypto in Node", async () => {
    expect((await createBlobIdHasher(new Uint8Array(32))).engine).toBe("node");
  });

  // RFC 4231 §4.2 (test case 1) uses a 20-byte key; blob-ID keys are 32 bytes, so this checks a
  // 32-byte key against node:crypto's HMAC, itself validated against RFC 4231.
  it.each(engines)("%s matches HMAC-SHA-256 on lengths 0..300 and up to 3 MiB", async (engine) => {
    const key = randomBytes(32);
    const hasher = await createBlobIdHasher(key, engine);
    expect(hasher.engine).toBe(engine);
    const lengths = [...Array.from({ length: 301 }, (_, i) => i), 4095, 4096, 4097, 65536, 1 << 20, 3 * (1 << 20) + 7];
    for (const n of lengths) {
      const data = randomBytes(n);
      expect(hex(await hasher.digest(data)), `length ${n}`).toBe(createHmac("sha256", key).update(data).digest("hex"));
    }
  });

  it("engines agree on subarrays with odd offsets", async () => {
    const key = randomBytes(32);
    const backing = randomBytes(100_003);
    const view = backing.subarray(13, 90_001);
    const ids = await Promise.all(engines.map(async (e) => hex(await (await createBlobIdHasher(key, e)).digest(view))));
    expect(new Set(ids).size).toBe(1);
  });

  it("copies the key, so wiping the caller's copy changes nothing", async () => {
    const key = randomBytes(32);
    const want = createHmac("sha256", key).update("x").digest("hex");
    for (const engine of engines) {
      const k = Uint8Array.from(key);
      const hasher = await createBlobIdHasher(k, engine);
      k.fill(0);
      expect(hex(await hasher.digest(new TextEncoder().encode("x")))).toBe(want);
    }
  });

  it("never writes to the caller's key, even a Buffer (whose slice() is a view)", async () => {
    for (const engine of engines) {
      const key = randomBytes(32);
      const before = hex(key);
      await createBlobIdHasher(key, engine);
      expect(hex(key), engine).toBe(before);
    }
  });

  it("rejects misuse with TypeError / RangeError", async () => {
    await expect(createBlobIdHasher(new Uint8Array(31))).rejects.toThrow(RangeError);
    await expect(createBlobIdHasher("k" as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(createBlobIdHasher(new Uint8Array(32), "md5" as BlobIdEngineName)).rejects.toThrow(RangeError);
    const hasher = await createBlobIdHasher(new Uint8Array(32), "wasm");
    await expect(hasher.digest([1, 2] as unknown as Uint8Array)).rejects.toThrow(/expected Uint8Array, got object/);
  });
});
