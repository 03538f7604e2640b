// The byte layout of a pack (FORMAT.md §5). All integers little-endian.
//
//   pack    = preamble (40) || blob_1 || … || blob_n || sealed header || trailer (4)
//   blob_i  = AES-256-GCM(pack subkey, nonce = offset_i as u64 || u32 0, stored_i, AAD = blobAad_i)
//   header  = AES-256-GCM(pack subkey, nonce = headerOffset as u64 || u32 1,
//                         headerPlain || zero padding, AAD = preamble || "data/" + packId)
//   trailer = u32 length of the sealed header (plaintext + padding + 16-byte tag)
//
//   headerPlain = version u8 (1) || 3 zero bytes || count u32 || count × entry (44 bytes)
//   entry       = type u8 (0 data, 1 tree) || codec u8 (0 raw, 1 zstd) || 0x0000
//                 || sealedLength u32 || rawLength u32 || blob id (32)
//   blobAad     = type u8 || codec u8 || rawLength u32 || blob id (32)
//
// Blob offsets are implicit: blob 1 starts right after the preamble, each next one where the
// previous ended, so the header needs no offsets and cannot contradict itself. Nonces come from
// byte offsets, which are distinct within a pack, and the pack subkey is used by no other pack.
// A pack's ID is HMAC(name key, preamble || headerPlain), i.e. derived from its content (blob
// IDs are themselves MACs of blob plaintext) and its random salt.
import type { BlobId } from "@cairn/manifest";
import { CorruptObjectError } from "../errors.js";
import { readU32, writeU32, writeU64 } from "../internal/bytes.js";

export type BlobType = "data" | "tree";
export const BLOB_TYPE_CODES: Record<BlobType, number> = { data: 0, tree: 1 };
export const BLOB_TYPES: readonly BlobType[] = ["data", "tree"];

export const HEADER_VERSION = 1;
export const HEADER_FIXED_LENGTH = 8;
export const HEADER_ENTRY_LENGTH = 44;
export const TRAILER_LENGTH = 4;
/** Largest pack a u32 trailer and u32 lengths can describe. */
export const MAX_PACK_LENGTH = 0xffffffff;

/** One blob as a pack header (and the index) describes it. */
export interface PackEntry {
  readonly id: BlobId;
  readonly type: BlobType;
  readonly codec: number;
  /** Offset of the sealed blob in the pack. */
  readonly offset: number;
  /** Stored bytes + 16-byte tag. */
  readonly sealedLength: number;
  /** Plaintext bytes (after decompression). */
  readonly rawLength: number;
}

export function packKey(packId: string): string {
  return `data/${packId}`;
}

export function blobNonce(offset: number): Uint8Array {
  const n = new Uint8Array(12);
  writeU64(n, 0, offset);
  return n;
}

export function headerNonce(offset: number): Uint8Array {
  const n = blobNonce(offset);
  n[8] = 1;
  return n;
}

export function blobAad(type: BlobType, codec: number, rawLength: number, id: Uint8Array): Uint8Array {
  const a = new Uint8Array(38);
  a[0] = BLOB_TYPE_CODES[type];
  a[1] = codec;
  writeU32(a, 2, rawLength);
  a.set(id, 6);
  return a;
}

/**
 * Padmé (Nikitin et al., PETS 2019): rounds `length` up so that only about log log L bits of it
 * stay visible; overhead at most ~12% for small objects, under 3.2% above 1 MiB.
 */
export function padme(length: number): number {
  if (length < 2) return length;
  const e = Math.floor(Math.log2(length));
  const s = Math.floor(Math.log2(e)) + 1;
  const step = 2 ** (e - s);
  return Math.ceil(length / step) * step;
}

/** Encodes the unpadded header plaintext. */
export function encodeHeader(entries: readonly { type: BlobType; codec: number; sealedLength: number; rawLength: number; idBytes: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(HEADER_FIXED_LENGTH + entries.length * HEADER_ENTRY_LENGTH);
  out[0] = HEADER_VERSION;
  writeU32(out, 4, entries.length);
  entries.forEach((e, i) => {
    const at = HEADER_FIXED_LENGTH + i * HEADER_ENTRY_LENGTH;
    out[at] = BLOB_TYPE_CODES[e.type];
    out[at + 1] = e.codec;
    writeU32(out, at + 4, e.sealedLength);
    writeU32(out, at + 8, e.rawLength);
    out.set(e.idBytes, at + 12);
  });
  return out;
}

/**
 * Decodes and validates a decrypted header (with its padding): version, counts, types, codecs,
 * contiguous offsets that end exactly at `headerOffset`, and all-zero padding.
 * @returns the entries and the unpadded header length (what the pack ID is computed over).
 * @throws {CorruptObjectError} naming `object` on any violation.
 */
export function decodeHeader(plain: Uint8Array, headerOffset: number, object: string, toId: (bytes: Uint8Array) => BlobId): { entries: PackEntry[]; unpaddedLength: number } {
  const fail = (detail: string): never => {
    throw new CorruptObjectError(object, `pack header: ${detail}`);
  };
  if (plain.length < HEADER_FIXED_LENGTH) fail(`${plain.length} bytes is too short`);
  if (plain[0] !== HEADER_VERSION) fail(`unknown header version ${plain[0]}`);
  if (plain[1] !== 0 || plain[2] !== 0 || plain[3] !== 0) fail("reserved bytes are not zero");
  const count = readU32(plain, 4);
  const unpaddedLength = HEADER_FIXED_LENGTH + count * HEADER_ENTRY_LENGTH;
  if (unpaddedLength > plain.length) fail(`${count} entries do not fit in ${plain.length} bytes`);
  for (let i = unpaddedLength; i < plain.length; i++) if (plain[i] !== 0) fail(`padding byte ${i} is not zero`);
  const entries: PackEntry[] = [];
  let offset = 40;
  for (let i = 0; i < count; i++) {
    const at = HEADER_FIXED_LENGTH + i * HEADER_ENTRY_LENGTH;
    const type = BLOB_TYPES[plain[at]!] ?? fail(`entry ${i}: unknown blob type ${plain[at]}`);
    const codec = plain[at + 1]!;
    if (codec > 1) fail(`entry ${i}: unknown codec ${codec}`);
    if (plain[at + 2] !== 0 || plain[at + 3] !== 0) fail(`entry ${i}: reserved bytes are not zero`);
    const sealedLength = readU32(plain, at + 4);
    const rawLength = readU32(plain, at + 8);
    if (sealedLength < 16) fail(`entry ${i}: sealed length ${sealedLength} is shorter than a tag`);
    if (codec === 0 && sealedLength - 16 !== rawLength) fail(`entry ${i}: raw blob of ${sealedLength - 16} stored bytes claims ${rawLength} plaintext bytes`);
    entries.push({ id: toId(plain.subarray(at + 12, at + 44)), type, codec, offset, sealedLength, rawLength });
    offset += sealedLength;
  }
  if (offset !== headerOffset) fail(`blobs end at ${offset}, but the header starts at ${headerOffset}`);
  return { entries, unpaddedLength };
}
