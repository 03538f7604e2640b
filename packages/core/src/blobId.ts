// Keyed blob IDs: HMAC-SHA-256 (RFC 2104, FIPS 180-4) of a blob's plaintext under a 32-byte
// repository key. Keyed, so an observer who can guess a file's content cannot confirm that the
// repository holds it by computing its ID (ARCHITECTURE.md decision 3).
//
// Why HMAC-SHA-256 and not keyed BLAKE3 (measured by `pnpm bench:core`, see README.md): SHA-256 is
// hardware-accelerated where Cairn runs (SHA-NI via node:crypto, Web Crypto in browsers), which is
// faster than BLAKE3 in WASM (BLAKE3 has no native implementation in Node or browsers); HMAC-SHA-256
// is also available in every engine, so the engines produce identical IDs by construction.
import { loadWasmSha256 } from "./internal/sha256Wasm.js";
import { getNodeCrypto, getSubtle, plain } from "./internal/platform.js";
import { bytes, bytesOfLength, copyBytes } from "./internal/validate.js";

export type BlobIdEngineName = "wasm" | "node" | "webcrypto";
export type BlobIdEngineChoice = BlobIdEngineName | "auto";

/** Bytes of a blob ID. */
export const BLOB_ID_LENGTH = 32;
/** Bytes of the key blob IDs are computed under. */
export const BLOB_ID_KEY_LENGTH = 32;

export interface BlobIdHasher {
  /** Which engine does the work. */
  readonly engine: BlobIdEngineName;
  /**
   * The 32-byte ID of `data`: HMAC-SHA-256(key, data).
   * @throws {TypeError} if `data` is not a Uint8Array.
   */
  digest(data: Uint8Array): Promise<Uint8Array>;
}

/** Engines usable in this realm, fastest first. `wasm` is always available. */
export function availableBlobIdEngines(): BlobIdEngineName[] {
  const engines: BlobIdEngineName[] = [];
  if (getNodeCrypto()) engines.push("node");
  if (getSubtle()) engines.push("webcrypto");
  engines.push("wasm");
  return engines;
}

/**
 * A hasher computing blob IDs under `key`. The key is copied, so the caller may wipe its own.
 * @throws {TypeError|RangeError} unless `key` is 32 bytes.
 * @throws {Error} if the named engine is not available in this realm.
 */
export async function createBlobIdHasher(key: Uint8Array, engine: BlobIdEngineChoice = "auto"): Promise<BlobIdHasher> {
  const k = copyBytes(bytesOfLength("key", key, BLOB_ID_KEY_LENGTH));
  const name = engine === "auto" ? availableBlobIdEngines()[0]! : engine;
  switch (name) {
    case "node": {
      const nc = getNodeCrypto();
      if (!nc) throw new Error("blob ID engine 'node' is not available here (needs Node >= 20.16); use 'auto'");
      return {
        engine: "node",
        async digest(data) {
          return plain(nc.createHmac("sha256", k).update(bytes("data", data)).digest());
        },
      };
    }
    case "webcrypto": {
      const subtle = getSubtle();
      if (!subtle) throw new Error("blob ID engine 'webcrypto' is not available here (crypto.subtle is missing); use 'auto'");
      const cryptoKey = await subtle.importKey("raw", k as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      k.fill(0);
      return {
        engine: "webcrypto",
        async digest(data) {
          return new Uint8Array(await subtle.sign("HMAC", cryptoKey, bytes("data", data) as BufferSource));
        },
      };
    }
    case "wasm": {
      const hmac = (await loadWasmSha256()).createHmacSha256(k);
      k.fill(0);
      return {
        engine: "wasm",
        async digest(data) {
          return hmac.digest(bytes("data", data));
        },
      };
    }
    default:
      throw new RangeError(`blob ID engine: expected wasm, node, webcrypto or auto, got ${String(engine)}`);
  }
}
