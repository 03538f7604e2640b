// The plan's summary numbers, derived from its lists (never tracked separately, so they cannot
// disagree with what the plan says it will do).
import type { PackFetch, PlannedDirectory, PlannedFile, PlannedHardlink, PlannedRemoval, PlannedSpecial, PlannedSymlink, PlanTotals, SkippedEntry } from "../restorePlan.js";

export interface PlanLists {
  readonly removals: readonly PlannedRemoval[];
  readonly directories: readonly PlannedDirectory[];
  readonly files: readonly PlannedFile[];
  readonly hardlinks: readonly PlannedHardlink[];
  readonly symlinks: readonly PlannedSymlink[];
  readonly specials: readonly PlannedSpecial[];
  readonly fetches: readonly PackFetch[];
  readonly skipped: readonly SkippedEntry[];
}

export function tally(p: PlanLists): PlanTotals {
  let fileBytes = 0;
  let bytesToWrite = 0;
  let bytesFromLocal = 0;
  for (const f of p.files) {
    fileBytes += f.size;
    for (const w of f.writes) {
      bytesToWrite += w.length;
      if (w.source === "local") bytesFromLocal += w.length;
    }
  }
  let blobs = 0;
  let blobWrites = 0;
  let bytesToFetch = 0;
  const packs = new Set<string>();
  for (const r of p.fetches) {
    packs.add(r.packId);
    bytesToFetch += r.length;
    blobs += r.blobs.length;
    for (const b of r.blobs) blobWrites += b.uses.length;
  }
  const unchanged = [...p.files, ...p.symlinks, ...p.specials].filter((e) => e.action === "keep" || e.action === "metadata").length;
  return {
    directories: p.directories.length,
    files: p.files.length,
    symlinks: p.symlinks.length,
    hardlinks: p.hardlinks.length,
    specials: p.specials.length,
    unchanged,
    skipped: p.skipped.length,
    removals: p.removals.length,
    fileBytes,
    bytesToWrite,
    bytesFromLocal,
    blobs,
    blobWrites,
    requests: p.fetches.length,
    bytesToFetch,
    packs: packs.size,
  };
}
