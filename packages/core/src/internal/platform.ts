// What the current realm offers, found at run time without importing anything: Node's crypto
// through `process.getBuiltinModule` (Node >= 20.16), Web Crypto through `globalThis.crypto`.
// Keeping these lookups here is what lets the package stay free of `node:` imports.

/** The few node:crypto functions the engines use, typed structurally. */
export interface NodeCryptoLike {
  createCipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array, options?: { authTagLength: number }): NodeCipherLike;
  createDecipheriv(algorithm: string, key: Uint8Array, iv: Uint8Array, options?: { authTagLength: number }): NodeDecipherLike;
  createHmac(algorithm: string, key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
  hkdfSync(digest: string, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): ArrayBuffer;
}
export interface NodeCipherLike {
  setAAD(aad: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}
export interface NodeDecipherLike {
  setAAD(aad: Uint8Array): unknown;
  setAuthTag(tag: Uint8Array): unknown;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

let nodeCrypto: NodeCryptoLike | null | undefined;

export function getNodeCrypto(): NodeCryptoLike | null {
  if (nodeCrypto === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    nodeCrypto = typeof proc?.getBuiltinModule === "function" ? ((proc.getBuiltinModule("node:crypto") as NodeCryptoLike | undefined) ?? null) : null;
  }
  return nodeCrypto;
}

export function getSubtle(): SubtleCrypto | null {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  // `subtle` is undefined in insecure browser contexts (pages served over plain http).
  return c?.subtle ?? null;
}

/** Returns a Uint8Array view of the same bytes (a Node Buffer becomes a plain Uint8Array). */
export function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
