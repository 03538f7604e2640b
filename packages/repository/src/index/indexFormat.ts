// The plaintext of an index object (`index/<id>`, sealed as object type "index"; FORMAT.md §6).
// All integers little-endian.
//
//   version u8 (1) || 3 zero bytes || packCount u32 || blobCount u32 || garbageCount u32
//   packs   : packCount × (pack id 32 || salt 32 || pack size u32 || 4 zero bytes)
//   blobs   : blobCount × (blob id 32 || pack ordinal u32 || offset u32 || sealedLength u32
//                          || rawLength u32 || type u8 || codec u8 || 2 zero bytes), strictly ascending by id
//   garbage : garbageCount × (pack id 32 || kind u8 || 3 zero bytes || time u64 ms)
//
// Blob records are fixed-size and sorted, so a decoded index object *is* a lookup table: a
// binary search over its bytes, no parsing into objects. Garbage records are how prune keeps
// its decisions across a crash (kind 1: "obsolete, delete" — a pack whose live blobs were
// copied elsewhere; kind 2: "seen unindexed at time" — a pack no index listed, deleted only
// when seen again after the grace period).
import { blobIdFromBytes, idToBytes } from "@cairn/manifest";
import { CorruptObjectError } from "../errors.js";
import { compareRange, fromHex, readU32, toHex, writeU32, writeU64 } from "../internal/bytes.js";
import { BLOB_TYPE_CODES, BLOB_TYPES, type PackEntry } from "../pack/packFormat.js";
import type { BlobLocation } from "../pack/packReader.js";

export const INDEX_VERSION = 1;
/** The storage key of an index object; other keys under `index/` are not part of the repository. */
export const INDEX_KEY = /^index\/[0-9a-f]{64}$/;
const FIXED = 16;
const PACK_RECORD = 72;
export const BLOB_RECORD = 52;
const GARBAGE_RECORD = 44;

export interface IndexedPack {
  readonly packId: string;
  readonly salt: Uint8Array;
  readonly size: number;
}

export interface GarbageRecord {
  readonly packId: string;
  /** 1: obsolete (prune copied its live blobs away; delete it); 2: seen without any index entry at `timeMs`. */
  readonly kind: 1 | 2;
  readonly timeMs: number;
}

/** A decoded index object: its packs, its sorted blob records (raw bytes) and garbage records. */
export interface IndexShard {
  readonly key: string;
  readonly packs: readonly IndexedPack[];
  readonly blobCount: number;
  readonly records: Uint8Array;
  readonly garbage: readonly GarbageRecord[];
}

/** Encodes packs and their entries (duplicated blob IDs keep their first location). */
export function encodeIndex(packs: readonly (IndexedPack & { readonly entries: readonly PackEntry[] })[], garbage: readonly GarbageRecord[] = []): Uint8Array {
  const rows: { id: Uint8Array; pack: number; e: PackEntry }[] = [];
  packs.forEach((p, pack) => p.entries.forEach((e) => rows.push({ id: idToBytes(e.id), pack, e })));
  rows.sort((a, b) => compareRange(a.id, 0, b.id, 0, 32));
  const unique = rows.filter((r, i) => i === 0 || compareRange(r.id, 0, rows[i - 1]!.id, 0, 32) !== 0);
  const out = new Uint8Array(FIXED + packs.length * PACK_RECORD + unique.length * BLOB_RECORD + garbage.length * GARBAGE_RECORD);
  out[0] = INDEX_VERSION;
  writeU32(out, 4, packs.length);
  writeU32(out, 8, unique.length);
  writeU32(out, 12, garbage.length);
  let at = FIXED;
  for (const p of packs) {
    out.set(fromHex(p.packId, 32)!, at);
    out.set(p.salt, at + 32);
    writeU32(out, at + 64, p.size);
    at += PACK_RECORD;
  }
  for (const { id, pack, e } of unique) {
    out.set(id, at);
    writeU32(out, at + 32, pack);
    writeU32(out, at + 36, e.offset);
    writeU32(out, at + 40, e.sealedLength);
    writeU32(out, at + 44, e.rawLength);
    out[at + 48] = BLOB_TYPE_CODES[e.type];
    out[at + 49] = e.codec;
    at += BLOB_RECORD;
  }
  for (const g of garbage) {
    out.set(fromHex(g.packId, 32)!, at);
    out[at + 32] = g.kind;
    writeU64(out, at + 36, g.timeMs);
    at += GARBAGE_RECORD;
  }
  return out;
}

