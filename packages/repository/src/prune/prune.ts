// Prune: reclaim the space of blobs no snapshot references, safely next to backups and safely
// if killed at any point (FORMAT.md §9). Runs under the exclusive lock; `planPrune` (plan.ts)
// decides, this module executes, in an order where every prefix of the work leaves a
// repository in which every snapshot is complete:
//
//   1. read every index object, list the packs, collect what every snapshot reaches; refuse
//      (PruneRefusedError) if anything needed cannot be read — nothing has been written yet;
//   2. copy the live blobs of partly-used packs into new packs (uploaded, not yet indexed:
//      killed here, they are unreferenced debris a later prune collects after the grace period);
//   3. write the new index objects: the kept packs' chosen entries, the new packs, and garbage
//      records (kind 1 "obsolete, delete" for every pack about to go; kind 2 "seen unindexed at
//      t" for packs within their grace period). Killed here, old and new index objects coexist:
//      their union still lists every old location, so nothing is lost;
//   4. confirm the lock is still ours and alone, and that no snapshot or index object of
//      someone else appeared meanwhile;
//   5. delete the old index objects. Killed here, the new index already lists every reachable
//      blob; what the deleted old objects alone listed is unreachable by construction;
//   6. delete the packs marked in step 3. Every one of them is unindexed by now, so a killed
//      prune leaves packs that the next prune deletes on sight (kind 1).
// A pack that no index lists and no garbage record explains (a crashed writer's upload, or a
// writer between uploading a pack and indexing it) is deleted only by a prune that finds it
// still unindexed `graceMs` after a prune first saw it (two-phase deletion).
//
// Not guaranteed: safety against writers that do not take locks (`locking: false`), or whose
// clocks are skewed by more than the lock's stale time (see locks.ts).
import type { SnapshotId } from "@cairn/manifest";
import { PruneRefusedError } from "../errors.js";
import type { RepositoryContext } from "../internal/context.js";
import { INDEX_KEY, type GarbageRecord } from "../index/indexFormat.js";
import type { RepositoryLock } from "../locks.js";
import { packKey, type PackEntry } from "../pack/packFormat.js";
import { listSnapshotIds } from "../snapshots.js";
import { readIndexState } from "./indexState.js";
import { buildIndexPlaintexts, PRUNE_INDEX_BLOBS, writeIndexObjects } from "./newIndex.js";
import { planPrune } from "./plan.js";
import { findReachable } from "./reachable.js";
import { repackBlobs, type NewPack } from "./repack.js";

/** Default grace period for unindexed packs: a day, far beyond any pause between a writer's upload and its index write. */
export const DEFAULT_GRACE_MS = 24 * 60 * 60 * 1000;
/** Default repack threshold: repack a pack once more than a fifth of its bytes are unused. */
export const DEFAULT_REPACK_THRESHOLD = 0.2;

export type PrunePhase = "planned" | "repacked" | "indexed" | "old-index-deleted" | "done";

export interface PruneOptions {
  /** Repack a pack when more than this share (0..1) of its bytes is unused (default 0.2). */
  readonly repackThreshold?: number;
  /**
   * An unindexed pack is deleted only when a prune sees it this long after a prune first saw it
   * unindexed (default 24 h). 0 deletes it at the second sighting.
   */
  readonly graceMs?: number;
  /** Plan and report only; write and delete nothing. */
  readonly dryRun?: boolean;
  /** "Now" for garbage records (default Date.now()). */
  readonly nowMs?: number;
  /** Blob records per index object written (default 65 536). */
  readonly indexObjectBlobs?: number;
  /** Called as each step completes (for progress display). */
  readonly onPhase?: (phase: PrunePhase) => void;
}

