// HKDF-SHA-256 (RFC 5869), the one function every per-object subkey comes from. It is
// @cairn/core's (engines node / webcrypto / wasm, tested to give identical bytes); this module
// only pins the signature the repository relies on.
export { hkdfSha256 } from "@cairn/core";
