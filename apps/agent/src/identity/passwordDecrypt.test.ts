// Vault password decryption: PKCS#1 v1.5 (as the spec's clients send it) through the raw RSA
// operation and branch-free unpadding, OAEP (SHA-256 and SHA-1) as our extension, implicit
// rejection of bad padding for reads, explicit rejection for enabling/changing encryption.
import { constants, generateKeyPairSync, publicEncrypt, randomBytes, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptVaultPassword, PasswordDecryptError } from "./passwordDecrypt.js";
import { wirePublicKey } from "./rsaKey.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const enc = (text: string, padding: number, oaepHash?: string): string => publicEncrypt({ key: publicKey, padding, ...(oaepHash ? { oaepHash } : {}) }, Buffer.from(text, "utf8")).toString("hex");

describe("decryptVaultPassword", () => {
  it("decrypts PKCS#1 v1.5, OAEP-SHA256 and OAEP-SHA1 ciphertexts, upper- or lower-case hex", () => {
    for (const pw of ["p", "correct horse battery staple", "pässwörd ✓", "x".repeat(150)]) {
      expect(decryptVaultPassword(privateKey, enc(pw, constants.RSA_PKCS1_PADDING))).toBe(pw);
      expect(decryptVaultPassword(privateKey, enc(pw, constants.RSA_PKCS1_PADDING).toUpperCase(), "explicit")).toBe(pw);
      expect(decryptVaultPassword(privateKey, enc(pw, constants.RSA_PKCS1_OAEP_PADDING, "sha256"))).toBe(pw);
      expect(decryptVaultPassword(privateKey, enc(pw, constants.RSA_PKCS1_OAEP_PADDING, "sha1"))).toBe(pw);
    }
  });

  it("rejects malformed hex and wrong lengths with PasswordDecryptError", () => {
    for (const bad of ["", "zz", "ab".repeat(255), "ab".repeat(257), `${"ab".repeat(255)}g0`]) {
      expect(() => decryptVaultPassword(privateKey, bad)).toThrow(PasswordDecryptError);
    }
  });

  it("bad padding: implicit mode gives a deterministic synthetic password, explicit mode throws", () => {
    const garbage = randomBytes(256);
    garbage[0] = 0; // below the modulus
    const hex = garbage.toString("hex");
    const a = decryptVaultPassword(privateKey, hex, "implicit");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(decryptVaultPassword(privateKey, hex, "implicit")).toBe(a);
    expect(() => decryptVaultPassword(privateKey, hex, "explicit")).toThrow(PasswordDecryptError);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(decryptVaultPassword(other, hex, "implicit")).not.toBe(a);
  });

  it("the wire public key round-trips to the same key (upper-case hex modulus, exponent 10001)", () => {
    const wire = wirePublicKey(privateKey);
    expect(wire.exponent).toBe("10001");
    expect(wire.modulus).toMatch(/^[0-9A-F]{512}$/);
    const rebuilt = createPublicKey({ key: { kty: "RSA", n: Buffer.from(wire.modulus, "hex").toString("base64url"), e: Buffer.from("010001", "hex").toString("base64url") }, format: "jwk" });
    const ct = publicEncrypt({ key: rebuilt, padding: constants.RSA_PKCS1_PADDING }, Buffer.from("via wire key")).toString("hex");
    expect(decryptVaultPassword(privateKey, ct)).toBe("via wire key");
  });
});
