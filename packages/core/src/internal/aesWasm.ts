// The "wasm" AES engine: drives assembly/aead.ts (constant-time bitsliced AES-256 with a
// table-free GHASH). One instance per realm, loaded lazily and shared. Data of any length is
// streamed through the module's fixed I/O buffer, one WASM call per buffer-full; the module
// never allocates after instantiation, so its memory never grows and our byte view stays valid
// (we still re-create it if it ever became detached).
//
// Calls are synchronous from start to finish, so two messages never interleave in the module.
// Opening verifies the tag over the whole ciphertext first and only then decrypts it.
// Every call ends with `wipe`, which zeroes the round keys, H and its powers, J0, the GHASH
// state and the used part of the I/O buffer, also when something throws.
import { AuthenticationError } from "../errors.js";
import { instantiateCoreModule } from "./wasmModule.js";
import { copyBytes } from "./validate.js";

export interface WasmAes {
  /** AES-256-GCM: ciphertext followed by the 16-byte tag. */
  gcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /**
   * AES-256-GCM decryption. The tag is verified over the whole ciphertext before any of it is
   * decrypted, so no plaintext exists when authentication fails.
   * @throws {AuthenticationError} if the tag does not match.
   */
  gcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array;
  /** AES-256-CTR with a 128-bit big-endian counter starting at `iv16`. */
  ctr(key: Uint8Array, iv16: Uint8Array, data: Uint8Array): Uint8Array;
}

/** The exports of assembly/aead.ts (see its header for the call sequences). */
interface AeadExports {
  memory: WebAssembly.Memory;
  ioBuffer(): number;
  ioSize(): number;
  paramBuffer(): number;
  ctrSetKey(): void;
  gcmSetKey(): void;
  absorb(length: number): void;
  gcmNonce12(): void;
  gcmNonceStart(): void;
  gcmNonceEnd(): void;
  gcmTextStart(): void;
  gcmEncrypt(length: number): void;
  gcmCrypt(length: number): void;
  ctrCrypt(length: number): void;
  gcmTag(): void;
  gcmVerify(): number;
  wipe(ioUsed: number): void;
}

const TAG_LENGTH = 16;

const isShared = (bytes: Uint8Array): boolean =>
  typeof SharedArrayBuffer !== "undefined" && bytes.buffer instanceof SharedArrayBuffer;

let loaded: Promise<WasmAes> | undefined;

/** The shared WASM AES engine; the module is compiled and instantiated on the first call. */
export function loadWasmAes(): Promise<WasmAes> {
  if (loaded === undefined) {
    loaded = instantiateCoreModule<AeadExports>("aead").then(createEngine);
    // A failed load is not cached, so a later call can retry.
    loaded.catch(() => {
      loaded = undefined;
    });
  }
  return loaded;
}

function createEngine(wasm: AeadExports): WasmAes {
  const io = wasm.ioBuffer();
  const ioSize = wasm.ioSize();
  const params = wasm.paramBuffer();
  let view = new Uint8Array(wasm.memory.buffer);
  const mem = (): Uint8Array => {
    if (view.byteLength === 0) view = new Uint8Array(wasm.memory.buffer);
    return view;
  };

  /** Bytes of the I/O buffer written during the current call: `finish` wipes that much. */
  let used = 0;
  const input = (data: Uint8Array, at: number): void => {
    mem().set(data, at);
    if (at === io) used = Math.max(used, data.length);
  };
  const finish = (): void => {
    wasm.wipe(used);
    used = 0;
  };

  /** Feeds `data` through the I/O buffer: copy in, `step(length)`, copy out if `out` is given. */
  const stream = (data: Uint8Array, step: (length: number) => void, out?: Uint8Array): void => {
    for (let at = 0; at < data.length; at += ioSize) {
      const chunk = data.subarray(at, at + ioSize);
      input(chunk, io);
      step(chunk.length);
      if (out) out.set(mem().subarray(io, io + chunk.length), at);
    }
  };

  const absorb = (length: number) => wasm.absorb(length);

  /** Key, H, J0 and the AAD: everything GCM needs before the text. */
  const gcmStart = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): void => {
    input(key, params);
    wasm.gcmSetKey();
    if (nonce.length === 12) {
      input(nonce, io);
      wasm.gcmNonce12();
    } else {
      wasm.gcmNonceStart();
      stream(nonce, absorb);
      wasm.gcmNonceEnd();
    }
    stream(aad, absorb);
    wasm.gcmTextStart();
  };

  return {
    gcmSeal(key, nonce, plaintext, aad) {
      const out = new Uint8Array(plaintext.length + TAG_LENGTH);
      try {
        gcmStart(key, nonce, aad);
        stream(plaintext, (n) => wasm.gcmEncrypt(n), out);
        wasm.gcmTag();
        out.set(mem().subarray(params + 32, params + 48), plaintext.length);
        return out;
      } finally {
        finish();
      }
    },

    gcmOpen(key, nonce, sealed, aad) {
      const split = sealed.length - TAG_LENGTH;
      let ciphertext = sealed.subarray(0, split);
      // Two passes read the ciphertext twice: if another thread could rewrite it in between
      // (a SharedArrayBuffer), decrypt a private copy, or we could release plaintext of data
      // that was never authenticated.
      if (split > ioSize && isShared(ciphertext)) ciphertext = copyBytes(ciphertext);
      try {
        gcmStart(key, nonce, aad);
        // Pass 1: authenticate the whole ciphertext; nothing is decrypted yet. (Two passes cost
        // the same work as one: a fused decrypt-and-hash loop measured no faster.)
        stream(ciphertext, absorb);
        wasm.gcmTag();
        input(sealed.subarray(split), params + 48);
        if (wasm.gcmVerify() !== 1) throw new AuthenticationError();
        // Pass 2: decrypt. A ciphertext that fits the I/O buffer is still there, as verified.
        const out = new Uint8Array(split);
        if (split <= ioSize) {
          wasm.gcmCrypt(split);
          out.set(mem().subarray(io, io + split));
        } else {
          stream(ciphertext, (n) => wasm.gcmCrypt(n), out);
        }
        return out;
      } finally {
        finish();
      }
    },

    ctr(key, iv16, data) {
      const out = new Uint8Array(data.length);
      try {
        input(key, params);
        input(iv16, params + 32);
        wasm.ctrSetKey();
        stream(data, (n) => wasm.ctrCrypt(n), out);
        return out;
      } finally {
        finish();
      }
    },
  };
}
