// The whole index as prune needs it: every index object decoded, merged per pack, plus the
// garbage records previous prunes left. Unlike the IndexView (which backups use, and which keeps
// only 8 bytes per blob resident), prune holds every entry in memory: it has to decide about
// every pack, and it runs rarely, under the exclusive lock.
//
// An index object that cannot be read stops prune: its packs would look unindexed and be
// deleted after the grace period, taking live data with them.
import { ObjectNotFoundError } from "@cairn/storage";
import { PruneRefusedError } from "../errors.js";
import type { RepositoryContext } from "../internal/context.js";
import { decodeIndex, INDEX_KEY, shardLocations, type GarbageRecord } from "../index/indexFormat.js";
import type { BlobLocation } from "../pack/packReader.js";
import type { PackState } from "./plan.js";

export interface IndexState {
  /** Storage keys of the index objects read (the ones prune supersedes). */
  readonly keys: readonly string[];
  readonly packs: ReadonlyMap<string, PackState>;
  /** One location per blob ID (the first found), for loading trees. */
  readonly located: ReadonlyMap<string, BlobLocation>;
  readonly garbage: readonly GarbageRecord[];
}

/**
 * Reads and decodes every index object.
 * @throws {PruneRefusedError} if one does not authenticate or decode, or vanishes while being read.
 */
export async function readIndexState(ctx: RepositoryContext): Promise<IndexState> {
  const keys: string[] = [];
  for await (const { key } of ctx.storage.list("index/")) if (INDEX_KEY.test(key)) keys.push(key);
  keys.sort();
  const packs = new Map<string, PackState & { entries: Map<string, BlobLocation> }>();
  const located = new Map<string, BlobLocation>();
  const garbage: GarbageRecord[] = [];
  for (const key of keys) {
    let shard;
    try {
      shard = decodeIndex(key, await ctx.cipher.open("index", key, await ctx.storage.get(key)));
    } catch (error) {
      const reason = error instanceof ObjectNotFoundError ? "an index object vanished while prune read it (is another prune running?)" : "an index object cannot be read, so the packs it lists would look unused (see check)";
      throw new PruneRefusedError(reason, [key], { cause: error });
    }
    garbage.push(...shard.garbage);
    for (const p of shard.packs) if (!packs.has(p.packId)) packs.set(p.packId, { ...p, entries: new Map() });
    for (const location of shardLocations(shard)) {
      const pack = packs.get(location.packId)!;
      if (!pack.entries.has(location.id)) pack.entries.set(location.id, location);
      if (!located.has(location.id)) located.set(location.id, location);
    }
  }
  return { keys, packs, located, garbage };
}
