// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 from the `hash` WASM module (assembly/hash.ts): the
// portable, synchronous, constant-time engine for keyed blob IDs where no native SHA-256 is
// available. One instance per realm, loaded on first use and shared; every method runs to
// completion synchronously, so calls never interleave inside it.
//
// Data reaches WASM through a fixed I/O buffer in its memory, in pieces when larger. The
// module never allocates, so its memory never grows and the views made here stay valid.
import { instantiateCoreModule } from "./wasmModule.js";
import { bytes, integer } from "./validate.js";

export interface WasmSha256 {
  /** SHA-256 (FIPS 180-4): 32 bytes. */
  sha256(data: Uint8Array): Uint8Array;
  /** HMAC-SHA-256 (RFC 2104) with a key of any length: 32 bytes. */
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /**
   * HMAC-SHA-256 under one key for many messages: the key schedule (the ipad and opad
   * states) is computed once here, so each `digest` costs only the message's own blocks plus
   * one block for the outer hash. This is how blob IDs are computed, one per chunk.
   */
  createHmacSha256(key: Uint8Array): { digest(data: Uint8Array): Uint8Array };
  /**
   * HKDF-SHA-256 (RFC 5869), extract then expand: `length` bytes (0..8160) of output keying
   * material. `info` may be at most 65536 bytes; `ikm` and `salt` any length.
   */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
}

/** The exports of assembly/hash.ts. */
interface HashExports {
  memory: WebAssembly.Memory;
  ioPtr(): number;
  ioSize(): number;
  keyPtr(): number;
  outPtr(): number;
  sha256Digest(length: number): void;
  sha256Begin(): void;
  update(length: number): void;
  sha256End(): void;
  hmacSchedule(length: number): void;
  hmacDigest(length: number): void;
  hmacBegin(): void;
  hmacEnd(): void;
  hkdfExpand(infoLength: number, length: number): void;
}

/** RFC 5869 §2.3: L <= 255 * HashLen. */
const HKDF_MAX_LENGTH = 255 * 32;
const SCHEDULE_SIZE = 64;

let loaded: Promise<WasmSha256> | undefined;

/** The shared engine, instantiated on the first call. */
export async function loadWasmSha256(): Promise<WasmSha256> {
  if (loaded === undefined) {
    loaded = instantiateCoreModule<HashExports>("hash").then(bind);
    // A failed load is not cached, so a later call can retry.
    loaded.catch(() => (loaded = undefined));
  }
  return loaded;
}

function bind(wasm: HashExports): WasmSha256 {
  const memory = new Uint8Array(wasm.memory.buffer);
  const io = wasm.ioPtr();
  const ioSize = wasm.ioSize();
  const keySlot = wasm.keyPtr();
  const out = wasm.outPtr();

  /** Copies `data` into io piece by piece, calling `update` after each piece. */
  const feed = (data: Uint8Array): void => {
    for (let offset = 0; offset < data.length; offset += ioSize) {
      const piece = data.subarray(offset, offset + ioSize);
      memory.set(piece, io);
      wasm.update(piece.length);
    }
  };

  const sha256 = (data: Uint8Array): Uint8Array => {
    bytes("data", data);
    if (data.length <= ioSize) {
      memory.set(data, io);
      wasm.sha256Digest(data.length);
    } else {
      wasm.sha256Begin();
      feed(data);
      wasm.sha256End();
    }
    return memory.slice(out, out + 32);
  };

  /** The 64-byte key schedule of `key`; the key itself is wiped from WASM memory. */
  const schedule = (key: Uint8Array): Uint8Array => {
    // RFC 2104 §2: a key longer than the block is replaced by its hash. Keys that fit in io
    // are hashed inside WASM; longer ones here, which gives the same K0.
    const k = key.length > ioSize ? sha256(key) : key;
    memory.set(k, io);
    wasm.hmacSchedule(k.length);
    const result = memory.slice(keySlot, keySlot + SCHEDULE_SIZE);
    memory.fill(0, keySlot, keySlot + SCHEDULE_SIZE);
    return result;
  };

  /** HMAC of `data` under a schedule; WASM wipes the schedule from its memory afterwards. */
  const mac = (keySchedule: Uint8Array, data: Uint8Array): Uint8Array => {
    memory.set(keySchedule, keySlot);
    if (data.length <= ioSize) {
      memory.set(data, io);
      wasm.hmacDigest(data.length);
    } else {
      wasm.hmacBegin();
      feed(data);
      wasm.hmacEnd();
    }
    return memory.slice(out, out + 32);
  };

  return {
    sha256,
    hmacSha256(key, data) {
      bytes("key", key);
      bytes("data", data);
      return mac(schedule(key), data);
    },
    createHmacSha256(key) {
      bytes("key", key);
      const keySchedule = schedule(key);
      return {
        digest(data: Uint8Array): Uint8Array {
          bytes("data", data);
          return mac(keySchedule, data);
        },
      };
    },
    hkdfSha256(ikm, salt, info, length) {
      bytes("ikm", ikm);
      bytes("salt", salt);
      bytes("info", info);
      integer("length", length, 0, HKDF_MAX_LENGTH);
      if (info.length > ioSize) throw new RangeError(`info: expected at most ${ioSize} bytes, got ${info.length}`);
      // RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an empty salt acts as HashLen zero bytes.
      const prk = mac(schedule(salt), ikm);
      memory.set(prk, keySlot);
      prk.fill(0);
      memory.set(info, io);
      wasm.hkdfExpand(info.length, length);
      const okm = memory.slice(out, out + length);
      memory.fill(0, out, out + length);
      return okm;
    },
  };
}
