// Repacking: copies the still-needed blobs of partly-used packs into new packs, so the old packs
// can be deleted. Each old pack is read once, whole (packs are a few MiB; one request beats one
// per blob), every blob is authenticated, decompressed and checked against its ID before it is
// copied (corruption is never propagated into a new pack), and its stored bytes are re-sealed
// unchanged under the new pack's subkey: no recompression, so the codec and lengths stay as the
// writer chose them. Data and tree blobs go to separate packs, as the writer keeps them.
//
// The new packs are uploaded but not indexed here: until prune writes its new index they are
// unreferenced, which is exactly what a prune killed at this point leaves behind.
import { ObjectNotFoundError } from "@cairn/storage";
import { MissingObjectError } from "../errors.js";
import type { RepositoryContext } from "../internal/context.js";
import { verifiedPlaintext } from "../pack/blobPlain.js";
import { BLOB_TYPES, packKey, type BlobType, type PackEntry } from "../pack/packFormat.js";
import { openBlob, type BlobLocation } from "../pack/packReader.js";
import { PackWriter } from "../pack/packWriter.js";
import type { IndexedPack } from "../index/indexFormat.js";

/** A pack prune wrote: what its index entry needs. */
export type NewPack = IndexedPack & { readonly entries: readonly PackEntry[] };

/**
 * Copies `live` blobs (old pack ID → its blobs to keep) into new packs and uploads them.
 * @returns the new packs, in upload order.
 * @throws {MissingObjectError} if an old pack vanished.
 * @throws {CorruptObjectError} if a blob to copy does not authenticate or verify (nothing is deleted; run check).
 */
export async function repackBlobs(ctx: RepositoryContext, live: ReadonlyMap<string, readonly BlobLocation[]>, onPack?: (pack: NewPack) => void): Promise<NewPack[]> {
  const written: NewPack[] = [];
  const writers = new Map<BlobType, PackWriter>();
  const finish = async (type: BlobType) => {
    const writer = writers.get(type);
    if (!writer) return;
    writers.delete(type);
    const done = await writer.finish(ctx.config.packs.padding === "padme");
    await ctx.storage.put(done.key, done.bytes);
    const pack: NewPack = { packId: done.packId, salt: done.salt, size: done.bytes.length, entries: done.entries };
    written.push(pack);
    onPack?.(pack);
  };
  try {
    for (const packId of [...live.keys()].sort()) {
      const blobs = [...live.get(packId)!].sort((a, b) => a.offset - b.offset);
      if (blobs.length === 0) continue;
      let bytes: Uint8Array;
      try {
        bytes = await ctx.storage.get(packKey(packId));
      } catch (error) {
        if (error instanceof ObjectNotFoundError) throw new MissingObjectError(packKey(packId), "the index (prune was repacking it)", { cause: error });
        throw error;
      }
      const subkey = await ctx.cipher.subkey("pack", blobs[0]!.packSalt);
      try {
        for (const location of blobs) {
          const stored = await openBlob(ctx.cipher, location, bytes.subarray(location.offset, location.offset + location.sealedLength), subkey);
          await verifiedPlaintext(ctx, location, stored);
          let writer = writers.get(location.type);
          if (!writer) {
            writer = await PackWriter.start(ctx.cipher);
            writers.set(location.type, writer);
          }
          await writer.add({ id: location.id, type: location.type, codec: location.codec, stored, rawLength: location.rawLength });
          if (writer.size >= ctx.config.packs.targetSize) await finish(location.type);
        }
      } finally {
        subkey.fill(0);
      }
    }
    for (const type of BLOB_TYPES) await finish(type);
  } finally {
    for (const writer of writers.values()) writer.discard();
  }
  return written;
}