export interface PruneResult {
  readonly dryRun: boolean;
  /** Snapshots whose data was kept. */
  readonly snapshots: number;
  /** Trees and data blobs they reference. */
  readonly reachableBlobs: number;
  /** Pack objects in storage before. */
  readonly packsBefore: number;
  /** Packs kept as they are. */
  readonly packsKept: number;
  /** Partly-used packs whose live blobs were copied (they are among `packsDeleted`). */
  readonly packsRepacked: number;
  /** Packs deleted (or, on a dry run, that would be). */
  readonly packsDeleted: number;
  /** New packs written by repacking. */
  readonly packsWritten: number;
  /** Unindexed packs left for a later prune (within their grace period). */
  readonly packsWaiting: number;
  readonly blobsRepacked: number;
  /** Index entries dropped: unreachable blobs and duplicates. */
  readonly blobsDropped: number;
  /** Bytes of pack objects before. */
  readonly bytesBefore: number;
  /** Bytes of pack objects after (on a dry run, an estimate that ignores repacking's padding). */
  readonly bytesAfter: number;
  readonly indexObjectsBefore: number;
  readonly indexObjectsWritten: number;
}

function sameGarbage(a: readonly GarbageRecord[], b: readonly GarbageRecord[]): boolean {
  const text = (list: readonly GarbageRecord[]) => list.map((g) => `${g.packId}:${g.kind}:${g.timeMs}`).sort().join(",");
  return text(a) === text(b);
}

/** Refuses if a snapshot appeared that the reachable set does not cover. */
async function assertNoNewSnapshots(ctx: RepositoryContext, known: ReadonlySet<SnapshotId>): Promise<void> {
  const added = (await listSnapshotIds(ctx.storage)).filter((id) => !known.has(id));
  if (added.length > 0) throw new PruneRefusedError("snapshots were added while prune ran (a writer without a lock?); run prune again", added.map((id) => `snapshots/${id}`));
}

/** Refuses if an index object appeared that is neither one prune read nor one it wrote. */
async function assertNoNewIndexObjects(ctx: RepositoryContext, known: ReadonlySet<string>): Promise<void> {
  const added: string[] = [];
  for await (const { key } of ctx.storage.list("index/")) if (INDEX_KEY.test(key) && !known.has(key)) added.push(key);
  if (added.length > 0) throw new PruneRefusedError("index objects were added while prune ran (a writer without a lock?); run prune again", added.sort());
}

/**
 * Runs prune on a repository whose exclusive `lock` the caller holds (and releases).
 * @throws {PruneRefusedError} if something needed cannot be read or the repository changed under it (nothing deleted).
 * @throws {LockLostError|RepositoryLockedError} if exclusivity was lost before a destructive step (nothing more deleted).
 * @throws {CorruptObjectError|MissingObjectError} if a blob being repacked is damaged or its pack vanished (nothing deleted).
 * @throws {RangeError} for out-of-range options.
 */
