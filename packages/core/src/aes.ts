// AES-256 behind one interface with interchangeable engines. Every engine produces the same
// bytes (tests prove it), so the engine is a speed choice that never changes what is written:
//   wasm       constant-time bitsliced AES + GHASH in WebAssembly; runs everywhere
//   node       node:crypto (OpenSSL, AES-NI + PCLMULQDQ)
//   webcrypto  crypto.subtle (hardware AES in browsers; absent on plain-http pages)
//   auto       node where available, else webcrypto, else wasm
import { AuthenticationError } from "./errors.js";
import { loadWasmAes } from "./internal/aesWasm.js";
import { getNodeCrypto, getSubtle, plain, type NodeCryptoLike } from "./internal/platform.js";
import { bytes, bytesOfLength } from "./internal/validate.js";

export type AesEngineName = "wasm" | "node" | "webcrypto";
export type AesEngineChoice = AesEngineName | "auto";

/** Bytes of the GCM authentication tag appended to every sealed message. */
export const GCM_TAG_LENGTH = 16;
/** Bytes of an AES-256 key. */
export const AES_KEY_LENGTH = 32;
/** Recommended (and fastest) GCM nonce length; other lengths from 1 byte up are accepted. */
export const GCM_NONCE_LENGTH = 12;
/** Longest accepted GCM nonce: node:crypto and Web Crypto refuse longer ones, so every engine does. */
export const GCM_MAX_NONCE_LENGTH = 128;

export interface Aes {
  /** Which engine does the work. */
  readonly engine: AesEngineName;
  /**
   * AES-256-GCM encryption (NIST SP 800-38D) with a 16-byte tag.
   *
   * `output`, if given, receives the result (it may be the plaintext's own buffer, extended by
   * 16 bytes, for in-place encryption; no other overlap is allowed). Callers that encrypt a lot
   * (pack writers) should pass a reused buffer: a fresh allocation per message costs more than
   * AES itself on hardware engines (page faults), see benchmarks/core.
   * @returns ciphertext followed by the tag (`plaintext.length + 16` bytes): `output`'s prefix if given.
   * @throws {TypeError|RangeError} on a key that is not 32 bytes, a nonce not of 1..128 bytes, non-bytes, or a short `output`.
   */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array, output?: Uint8Array): Promise<Uint8Array>;
  /**
   * AES-256-GCM decryption. The tag is verified before any plaintext is returned; on failure
   * nothing is written to `output` that could be mistaken for plaintext (it is zeroed).
   * @returns the plaintext (`sealed.length - 16` bytes): `output`'s prefix if given.
   * @throws {AuthenticationError} if the ciphertext, tag, nonce, associated data or key do not match.
   * @throws {TypeError|RangeError} on misuse (see `seal`), or `sealed` shorter than a tag.
   */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, associatedData?: Uint8Array, output?: Uint8Array): Promise<Uint8Array>;
  /**
   * AES-256-CTR (NIST SP 800-38A): XORs `data` with the keystream starting at the 16-byte
   * counter block `iv`, incremented as a 128-bit big-endian integer. Encrypts and decrypts.
   * Unauthenticated: use only inside a construction that authenticates separately.
   * @returns `data.length` bytes: `output`'s prefix if given (`output` may be `data` itself).
   */
  ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array, output?: Uint8Array): Promise<Uint8Array>;
}

/** Engines usable in this realm, fastest first. `wasm` is always available. */
export function availableAesEngines(): AesEngineName[] {
  const engines: AesEngineName[] = [];
  if (getNodeCrypto()) engines.push("node");
  if (getSubtle()) engines.push("webcrypto");
  engines.push("wasm");
  return engines;
}

/**
 * An AES-256 engine. `auto` picks the fastest available (see `availableAesEngines`).
 * @throws {Error} if the named engine is not available in this realm.
 */
