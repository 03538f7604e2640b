// The repository's master key material: three independent 32-byte random keys, generated once
// at `init` and never derived from a passphrase (so a passphrase change never touches data, and
// a weak passphrase only weakens its own key slot):
//   encryption  input to HKDF for every object's subkey (and the object-name key)
//   blobId      HMAC-SHA-256 key of blob IDs (ARCHITECTURE decision 3)
//   chunker     the secret that keys the content-defined chunker's gear table (decision 2)
import { CorruptObjectError } from "../errors.js";
import { randomBytes } from "../internal/bytes.js";

export interface MasterKeys {
  readonly encryption: Uint8Array;
  readonly blobId: Uint8Array;
  readonly chunker: Uint8Array;
}

/** Version byte of the sealed master-key plaintext. */
const MASTER_KEYS_VERSION = 1;
/** Bytes of the encoded master keys: version byte + 3 × 32. */
export const MASTER_KEYS_ENCODED_LENGTH = 1 + 96;

export function generateMasterKeys(): MasterKeys {
  const all = randomBytes(96);
  return { encryption: all.slice(0, 32), blobId: all.slice(32, 64), chunker: all.slice(64, 96) };
}

export function encodeMasterKeys(keys: MasterKeys): Uint8Array {
  const out = new Uint8Array(MASTER_KEYS_ENCODED_LENGTH);
  out[0] = MASTER_KEYS_VERSION;
  out.set(keys.encryption, 1);
  out.set(keys.blobId, 33);
  out.set(keys.chunker, 65);
  return out;
}

/**
 * @throws {CorruptObjectError} if `bytes` is not a version-1 encoding (only reachable if a key
 *   slot authenticated but holds something else: a bug, never a wrong passphrase).
 */
export function decodeMasterKeys(bytes: Uint8Array, object: string): MasterKeys {
  if (bytes.length !== MASTER_KEYS_ENCODED_LENGTH || bytes[0] !== MASTER_KEYS_VERSION) {
    throw new CorruptObjectError(object, `sealed master keys: expected ${MASTER_KEYS_ENCODED_LENGTH} bytes of version ${MASTER_KEYS_VERSION}, got ${bytes.length} bytes of version ${bytes[0]}`);
  }
  return { encryption: bytes.slice(1, 33), blobId: bytes.slice(33, 65), chunker: bytes.slice(65, 97) };
}

/** Overwrites key material that is no longer needed (best effort: JS may have copied it). */
export function wipeMasterKeys(keys: MasterKeys): void {
  keys.encryption.fill(0);
  keys.blobId.fill(0);
  keys.chunker.fill(0);
}
