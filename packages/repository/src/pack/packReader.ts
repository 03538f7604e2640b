// Reading packs: the header (to rebuild or verify the index, and for check) and single blobs
// (for loadBlob, given an index entry). Every byte is authenticated before it is used.
import { blobIdFromBytes, idToBytes } from "@cairn/manifest";
import { ObjectNotFoundError, RangeNotSatisfiableError, type Storage } from "@cairn/storage";
import { CorruptObjectError, MissingObjectError } from "../errors.js";
import { concatBytes, readU32, utf8 } from "../internal/bytes.js";
import { parsePreamble, PREAMBLE_LENGTH, TAG_LENGTH, type ObjectCipher } from "../crypto/objectCipher.js";
import { blobAad, blobNonce, decodeHeader, headerNonce, packKey, TRAILER_LENGTH, type PackEntry } from "./packFormat.js";

/** What a pack's header says, authenticated. */
export interface PackContents {
  readonly packId: string;
  readonly salt: Uint8Array;
  readonly size: number;
  readonly entries: readonly PackEntry[];
}

function authFailed(object: string, what: string, error: unknown, blobId?: string): never {
  if ((error as Error).name === "AuthenticationError") {
    throw new CorruptObjectError(object, `${what} failed authentication (modified, truncated or misplaced)`, { blobId, cause: error });
  }
  throw error;
}

/**
 * Parses a whole pack held in memory: preamble, trailer, header (authenticated and checked
 * against the pack's name).
 * @throws {CorruptObjectError} for any inconsistency.
 */
export async function parsePackHeader(cipher: ObjectCipher, packId: string, bytes: Uint8Array): Promise<PackContents> {
  const key = packKey(packId);
  const salt = parsePreamble(bytes, "pack", key);
  if (bytes.length < PREAMBLE_LENGTH + TAG_LENGTH + TRAILER_LENGTH) throw new CorruptObjectError(key, `truncated: ${bytes.length} bytes`);
  const sealedHeaderLength = readU32(bytes, bytes.length - TRAILER_LENGTH);
  const headerOffset = bytes.length - TRAILER_LENGTH - sealedHeaderLength;
  if (sealedHeaderLength < TAG_LENGTH || headerOffset < PREAMBLE_LENGTH) throw new CorruptObjectError(key, `trailer claims a ${sealedHeaderLength}-byte header in a ${bytes.length}-byte pack (truncated?)`);
  const subkey = await cipher.subkey("pack", salt);
  let plain: Uint8Array;
  try {
    plain = await cipher.aes.open(subkey, headerNonce(headerOffset), bytes.subarray(headerOffset, headerOffset + sealedHeaderLength), concatBytes(bytes.subarray(0, PREAMBLE_LENGTH), utf8(key)));
  } catch (error) {
    authFailed(key, "header", error);
  } finally {
    subkey.fill(0);
  }
  const { entries, unpaddedLength } = decodeHeader(plain, headerOffset, key, blobIdFromBytes);
  const name = await cipher.name(bytes.subarray(0, PREAMBLE_LENGTH), plain.subarray(0, unpaddedLength));
  if (name !== packId) throw new CorruptObjectError(key, `content is named ${name}, not ${packId}`);
  return { packId, salt, size: bytes.length, entries };
}

/**
 * Reads and authenticates a pack's header with ranged reads (preamble, trailer, header), without
 * downloading its blobs.
 * @throws {MissingObjectError} if the pack does not exist.
 * @throws {CorruptObjectError} if anything fails to authenticate or is inconsistent.
 */
export async function readPackHeader(storage: Storage, cipher: ObjectCipher, packId: string, referencedBy: string): Promise<PackContents> {
  const key = packKey(packId);
  try {
    const { size } = await storage.stat(key);
    if (size < PREAMBLE_LENGTH + TAG_LENGTH + TRAILER_LENGTH) throw new CorruptObjectError(key, `truncated: ${size} bytes`);
    // Most headers fit in the last 64 KiB; small packs are read whole in one request.
    const tailLength = Math.min(size, 64 * 1024);
    let tail = await storage.get(key, { offset: size - tailLength, length: tailLength });
    const sealedHeaderLength = readU32(tail, tail.length - TRAILER_LENGTH);
    const need = sealedHeaderLength + TRAILER_LENGTH;
    if (need > size - PREAMBLE_LENGTH) throw new CorruptObjectError(key, `trailer claims a ${sealedHeaderLength}-byte header in a ${size}-byte pack (truncated?)`);
    if (need > tail.length) tail = await storage.get(key, { offset: size - need, length: need });
    const preamble = size === tailLength ? tail.subarray(0, PREAMBLE_LENGTH) : await storage.get(key, { offset: 0, length: PREAMBLE_LENGTH });
    // Reassemble a sparse image the parser understands: preamble, zeros for the blobs, header, trailer.
    const image = new Uint8Array(size);
    image.set(preamble, 0);
    image.set(tail.subarray(tail.length - need), size - need);
    return await parsePackHeader(cipher, packId, image);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw new MissingObjectError(key, referencedBy, { cause: error });
    if (error instanceof RangeNotSatisfiableError) throw new CorruptObjectError(key, "shorter than its trailer says (truncated)", { cause: error });
    throw error;
  }
}

/** Where a blob is and how to open it: an index entry plus its pack's salt. */
export interface BlobLocation extends PackEntry {
  readonly packId: string;
  readonly packSalt: Uint8Array;
}

/**
 * Authenticates and decrypts one sealed blob (the stored bytes: still compressed if its codec says so).
 * @throws {CorruptObjectError} naming the pack and the blob if it does not authenticate.
 */
export async function openBlob(cipher: ObjectCipher, location: BlobLocation, sealed: Uint8Array, subkey?: Uint8Array): Promise<Uint8Array> {
  const key = packKey(location.packId);
  if (sealed.length !== location.sealedLength) throw new CorruptObjectError(key, `expected ${location.sealedLength} sealed bytes, got ${sealed.length}`, { blobId: location.id });
  const k = subkey ?? (await cipher.subkey("pack", location.packSalt));
  try {
    return await cipher.aes.open(k, blobNonce(location.offset), sealed, blobAad(location.type, location.codec, location.rawLength, idToBytes(location.id)));
  } catch (error) {
    return authFailed(key, "blob", error, location.id);
  } finally {
    if (!subkey) k.fill(0);
  }
}

/**
 * Fetches (one ranged read) and opens one blob.
 * @throws {MissingObjectError} if the pack is gone.
 * @throws {CorruptObjectError} if it is truncated or does not authenticate.
 */
export async function fetchBlob(storage: Storage, cipher: ObjectCipher, location: BlobLocation): Promise<Uint8Array> {
  const key = packKey(location.packId);
  let sealed: Uint8Array;
  try {
    sealed = await storage.get(key, { offset: location.offset, length: location.sealedLength });
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw new MissingObjectError(key, `the index entry of blob ${location.id}`, { cause: error });
    if (error instanceof RangeNotSatisfiableError) throw new CorruptObjectError(key, "shorter than the index says (truncated)", { blobId: location.id, cause: error });
    throw error;
  }
  return openBlob(cipher, location, sealed);
}

/** True if `a` and `b` name the same bytes (used to compare header and index entries). */
export function sameEntry(a: PackEntry, b: PackEntry): boolean {
  return a.id === b.id && a.type === b.type && a.codec === b.codec && a.offset === b.offset && a.sealedLength === b.sealedLength && a.rawLength === b.rawLength;
}
