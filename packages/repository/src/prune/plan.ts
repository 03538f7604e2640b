// Deciding what prune does — pure: the index, the packs in storage and the set of reachable
// blobs in; for every pack a verdict out. Executing the plan (prune.ts) is separate.
//
// Per indexed pack that exists: each reachable blob gets one location (the first pack listing
// it, in a deterministic order: packs some index marks obsolete (kind 1) come last, so after a
// prune that was killed between writing its new index and deleting the old one, the repacked
// copies win and the old packs empty out), and the pack is
//   - "delete"  if no chosen blob is in it;
//   - "repack"  if its unused share exceeds the threshold: the bytes it has beyond what a pack of
//               only its chosen blobs would take (so a pack repack wrote is never repacked
//               again for its own header and padding);
//   - "keep"    otherwise (its index entries shrink to the chosen blobs).
// Per pack in storage that no index lists:
//   - "delete"  if a previous prune marked it obsolete (kind 1), or first saw it unindexed
//               (kind 2) at least `graceMs` ago;
//   - "wait"    otherwise: it is recorded as seen unindexed (now, or when first seen) — a
//               writer may still be about to index it (two-phase deletion).
import { PREAMBLE_LENGTH, TAG_LENGTH } from "../crypto/objectCipher.js";
import type { GarbageRecord, IndexedPack } from "../index/indexFormat.js";
import { HEADER_ENTRY_LENGTH, HEADER_FIXED_LENGTH, padme, TRAILER_LENGTH } from "../pack/packFormat.js";
import type { BlobLocation } from "../pack/packReader.js";

export interface PackState extends IndexedPack {
  /** Every indexed blob of this pack (from all index objects). */
  readonly entries: Map<string, BlobLocation>;
}

export interface PrunePlan {
  readonly keep: Map<string, BlobLocation[]>;
  readonly repack: Map<string, BlobLocation[]>;
  /** Packs to delete once the new index is written (besides the repacked ones, which go too). */
  readonly remove: string[];
  /** Unindexed packs to remember (kind 2) for a later prune. */
  readonly waiting: GarbageRecord[];
  /** Reachable blobs found in no existing pack (reported; prune cannot help). */
  readonly missing: string[];
  readonly stats: { readonly packsBefore: number; readonly unusedBytes: number; readonly blobsDropped: number };
}

export interface PlanInput {
  readonly packs: ReadonlyMap<string, PackState>;
  /** Keys of `data/` objects in storage: pack ID → size. */
  readonly stored: ReadonlyMap<string, number>;
  readonly garbage: readonly GarbageRecord[];
  readonly reachable: ReadonlySet<string>;
  readonly repackThreshold: number;
  readonly graceMs: number;
  readonly nowMs: number;
  /** Whether packs are padded with Padmé (the repository config's setting; default true). */
  readonly padded?: boolean;
}

/** The length of a pack holding exactly `blobs`: preamble, blobs, sealed header, trailer (FORMAT.md §5). */
export function packLengthFor(blobs: readonly { readonly sealedLength: number }[], padded: boolean): number {
  const length = PREAMBLE_LENGTH + blobs.reduce((n, b) => n + b.sealedLength, 0) + HEADER_FIXED_LENGTH + blobs.length * HEADER_ENTRY_LENGTH + TAG_LENGTH + TRAILER_LENGTH;
  return padded ? padme(length) : length;
}

export function planPrune(input: PlanInput): PrunePlan {
  const chosen = new Map<string, string>(); // blob -> pack
  const markedObsolete = new Set(input.garbage.filter((g) => g.kind === 1).map((g) => g.packId));
  const existing = [...input.packs.keys()].filter((p) => input.stored.has(p)).sort();
  const preference = [...existing.filter((p) => !markedObsolete.has(p)), ...existing.filter((p) => markedObsolete.has(p))];
  for (const packId of preference) for (const id of input.packs.get(packId)!.entries.keys()) if (input.reachable.has(id) && !chosen.has(id)) chosen.set(id, packId);
  const keep = new Map<string, BlobLocation[]>();
  const repack = new Map<string, BlobLocation[]>();
  const remove: string[] = [];
  let unusedBytes = 0;
  let blobsDropped = 0;
  for (const packId of existing) {
    const pack = input.packs.get(packId)!;
    const live = [...pack.entries.values()].filter((e) => chosen.get(e.id) === packId);
    const unused = Math.max(0, pack.size - packLengthFor(live, input.padded ?? true));
    blobsDropped += pack.entries.size - live.length;
    if (live.length === 0) {
      remove.push(packId);
      unusedBytes += pack.size;
    } else if (unused / pack.size > input.repackThreshold) {
      repack.set(packId, live);
      unusedBytes += unused;
    } else keep.set(packId, live);
  }
  const marks = new Map<string, GarbageRecord>();
  for (const g of input.garbage) {
    const prior = marks.get(g.packId);
    if (!prior || g.kind < prior.kind || (g.kind === prior.kind && g.timeMs < prior.timeMs)) marks.set(g.packId, g);
  }
  const waiting: GarbageRecord[] = [];
  for (const packId of [...input.stored.keys()].sort()) {
    if (input.packs.has(packId)) continue;
    const mark = marks.get(packId);
    if (mark && (mark.kind === 1 || input.nowMs - mark.timeMs >= input.graceMs)) {
      remove.push(packId);
      unusedBytes += input.stored.get(packId)!;
    } else waiting.push({ packId, kind: 2, timeMs: mark?.timeMs ?? input.nowMs });
  }
  const missing = [...input.reachable].filter((id) => !chosen.has(id)).sort();
  return { keep, repack, remove, waiting, missing, stats: { packsBefore: input.stored.size, unusedBytes, blobsDropped } };
}
