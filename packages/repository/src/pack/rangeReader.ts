// Reading many blobs of a pack with one ranged request, as a restore does: the restore planner
// groups neighbouring blobs into ranges, the executor fetches each range once and opens every
// blob in it. This module exposes the repository's own reader steps for that — locate a blob,
// read a byte range of a pack, and turn one sealed blob into verified plaintext (authenticate,
// decompress, check against its ID; or only the first step, leaving the rest to a BlobDecoder
// in another thread) — without handing out the repository's internals.
import { blobIdFromBytes, type BlobId } from "@cairn/manifest";
import { ObjectNotFoundError, RangeNotSatisfiableError, type OperationOptions } from "@cairn/storage";
import { CorruptObjectError, MissingObjectError } from "../errors.js";
import type { Repository } from "../repository.js";
import { packKey } from "./packFormat.js";
import { blobDecoder } from "./blobDecoder.js";
import { openBlob, type BlobLocation } from "./packReader.js";

const MAX_SUBKEYS = 16;

export interface BlobRangeReader {
  /**
   * Where blob `id` is stored, or undefined if no index lists it (the index is re-read once
   * before giving up, in case another writer added it).
   */
  locate(id: BlobId): Promise<BlobLocation | undefined>;
  /**
   * `length` bytes of pack `packId` from `offset` (one ranged read).
   * @throws {MissingObjectError} if the pack is gone.
   * @throws {CorruptObjectError} if the pack is shorter than the range (truncated).
   */
  readRange(packId: string, offset: number, length: number, options?: OperationOptions): Promise<Uint8Array>;
  /**
   * The verified plaintext of one sealed blob cut from a range (exactly `location.sealedLength` bytes).
   * @throws {CorruptObjectError} naming the pack and blob if it does not authenticate, decompress
   *   or hash to its ID.
   */
  open(location: BlobLocation, sealed: Uint8Array): Promise<Uint8Array>;
  /**
   * The first half of `open`: the authenticated, decrypted stored bytes of one sealed blob (still
   * compressed if its codec says so). Give them to a `BlobDecoder` for the plaintext — nothing
   * is verified against the blob's ID before that.
   * @throws {CorruptObjectError} naming the pack and blob if it does not authenticate.
   */
  authenticate(location: BlobLocation, sealed: Uint8Array): Promise<Uint8Array>;
  /** A copy of the key blob IDs are computed with, for `createBlobDecoder` in another thread. */
  blobIdKey(): Uint8Array;
  /** The blob ID `plaintext` would have in this repository (to verify bytes already on disk). */
  blobIdOf(plaintext: Uint8Array): Promise<BlobId>;
}

/** A range reader over `repo` (which must stay open while it is used). */
export function blobRangeReader(repo: Repository): BlobRangeReader {
  const ctx = repo.ctx;
  const decoder = blobDecoder(ctx.compressor, ctx.blobIds);
  // Pack subkeys (one HKDF each) of the last few packs read, shared by the blobs opened from them;
  // wiped when evicted and no longer in use.
  const subkeys = new Map<string, { key: Promise<Uint8Array>; users: number }>();
  const withSubkey = async <T>(location: BlobLocation, use: (key: Uint8Array) => Promise<T>): Promise<T> => {
    let entry = subkeys.get(location.packId);
    if (!entry) {
      const key = ctx.cipher.subkey("pack", location.packSalt);
      entry = { key, users: 0 };
      subkeys.set(location.packId, entry);
      key.catch(() => subkeys.get(location.packId)?.key === key && subkeys.delete(location.packId));
    }
    entry.users++;
    try {
      return await use(await entry.key);
    } finally {
      entry.users--;
      for (const [packId, e] of subkeys) {
        if (subkeys.size <= MAX_SUBKEYS) break;
        if (e.users > 0) continue;
        subkeys.delete(packId);
        void e.key.then((k) => k.fill(0), () => undefined);
      }
    }
  };
  return {
    async locate(id) {
      await repo.ensureIndex();
      const found = await ctx.index.lookup(id);
      if (found) return found;
      await ctx.index.refresh();
      return ctx.index.lookup(id);
    },
    async readRange(packId, offset, length, options) {
      const key = packKey(packId);
      try {
        return await ctx.storage.get(key, { offset, length }, options);
      } catch (error) {
        if (error instanceof ObjectNotFoundError) throw new MissingObjectError(key, "the index", { cause: error });
        if (error instanceof RangeNotSatisfiableError) throw new CorruptObjectError(key, `shorter than the index says (truncated): cannot read ${length} bytes at ${offset}`, { cause: error });
        throw error;
      }
    },
    async open(location, sealed) {
      return decoder.decode(location, await withSubkey(location, (key) => openBlob(ctx.cipher, location, sealed, key)));
    },
    authenticate(location, sealed) {
      return withSubkey(location, (key) => openBlob(ctx.cipher, location, sealed, key));
    },
    blobIdKey() {
      return repo.blobIdKey();
    },
    async blobIdOf(plaintext) {
      return blobIdFromBytes(await ctx.blobIds.digest(plaintext));
    },
  };
}
