// HKDF-SHA-256 (RFC 5869) with the same engine choice as AES and blob IDs. The repository
// derives a fresh AES key per object from a master key and a random salt with it
// (ARCHITECTURE.md decision 4), so every engine must give the same bytes; tests prove it.
import { loadWasmSha256 } from "./internal/sha256Wasm.js";
import { getNodeCrypto, getSubtle } from "./internal/platform.js";
import { bytes, integer } from "./internal/validate.js";

export type HkdfEngineName = "wasm" | "node" | "webcrypto";
export type HkdfEngineChoice = HkdfEngineName | "auto";

/** The most output HKDF-SHA-256 can produce: 255 blocks of 32 bytes (RFC 5869 §2.3). */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32;

/**
 * Derives `length` bytes from input keying material `ikm`, a `salt` (may be empty) and a
 * context string `info` (may be empty): HKDF-Extract then HKDF-Expand with SHA-256.
 * `auto` uses node:crypto in Node, Web Crypto in browsers, else the WASM engine.
 * @throws {TypeError|RangeError} on non-bytes or `length` outside 1..8160.
 * @throws {Error} if the named engine is not available in this realm.
 */
export async function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number, engine: HkdfEngineChoice = "auto"): Promise<Uint8Array> {
  bytes("ikm", ikm);
  bytes("salt", salt);
  bytes("info", info);
  integer("length", length, 1, HKDF_SHA256_MAX_LENGTH);
  const nc = engine === "auto" || engine === "node" ? getNodeCrypto() : null;
  const subtle = engine === "auto" || engine === "webcrypto" ? getSubtle() : null;
  if (nc) return new Uint8Array(nc.hkdfSync("sha256", ikm, salt, info, length));
  if (engine === "node") throw new Error("HKDF engine 'node' is not available here (needs Node >= 20.16); use 'auto'");
  if (subtle) {
    const key = await subtle.importKey("raw", ikm as BufferSource, "HKDF", false, ["deriveBits"]);
    const params: HkdfParams = { name: "HKDF", hash: "SHA-256", salt: salt as BufferSource, info: info as BufferSource };
    return new Uint8Array(await subtle.deriveBits(params, key, length * 8));
  }
  if (engine === "webcrypto") throw new Error("HKDF engine 'webcrypto' is not available here (crypto.subtle is missing); use 'auto'");
  if (engine !== "auto" && engine !== "wasm") throw new RangeError(`HKDF engine: expected wasm, node, webcrypto or auto, got ${String(engine)}`);
  return (await loadWasmSha256()).hkdfSha256(ikm, salt, info, length);
}