export async function pruneRepository(ctx: RepositoryContext, lock: RepositoryLock, options: PruneOptions = {}): Promise<PruneResult> {
  const threshold = options.repackThreshold ?? DEFAULT_REPACK_THRESHOLD;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`repackThreshold: expected a share between 0 and 1, got ${threshold}`);
  if (!(graceMs >= 0)) throw new RangeError(`graceMs: expected a non-negative number of ms, got ${graceMs}`);
  const nowMs = options.nowMs ?? Date.now();

  // 1. Read and plan.
  const index = await readIndexState(ctx);
  const stored = new Map<string, number>();
  // Only names a pack can have: anything else under data/ is not part of the repository (check
  // reports it) and prune leaves it alone.
  for await (const { key, size } of ctx.storage.list("data/")) if (/^data\/[0-9a-f]{64}$/.test(key)) stored.set(key.slice("data/".length), size);
  const resized = [...index.packs.values()].filter((p) => stored.has(p.packId) && stored.get(p.packId) !== p.size).map((p) => packKey(p.packId));
  if (resized.length > 0) throw new PruneRefusedError("packs differ in size from what the index says (truncated or replaced; see check)", resized);
  const reachable = await findReachable(ctx, index.located);
  const plan = planPrune({ packs: index.packs, stored, garbage: index.garbage, reachable: reachable.blobs, repackThreshold: threshold, graceMs, nowMs, padded: ctx.config.packs.padding === "padme" });
  if (plan.missing.length > 0) throw new PruneRefusedError("snapshots need blobs that no existing pack holds (see check)", plan.missing);
  options.onPhase?.("planned");

  const bytesBefore = [...stored.values()].reduce((n, s) => n + s, 0);
  const sizeOf = (packId: string) => stored.get(packId) ?? 0;
  const keptBytes = [...plan.keep.keys()].reduce((n, p) => n + sizeOf(p), 0);
  const waitingBytes = plan.waiting.reduce((n, g) => n + sizeOf(g.packId), 0);
  const liveRepackBytes = [...plan.repack.values()].reduce((n, list) => n + list.reduce((m, e) => m + e.sealedLength, 0), 0);
  // Packs to delete: the wholly unused ones and the ones whose live blobs are copied.
  const obsolete = [...plan.remove, ...[...plan.repack.keys()].sort()];
  const garbage: GarbageRecord[] = [...obsolete.map((packId): GarbageRecord => ({ packId, kind: 1, timeMs: nowMs })), ...plan.waiting];
  const result = (written: readonly NewPack[], indexObjectsWritten: number, dryRun: boolean): PruneResult => ({
    dryRun,
    snapshots: reachable.snapshots.length,
    reachableBlobs: reachable.blobs.size,
    packsBefore: stored.size,
    packsKept: plan.keep.size,
    packsRepacked: plan.repack.size,
    packsDeleted: obsolete.length,
    packsWritten: written.length,
    packsWaiting: plan.waiting.length,
    blobsRepacked: dryRun ? [...plan.repack.values()].reduce((n, l) => n + l.length, 0) : written.reduce((n, p) => n + p.entries.length, 0),
    blobsDropped: plan.stats.blobsDropped,
    bytesBefore,
    bytesAfter: keptBytes + waitingBytes + (dryRun ? liveRepackBytes : written.reduce((n, p) => n + p.size, 0)),
    indexObjectsBefore: index.keys.length,
    indexObjectsWritten,
  });
  if (options.dryRun) return result([], 0, true);

  const keptPacks: NewPack[] = [...plan.keep].map(([packId, live]) => {
    const pack = index.packs.get(packId)!;
    const entries: PackEntry[] = live.map((l) => ({ id: l.id, type: l.type, codec: l.codec, offset: l.offset, sealedLength: l.sealedLength, rawLength: l.rawLength }));
    return { packId, salt: pack.salt, size: pack.size, entries: entries.sort((a, b) => a.offset - b.offset) };
  });
  const maxBlobs = options.indexObjectBlobs ?? PRUNE_INDEX_BLOBS;
  const nothingToDo =
    plan.repack.size === 0 &&
    plan.remove.length === 0 &&
    plan.stats.blobsDropped === 0 &&
    // Marks of packs already gone are harmless leftovers: not worth an index rewrite alone.
    sameGarbage(index.garbage.filter((g) => stored.has(g.packId)), garbage) &&
    index.keys.length <= buildIndexPlaintexts(keptPacks, garbage, maxBlobs).length;
  if (nothingToDo) {
    options.onPhase?.("done");
    return result([], 0, false);
  }

  // 2. Repack.
  const written = await repackBlobs(ctx, plan.repack);
  options.onPhase?.("repacked");

  // 3. The new index (superseding every object read in step 1).
  const plaintexts = buildIndexPlaintexts([...keptPacks, ...written], garbage, maxBlobs);
  const newKeys = await writeIndexObjects(ctx, plaintexts);
  options.onPhase?.("indexed");

  // 4. Last look before anything is deleted.
  await lock.assertExclusive();
  await assertNoNewSnapshots(ctx, new Set(reachable.snapshots));
  await assertNoNewIndexObjects(ctx, new Set([...index.keys, ...newKeys]));

  // 5. Supersede the old index objects.
  for (const key of index.keys) await ctx.storage.delete(key);
  options.onPhase?.("old-index-deleted");

  // 6. Delete what the new index marks obsolete.
  await lock.assertExclusive();
  for (const packId of obsolete) await ctx.storage.delete(packKey(packId));
  options.onPhase?.("done");
  return result(written, plaintexts.length, false);
}
