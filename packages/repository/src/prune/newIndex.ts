// The index prune writes to supersede every index object it read: the kept packs (with only the
// entries it chose), the packs it wrote, and the garbage records that carry its decisions to the
// next prune. Split into objects of at most `maxBlobs` blob records (whole packs per object), so
// the result stays a sharded index that readers load incrementally; garbage records go into
// the first object.
import type { RepositoryContext } from "../internal/context.js";
import { encodeIndex, type GarbageRecord } from "../index/indexFormat.js";
import type { NewPack } from "./repack.js";

/** Blob records per index object prune writes (about 3.4 MB of plaintext). */
export const PRUNE_INDEX_BLOBS = 65_536;

/** The plaintexts of the new index objects (none if there is nothing to index or remember). */
export function buildIndexPlaintexts(packs: readonly NewPack[], garbage: readonly GarbageRecord[], maxBlobs = PRUNE_INDEX_BLOBS): Uint8Array[] {
  const groups: NewPack[][] = [];
  let current: NewPack[] = [];
  let blobs = 0;
  for (const pack of packs) {
    if (current.length > 0 && blobs + pack.entries.length > maxBlobs) {
      groups.push(current);
      current = [];
      blobs = 0;
    }
    current.push(pack);
    blobs += pack.entries.length;
  }
  if (current.length > 0) groups.push(current);
  if (groups.length === 0 && garbage.length > 0) groups.push([]);
  return groups.map((group, i) => encodeIndex(group, i === 0 ? garbage : []));
}

/** Seals and stores index plaintexts; returns their storage keys. */
export async function writeIndexObjects(ctx: RepositoryContext, plaintexts: readonly Uint8Array[]): Promise<string[]> {
  const keys: string[] = [];
  for (const plain of plaintexts) {
    const { key, bytes } = await ctx.cipher.seal("index", plain, (id) => `index/${id}`);
    await ctx.storage.put(key, bytes);
    keys.push(key);
  }
  return keys;
}
