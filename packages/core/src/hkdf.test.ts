import { hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hkdfSha256, type HkdfEngineName } from "./index.js";

const engines: HkdfEngineName[] = ["wasm", "node", "webcrypto"];
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));

describe("hkdfSha256", () => {
  // RFC 5869 Appendix A.1 (test case 1).
  it.each(engines)("%s: RFC 5869 test case 1", async (engine) => {
    const okm = await hkdfSha256(fromHex("0b".repeat(22)), fromHex("000102030405060708090a0b0c"), fromHex("f0f1f2f3f4f5f6f7f8f9"), 42, engine);
    expect(hex(okm)).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  });

  it.each(engines)("%s: equals node:crypto on random inputs, empty salt and info, every length class", async (engine) => {
    for (const length of [1, 31, 32, 33, 64, 100, 2048, 8160]) {
      const ikm = randomBytes(1 + (length % 70));
      const salt = randomBytes(length % 3 === 0 ? 0 : 32);
      const info = randomBytes(length % 5);
      expect(hex(await hkdfSha256(ikm, salt, info, length, engine)), `length ${length}`).toBe(Buffer.from(hkdfSync("sha256", ikm, salt, info, length)).toString("hex"));
    }
  });

  it("rejects misuse", async () => {
    const b = new Uint8Array(32);
    await expect(hkdfSha256(b, b, b, 0)).rejects.toThrow(new RangeError("length: expected 1..8160, got 0"));
    await expect(hkdfSha256(b, b, b, 8161)).rejects.toThrow(RangeError);
    await expect(hkdfSha256("k" as unknown as Uint8Array, b, b, 32)).rejects.toThrow(TypeError);
    await expect(hkdfSha256(b, b, b, 32, "sha1" as HkdfEngineName)).rejects.toThrow(RangeError);
  });
});