export async function createAes(engine: AesEngineChoice = "auto"): Promise<Aes> {
  const name = engine === "auto" ? availableAesEngines()[0]! : engine;
  switch (name) {
    case "node": {
      const nodeCrypto = getNodeCrypto();
      if (!nodeCrypto) throw new Error("AES engine 'node' is not available here (needs Node >= 20.16); use 'auto'");
      return nodeAes(nodeCrypto);
    }
    case "webcrypto": {
      const subtle = getSubtle();
      if (!subtle) throw new Error("AES engine 'webcrypto' is not available here (crypto.subtle is missing, e.g. a page served over plain http); use 'auto'");
      return webCryptoAes(subtle);
    }
    case "wasm":
      return wasmAes();
    default:
      throw new RangeError(`AES engine: expected wasm, node, webcrypto or auto, got ${String(engine)}`);
  }
}

const EMPTY = new Uint8Array(0);

function checkGcm(key: unknown, nonce: unknown, data: unknown, associatedData: unknown): Uint8Array {
  bytesOfLength("key", key, AES_KEY_LENGTH);
  const n = bytes("nonce", nonce).length;
  if (n === 0 || n > GCM_MAX_NONCE_LENGTH) throw new RangeError(`nonce: expected 1..${GCM_MAX_NONCE_LENGTH} bytes, got ${n}`);
  bytes("data", data);
  return associatedData === undefined ? EMPTY : bytes("associatedData", associatedData);
}

function checkSealed(sealed: Uint8Array): void {
  if (sealed.length < GCM_TAG_LENGTH) throw new RangeError(`sealed: expected at least ${GCM_TAG_LENGTH} bytes (the tag), got ${sealed.length}`);
}

/** The caller's destination for `length` bytes (a prefix view of `output`), if one was given. */
function given(output: unknown, length: number): Uint8Array | undefined {
  if (output === undefined) return undefined;
  const out = bytes("output", output);
  if (out.length < length) throw new RangeError(`output: expected at least ${length} bytes, got ${out.length}`);
  return out.subarray(0, length);
}

function checkCtr(key: unknown, iv: unknown, data: unknown): void {
  bytesOfLength("key", key, AES_KEY_LENGTH);
  bytesOfLength("iv", iv, 16);
  bytes("data", data);
}

/**
 * node:crypto works best on slices of this size: each update's output is a fresh buffer that
 * is copied into the caller's at once, while it is still in cache. Measured with
 * `pnpm bench:core --filter '^aesgcm\.(node|auto)$'`, three runs each: 256 KiB slices gave
 * aesgcm.auto / aesgcm.node = 0.86, 0.86, 0.88; 64 KiB slices 0.92, 1.03, 0.96.
 */
const NODE_SLICE = 64 * 1024;

function nodeAes(nc: NodeCryptoLike): Aes {
  return {
    engine: "node",
    async seal(key, nonce, plaintext, associatedData, output) {
      const aad = checkGcm(key, nonce, plaintext, associatedData);
      const out = given(output, plaintext.length + GCM_TAG_LENGTH) ?? new Uint8Array(plaintext.length + GCM_TAG_LENGTH);
      const cipher = nc.createCipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_LENGTH });
      if (aad.length > 0) cipher.setAAD(aad);
      // Slices keep node's per-update output small and cache-warm for the copy that follows.
      for (let at = 0; at < plaintext.length; at += NODE_SLICE) out.set(cipher.update(plaintext.subarray(at, at + NODE_SLICE)), at);
      cipher.final();
      out.set(cipher.getAuthTag(), plaintext.length);
      return out;
    },
    async open(key, nonce, sealed, associatedData, output) {
      const aad = checkGcm(key, nonce, sealed, associatedData);
      checkSealed(sealed);
      const split = sealed.length - GCM_TAG_LENGTH;
      const out = given(output, split);
      const decipher = nc.createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_LENGTH });
      if (aad.length > 0) decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(split));
      // OpenSSL releases plaintext before final() checks the tag; we keep it until it has.
      const plaintext = plain(decipher.update(sealed.subarray(0, split)));
      try {
        decipher.final();
      } catch {
        plaintext.fill(0);
        out?.fill(0);
        throw new AuthenticationError();
      }
      if (out === undefined) return plaintext;
      out.set(plaintext);
      return out;
    },
    async ctr(key, iv, data, output) {
      checkCtr(key, iv, data);
      const out = given(output, data.length) ?? new Uint8Array(data.length);
      const cipher = nc.createCipheriv("aes-256-ctr", key, iv);
      for (let at = 0; at < data.length; at += NODE_SLICE) out.set(cipher.update(data.subarray(at, at + NODE_SLICE)), at);
      return out;
    },
  };
}

