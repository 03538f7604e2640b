// How every encrypted object is framed and sealed (FORMAT.md §4): a 40-byte cleartext
// preamble, then AES-256-GCM under a subkey used for this one object only.
//
//   preamble = "CAIR" | version (1) | object type (1) | 0x0000 | salt (32 random bytes)
//   subkey   = HKDF-SHA-256(ikm = master encryption key, salt, info = "cairn/v1/" + type name)
//
// Because every object gets its own subkey from 256 random bits of salt, no key ever seals more
// than one object, so there is no nonce budget however many objects or writers a repository
// has (ARCHITECTURE decision 4): single-message objects use the all-zero nonce, packs use
// counter nonces derived from byte offsets (pack/packFormat.ts). The associated data binds the
// preamble (type, version, salt) and the object's storage key, so an object moved to another
// name or type fails authentication.
//
// Names: content-named objects (index, snapshot, lock) are called
// HMAC-SHA-256(name key, preamble || plaintext) in hex, computed before sealing, so the name is
// both derived from the content and bound into the AAD. The name key is
// HKDF(master encryption key, salt = 32 zero bytes, info = "cairn/v1/object-name").
import { createBlobIdHasher, type Aes, type BlobIdHasher } from "@cairn/core";
import { CorruptObjectError, UnsupportedVersionError } from "../errors.js";
import { concatBytes, randomBytes, toHex, utf8 } from "../internal/bytes.js";
import { hkdfSha256 } from "../internal/kdf/hkdf.js";

/** Object format version written by this code (the preamble's version byte). */
export const OBJECT_FORMAT_VERSION = 1;
export const PREAMBLE_LENGTH = 40;
export const SALT_LENGTH = 32;
export const TAG_LENGTH = 16;
const MAGIC = [0x43, 0x41, 0x49, 0x52]; // "CAIR"

/** Object types and their codes in the preamble. */
export const OBJECT_TYPES = { config: 1, index: 2, snapshot: 3, lock: 4, pack: 5 } as const;
export type ObjectType = keyof typeof OBJECT_TYPES;

const ZERO_NONCE = new Uint8Array(12);

export function buildPreamble(type: ObjectType, salt: Uint8Array = randomBytes(SALT_LENGTH)): Uint8Array {
  const p = new Uint8Array(PREAMBLE_LENGTH);
  p.set(MAGIC, 0);
  p[4] = OBJECT_FORMAT_VERSION;
  p[5] = OBJECT_TYPES[type];
  p.set(salt, 8);
  return p;
}

/**
 * Checks the preamble at the start of `bytes` and returns its salt.
 * @throws {CorruptObjectError} if it is short, lacks the magic, has the wrong type or nonzero reserved bytes.
 * @throws {UnsupportedVersionError} if it was written by a newer format version.
 */
export function parsePreamble(bytes: Uint8Array, type: ObjectType, object: string): Uint8Array {
  if (bytes.length < PREAMBLE_LENGTH) throw new CorruptObjectError(object, `truncated: ${bytes.length} bytes, shorter than the ${PREAMBLE_LENGTH}-byte preamble`);
  if (MAGIC.some((m, i) => bytes[i] !== m)) throw new CorruptObjectError(object, "not a Cairn object (bad magic)");
  if (bytes[4]! > OBJECT_FORMAT_VERSION) throw new UnsupportedVersionError(object, bytes[4]!, OBJECT_FORMAT_VERSION);
  if (bytes[4] === 0) throw new CorruptObjectError(object, "object format version 0");
  if (bytes[5] !== OBJECT_TYPES[type]) throw new CorruptObjectError(object, `expected a ${type} object (type ${OBJECT_TYPES[type]}), found type ${bytes[5]}`);
  if (bytes[6] !== 0 || bytes[7] !== 0) throw new CorruptObjectError(object, "reserved preamble bytes are not zero");
  return bytes.slice(8, PREAMBLE_LENGTH);
}

/** The keys and engines every object operation needs, derived once at unlock. */
export class ObjectCipher {
  private constructor(
    readonly aes: Aes,
    private readonly encryptionKey: Uint8Array,
    private readonly namer: BlobIdHasher,
  ) {}

  /** Takes a copy of `encryptionKey`; the caller may wipe its own. */
  static async create(aes: Aes, encryptionKey: Uint8Array): Promise<ObjectCipher> {
    const nameKey = await hkdfSha256(encryptionKey, new Uint8Array(32), utf8("cairn/v1/object-name"), 32);
    const namer = await createBlobIdHasher(nameKey);
    nameKey.fill(0);
    return new ObjectCipher(aes, encryptionKey.slice(), namer);
  }

  /** The one-object subkey for `type` and `salt`. Callers wipe it when done. */
  subkey(type: ObjectType, salt: Uint8Array): Promise<Uint8Array> {
    return hkdfSha256(this.encryptionKey, salt, utf8(`cairn/v1/${type}`), 32);
  }

  /** The content-derived name of an object: hex HMAC over its preamble and plaintext parts. */
  async name(preamble: Uint8Array, ...parts: Uint8Array[]): Promise<string> {
    return toHex(await this.namer.digest(concatBytes(preamble, ...parts)));
  }

  /**
   * Seals a single-message object. `keyOf` maps the object's content-derived name to its
   * storage key (`id => "snapshots/" + id`); pass a string for fixed names (`config`).
   * @returns the storage key and the bytes to store there.
   */
  async seal(type: ObjectType, plaintext: Uint8Array, keyOf: string | ((name: string) => string)): Promise<{ key: string; bytes: Uint8Array }> {
    const preamble = buildPreamble(type);
    const key = typeof keyOf === "string" ? keyOf : keyOf(await this.name(preamble, plaintext));
    const subkey = await this.subkey(type, preamble.subarray(8));
    try {
      const out = new Uint8Array(PREAMBLE_LENGTH + plaintext.length + TAG_LENGTH);
      out.set(preamble);
      await this.aes.seal(subkey, ZERO_NONCE, plaintext, concatBytes(preamble, utf8(key)), out.subarray(PREAMBLE_LENGTH));
      return { key, bytes: out };
    } finally {
      subkey.fill(0);
    }
  }

  /**
   * Opens a single-message object stored under `key`, authenticating its type, salt and name.
   * @throws {CorruptObjectError} if anything does not authenticate or is malformed.
   * @throws {UnsupportedVersionError} for objects of a newer format.
   */
  async open(type: ObjectType, key: string, bytes: Uint8Array): Promise<Uint8Array> {
    const salt = parsePreamble(bytes, type, key);
    if (bytes.length < PREAMBLE_LENGTH + TAG_LENGTH) throw new CorruptObjectError(key, `truncated: ${bytes.length} bytes cannot hold preamble and tag`);
    const subkey = await this.subkey(type, salt);
    try {
      return await this.aes.open(subkey, ZERO_NONCE, bytes.subarray(PREAMBLE_LENGTH), concatBytes(bytes.subarray(0, PREAMBLE_LENGTH), utf8(key)));
    } catch (error) {
      if ((error as Error).name === "AuthenticationError") throw new CorruptObjectError(key, "authentication failed (modified, truncated, renamed, or not written with this repository's keys)", { cause: error });
      throw error;
    } finally {
      subkey.fill(0);
    }
  }

  /** Wipes the key material held here. The cipher must not be used afterwards. */
  wipe(): void {
    this.encryptionKey.fill(0);
  }
}
