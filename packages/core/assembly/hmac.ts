// HMAC-SHA-256 (RFC 2104, FIPS 198-1) with a precomputed key schedule, and HKDF-SHA-256
// (RFC 5869) on top of it, for AssemblyScript entry modules.
//
// A key schedule is 64 bytes: the SHA-256 chaining values after compressing K0 ^ ipad
// (bytes 0..31) and K0 ^ opad (bytes 32..63). Computing it once per key and resuming from it
// per message saves two of the compressions HMAC costs; blob IDs (one HMAC per chunk under
// one repository key) rely on that. Schedules are key-equivalent secrets: callers wipe them.
import {
  SHA256_STATE_SIZE, sha256Blocks, sha256Final, sha256Init, sha256InitialHash, sha256Resume,
  sha256Update, sha256Wipe,
} from "./sha256";

export const HMAC_SCHEDULE_SIZE: usize = 64;

// Scratch space, static so that nothing here allocates (the modules use `--runtime stub`).
const pad = memory.data(64, 16);
const keyState = memory.data(<i32>SHA256_STATE_SIZE, 16);
const innerDigest = memory.data(32, 16);

/** Writes the schedule of the `keyLength`-byte key at `key` to `schedule` (64 bytes). */
export function hmacSha256Schedule(schedule: usize, key: usize, keyLength: usize): void {
  // RFC 2104 §2: K0 is the key hashed if longer than the block, then zero-padded to 64 bytes.
  memory.fill(pad, 0, 64);
  if (keyLength > 64) {
    sha256Init(keyState);
    sha256Update(keyState, key, keyLength);
    sha256Final(keyState, pad);
    sha256Wipe(keyState);
  } else {
    memory.copy(pad, key, keyLength);
  }
  for (let i: usize = 0; i < 64; i += 8) store<u64>(pad + i, load<u64>(pad + i) ^ 0x3636363636363636);
  sha256InitialHash(schedule);
  sha256Blocks(schedule, pad, 1);
  // (K0 ^ ipad) ^ (ipad ^ opad) = K0 ^ opad; 0x36 ^ 0x5c = 0x6a.
  for (let i: usize = 0; i < 64; i += 8) store<u64>(pad + i, load<u64>(pad + i) ^ 0x6a6a6a6a6a6a6a6a);
  sha256InitialHash(schedule + 32);
  sha256Blocks(schedule + 32, pad, 1);
  memory.fill(pad, 0, 64);
}

/** Starts a message: the state `st` resumes from the inner (ipad) chaining value. */
export function hmacSha256Begin(st: usize, schedule: usize): void {
  sha256Resume(st, schedule, 64);
}

/** Ends a message started with `hmacSha256Begin`, writes the 32-byte MAC to `out`, wipes `st`. */
export function hmacSha256End(st: usize, schedule: usize, out: usize): void {
  sha256Final(st, innerDigest);
  sha256Resume(st, schedule + 32, 64);
  sha256Update(st, innerDigest, 32);
  sha256Final(st, out);
  sha256Wipe(st);
  memory.fill(innerDigest, 0, 32);
}
