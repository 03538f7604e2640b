// The `hash` module: SHA-256, HMAC-SHA-256 and HKDF-SHA-256 for the JS loader in
// src/internal/sha256Wasm.ts. The portable engine for blob IDs where no native SHA-256 runs.
//
// Memory is static and never grows (no heap is used), so JS views created once stay valid:
//   io      IO_SIZE bytes: messages, keys and HKDF inputs are copied here, in pieces if larger
//   key     64 bytes: the HMAC key schedule of the current call (see hmac.ts)
//   out     8192 bytes: a digest, a MAC, or up to 8160 bytes of HKDF output
// Every call is synchronous and complete (JS never interleaves two messages), so one state
// serves all callers of the instance.
import { HMAC_SCHEDULE_SIZE, hmacSha256Begin, hmacSha256End, hmacSha256Schedule } from "./hmac";
import { hkdfSha256Expand } from "./hkdf";
import { SHA256_STATE_SIZE, sha256Final, sha256Init, sha256Update } from "./sha256";

const IO_SIZE: usize = 65536;
const OUT_SIZE: usize = 8192;

const io = memory.data(<i32>IO_SIZE, 64);
const key = memory.data(<i32>HMAC_SCHEDULE_SIZE, 64);
const out = memory.data(<i32>OUT_SIZE, 64);
const state = memory.data(<i32>SHA256_STATE_SIZE, 64);

export function ioPtr(): usize { return io; }
export function ioSize(): usize { return IO_SIZE; }
export function keyPtr(): usize { return key; }
export function outPtr(): usize { return out; }

/** SHA-256 of the first `length` bytes of io, to out. */
export function sha256Digest(length: usize): void {
  sha256Init(state);
  sha256Update(state, io, length);
  sha256Final(state, out);
}

/** Streaming SHA-256 (for messages larger than io): begin, update per piece, end. */
export function sha256Begin(): void { sha256Init(state); }
export function update(length: usize): void { sha256Update(state, io, length); }
export function sha256End(): void { sha256Final(state, out); }

/** The HMAC key schedule of the first `length` bytes of io, to key; wipes them from io. */
export function hmacSchedule(length: usize): void {
  hmacSha256Schedule(key, io, length);
  memory.fill(io, 0, length);
}

/** HMAC under the schedule in key of the first `length` bytes of io, to out; wipes key. */
export function hmacDigest(length: usize): void {
  hmacSha256Begin(state, key);
  sha256Update(state, io, length);
  hmacEnd();
}

/** Streaming HMAC under the schedule in key: begin, `update` per piece, end (wipes key). */
export function hmacBegin(): void { hmacSha256Begin(state, key); }
export function hmacEnd(): void {
  hmacSha256End(state, key, out);
  memory.fill(key, 0, HMAC_SCHEDULE_SIZE);
}

/**
 * HKDF-Expand with the 32-byte PRK in key and `infoLength` bytes of info in io: `length`
 * bytes (<= 8160) of output to out. Wipes the PRK.
 */
export function hkdfExpand(infoLength: usize, length: usize): void {
  hkdfSha256Expand(out, length, key, 32, io, infoLength);
  memory.fill(key, 0, HMAC_SCHEDULE_SIZE);
}
