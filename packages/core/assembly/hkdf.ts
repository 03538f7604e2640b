// HKDF-SHA-256 (RFC 5869) for AssemblyScript entry modules, over static scratch memory.
import { HMAC_SCHEDULE_SIZE, hmacSha256Begin, hmacSha256End, hmacSha256Schedule } from "./hmac";
import { SHA256_STATE_SIZE, sha256Update } from "./sha256";

/** RFC 5869 §2.3: L <= 255 * HashLen. */
export const HKDF_SHA256_MAX_LENGTH: usize = 255 * 32;

const schedule = memory.data(<i32>HMAC_SCHEDULE_SIZE, 16);
const state = memory.data(<i32>SHA256_STATE_SIZE, 16);
const block = memory.data(32, 16);
const counter = memory.data(1);

/**
 * HKDF-Extract (RFC 5869 §2.2): PRK = HMAC(salt, IKM), written to `prk` (32 bytes). An empty
 * salt needs no special case: HMAC pads any key to 64 bytes with zeros, so the empty key and
 * the RFC's default of 32 zero bytes give the same K0.
 */
export function hkdfSha256Extract(prk: usize, ikm: usize, ikmLength: usize, salt: usize, saltLength: usize): void {
  hmacSha256Schedule(schedule, salt, saltLength);
  hmacSha256Begin(state, schedule);
  sha256Update(state, ikm, ikmLength);
  hmacSha256End(state, schedule, prk);
  memory.fill(schedule, 0, HMAC_SCHEDULE_SIZE);
}

/**
 * HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC(PRK, T(i-1) | info | i) for i = 1.., OKM = the
 * first `length` bytes of T(1) | T(2) | ...; `length` must not exceed 8160 (not checked here).
 */
export function hkdfSha256Expand(out: usize, length: usize, prk: usize, prkLength: usize, info: usize, infoLength: usize): void {
  hmacSha256Schedule(schedule, prk, prkLength);
  for (let i: u32 = 1, done: usize = 0; done < length; i++) {
    hmacSha256Begin(state, schedule);
    if (i > 1) sha256Update(state, block, 32);
    sha256Update(state, info, infoLength);
    store<u8>(counter, <u8>i);
    sha256Update(state, counter, 1);
    hmacSha256End(state, schedule, block);
    const take = min<usize>(32, length - done);
    memory.copy(out + done, block, take);
    done += take;
  }
  memory.fill(schedule, 0, HMAC_SCHEDULE_SIZE);
  memory.fill(block, 0, 32);
}

/** Extract then expand: `length` bytes of OKM to `out`. */
export function hkdfSha256(out: usize, length: usize, ikm: usize, ikmLength: usize, salt: usize, saltLength: usize, info: usize, infoLength: usize): void {
  const prk = block; // reused: Expand reads the PRK into its key schedule before writing T(1).
  hkdfSha256Extract(prk, ikm, ikmLength, salt, saltLength);
  hkdfSha256Expand(out, length, prk, 32, info, infoLength);
}