/**
 * Decodes and validates an index object's plaintext.
 * @throws {CorruptObjectError} naming `key` on any violation (lengths, order, ordinals, reserved bytes).
 */
export function decodeIndex(key: string, plain: Uint8Array): IndexShard {
  const fail = (detail: string): never => {
    throw new CorruptObjectError(key, `index: ${detail}`);
  };
  if (plain.length < FIXED) fail(`${plain.length} bytes is too short`);
  if (plain[0] !== INDEX_VERSION) fail(`unknown version ${plain[0]}`);
  const packCount = readU32(plain, 4);
  const blobCount = readU32(plain, 8);
  const garbageCount = readU32(plain, 12);
  const blobsAt = FIXED + packCount * PACK_RECORD;
  const garbageAt = blobsAt + blobCount * BLOB_RECORD;
  if (garbageAt + garbageCount * GARBAGE_RECORD !== plain.length) fail(`counts ${packCount}/${blobCount}/${garbageCount} do not match ${plain.length} bytes`);
  const packs: IndexedPack[] = [];
  if (plain[1] !== 0 || plain[2] !== 0 || plain[3] !== 0) fail("reserved header bytes are not zero");
  for (let i = 0, at = FIXED; i < packCount; i++, at += PACK_RECORD) {
    if (readU32(plain, at + 68) !== 0) fail(`pack record ${i} has nonzero reserved bytes`);
    packs.push({ packId: toHex(plain.subarray(at, at + 32)), salt: plain.slice(at + 32, at + 64), size: readU32(plain, at + 64) });
  }
  for (let i = 0, at = blobsAt; i < blobCount; i++, at += BLOB_RECORD) {
    if (readU32(plain, at + 32) >= packCount) fail(`blob record ${i} names pack ${readU32(plain, at + 32)} of ${packCount}`);
    if (plain[at + 48]! > 1 || plain[at + 49]! > 1 || plain[at + 50] !== 0 || plain[at + 51] !== 0) fail(`blob record ${i} has an unknown type, codec or nonzero reserved bytes`);
    if (i > 0 && compareRange(plain, at - BLOB_RECORD, plain, at, 32) >= 0) fail(`blob records are not strictly ascending at ${i}`);
  }
  const garbage: GarbageRecord[] = [];
  for (let i = 0, at = garbageAt; i < garbageCount; i++, at += GARBAGE_RECORD) {
    const kind = plain[at + 32];
    if (kind !== 1 && kind !== 2) fail(`garbage record ${i} has unknown kind ${kind}`);
    if (plain[at + 33] !== 0 || plain[at + 34] !== 0 || plain[at + 35] !== 0) fail(`garbage record ${i} has nonzero reserved bytes`);
    garbage.push({ packId: toHex(plain.subarray(at, at + 32)), kind: kind as 1 | 2, timeMs: readU32(plain, at + 36) + readU32(plain, at + 40) * 0x100000000 });
  }
  return { key, packs, blobCount, records: plain.subarray(blobsAt, garbageAt), garbage };
}

/** The location held by record `i` of `shard`. */
export function recordAt(shard: IndexShard, i: number): BlobLocation {
  const r = shard.records;
  const at = i * BLOB_RECORD;
  const pack = shard.packs[readU32(r, at + 32)]!;
  return {
    id: blobIdFromBytes(r.subarray(at, at + 32)),
    type: BLOB_TYPES[r[at + 48]!]!,
    codec: r[at + 49]!,
    offset: readU32(r, at + 36),
    sealedLength: readU32(r, at + 40),
    rawLength: readU32(r, at + 44),
    packId: pack.packId,
    packSalt: pack.salt,
  };
}

/** Binary search for `id` (32 raw bytes) in `shard`; the record number or -1. */
export function findRecord(shard: IndexShard, id: Uint8Array): number {
  let lo = 0;
  let hi = shard.blobCount - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareRange(shard.records, mid * BLOB_RECORD, id, 0, 32);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** All locations in `shard`, in ID order. */
export function* shardLocations(shard: IndexShard): Generator<BlobLocation> {
  for (let i = 0; i < shard.blobCount; i++) yield recordAt(shard, i);
}