function webCryptoAes(subtle: SubtleCrypto): Aes {
  const importKey = (key: Uint8Array, algorithm: "AES-GCM" | "AES-CTR") =>
    subtle.importKey("raw", key as BufferSource, algorithm, false, ["encrypt", "decrypt"]);
  return {
    engine: "webcrypto",
    async seal(key, nonce, plaintext, associatedData, output) {
      const aad = checkGcm(key, nonce, plaintext, associatedData);
      const out = given(output, plaintext.length + GCM_TAG_LENGTH);
      const k = await importKey(key, "AES-GCM");
      const params: AesGcmParams = { name: "AES-GCM", iv: nonce as BufferSource, tagLength: GCM_TAG_LENGTH * 8, additionalData: aad as BufferSource };
      return into(out, new Uint8Array(await subtle.encrypt(params, k, plaintext as BufferSource)));
    },
    async open(key, nonce, sealed, associatedData, output) {
      const aad = checkGcm(key, nonce, sealed, associatedData);
      checkSealed(sealed);
      const out = given(output, sealed.length - GCM_TAG_LENGTH);
      const k = await importKey(key, "AES-GCM");
      const params: AesGcmParams = { name: "AES-GCM", iv: nonce as BufferSource, tagLength: GCM_TAG_LENGTH * 8, additionalData: aad as BufferSource };
      let plaintext: Uint8Array;
      try {
        plaintext = new Uint8Array(await subtle.decrypt(params, k, sealed as BufferSource));
      } catch (error) {
        if ((error as { name?: string }).name !== "OperationError") throw error;
        out?.fill(0);
        throw new AuthenticationError();
      }
      return into(out, plaintext);
    },
    async ctr(key, iv, data, output) {
      checkCtr(key, iv, data);
      const out = given(output, data.length);
      const k = await importKey(key, "AES-CTR");
      return into(out, new Uint8Array(await subtle.encrypt({ name: "AES-CTR", counter: iv as BufferSource, length: 128 }, k, data as BufferSource)));
    },
  };
}

function into(out: Uint8Array | undefined, result: Uint8Array): Uint8Array {
  if (out === undefined) return result;
  out.set(result);
  return out;
}

async function wasmAes(): Promise<Aes> {
  const wasm = await loadWasmAes();
  return {
    engine: "wasm",
    async seal(key, nonce, plaintext, associatedData, output) {
      const aad = checkGcm(key, nonce, plaintext, associatedData);
      const out = given(output, plaintext.length + GCM_TAG_LENGTH);
      return into(out, wasm.gcmSeal(key, nonce, plaintext, aad));
    },
    async open(key, nonce, sealed, associatedData, output) {
      const aad = checkGcm(key, nonce, sealed, associatedData);
      checkSealed(sealed);
      const out = given(output, sealed.length - GCM_TAG_LENGTH);
      try {
        return into(out, wasm.gcmOpen(key, nonce, sealed, aad));
      } catch (error) {
        out?.fill(0);
        throw error;
      }
    },
    async ctr(key, iv, data, output) {
      checkCtr(key, iv, data);
      const out = given(output, data.length);
      return into(out, wasm.ctr(key, iv, data));
    },
  };
}
