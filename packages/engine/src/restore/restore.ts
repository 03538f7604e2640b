// `restore(repo, snapshotId, options)`: the whole restore for the CLI and the agent. Walk the
// snapshot (loading only the trees the selection can reach), look at the target, locate every
// blob, plan (pure, @cairn/restore-planner), then execute the plan. A rerun after a crash or a
// kill resumes: complete files carry their final names and match the quick check (or, with
// `verifyExisting`, their content); what was half-written was only ever a temporary file.
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { isNormalizedAbsolutePath, type BlobId, type SnapshotId } from "@cairn/manifest";
import { blobRangeReader, type BlobLocation, type Repository } from "@cairn/repository";
import { compileSelection, planRestore, walkSnapshot, type OverwritePolicy, type Selection, type SnapshotEntry } from "@cairn/restore-planner";
import { RestoreError, RestoreIncompleteError } from "./errors.js";
import { executePlan } from "./executePlan.js";
import { forEachLimited } from "./internal/fetchRanges.js";
import { scanTarget } from "./internal/scanTarget.js";
import { TargetRoot } from "./internal/targetRoot.js";
import { TIME_RESOLUTION_NS } from "./internal/times.js";
import type { RestoreFailure, RestoreOptions, RestoreResult } from "./restoreOptions.js";

const POLICIES: readonly OverwritePolicy[] = ["never", "if-changed", "always"];

function checkOptions(o: RestoreOptions): void {
  if (!o || typeof o.target !== "string" || o.target.length === 0) throw new RestoreError("bad-option", "target: expected a non-empty directory path");
  if (o.overwrite !== undefined && !POLICIES.includes(o.overwrite)) throw new RestoreError("bad-option", `overwrite: expected one of ${POLICIES.join(", ")}, got ${JSON.stringify(o.overwrite)}`);
  if (o.subtree !== undefined && !isNormalizedAbsolutePath(o.subtree)) throw new RestoreError("bad-option", `subtree: expected an absolute snapshot path such as "/home/alice", got ${JSON.stringify(o.subtree)}`);
  if (o.concurrency !== undefined && !(Number.isSafeInteger(o.concurrency) && o.concurrency >= 1)) throw new RestoreError("bad-option", `concurrency: expected an integer >= 1, got ${o.concurrency}`);
}

const subtreeNames = (subtree: string | undefined) => (subtree === undefined || subtree === "/" ? [] : subtree.slice(1).split("/").map((n) => new Uint8Array(Buffer.from(n, "utf8"))));

/**
 * Restores snapshot `snapshotId` of `repo` into `options.target`.
 * @throws {RestoreError} for bad options or an unusable target, before anything is written.
 * @throws {RestorePlanError} (from @cairn/restore-planner) for a hostile snapshot (unsafe names)
 *   or a malformed pattern, before anything is written.
 * @throws {CorruptObjectError | MissingObjectError} (from @cairn/repository) if the snapshot or
 *   one of its trees cannot be read, before anything is written.
 * @throws {RestoreIncompleteError} if some entries could not be restored (the rest were).
 * @throws the signal's reason when aborted (only complete files carry final names).
 */
export async function restore(repo: Repository, snapshotId: SnapshotId, options: RestoreOptions): Promise<RestoreResult> {
  checkOptions(options);
  const started = Date.now();
  const signal = options.signal;
  const report = (phase: "planning") => options.onProgress?.({ phase, filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, bytesFetched: 0 });
  report("planning");
  const snapshot = await repo.loadSnapshot(snapshotId);
  signal?.throwIfAborted();
  const selection: Selection = { include: options.include ?? [], exclude: options.exclude ?? [] };
  let entries: SnapshotEntry[] | null = await walkSnapshot(snapshot.tree, (id) => repo.loadTree(id), { subtree: options.subtree, selection });
  signal?.throwIfAborted();
  const reader = blobRangeReader(repo);
  const subtree = subtreeNames(options.subtree);
  const scan = await scanTarget(options.target, entries, { subtree, matcher: compileSelection(selection), delete: options.delete ?? false, reader: options.verifyExisting ? reader : null, signal });

  const ids = new Set<BlobId>();
  for (const e of entries) if (e.node.type === "file") for (const c of e.node.content) if (c.kind === "data") ids.add(c.id);
  const locations = new Map<BlobId, BlobLocation>();
  await forEachLimited([...ids], 16, signal, async (id) => {
    const found = await reader.locate(id);
    if (found) locations.set(id, found);
  });

  const owners = options.owners ?? (typeof process.getuid === "function" && process.getuid() === 0);
  const plan = planRestore({
    entries,
    inventory: scan.inventory,
    locate: (id) => {
      const l = locations.get(id);
      return l && { packId: l.packId, offset: l.offset, length: l.sealedLength };
    },
    options: { subtree: options.subtree, selection, overwrite: options.overwrite ?? "if-changed", delete: options.delete ?? false, restoreOwners: owners, timeResolutionNs: TIME_RESOLUTION_NS },
  });
  entries = null; // the plan has all it needs; the decoded trees can go (memory)
  const base = { target: options.target, totals: plan.totals, plan, skipped: plan.skipped };
  if (options.dryRun) {
    return { ...base, dryRun: true, filesWritten: 0, filesUnchanged: 0, directoriesCreated: 0, linksCreated: 0, removed: 0, bytesWritten: 0, bytesFetched: 0, requests: 0, warnings: plan.warnings, durationMs: Date.now() - started };
  }
  await removeStaleTemps(options.target, scan.staleTemps);
  const done = await executePlan(plan, { target: options.target, reader, locations, owners, concurrency: options.concurrency, onProgress: options.onProgress, signal });
  const result: RestoreResult = {
    ...base,
    dryRun: false,
    filesWritten: done.filesWritten,
    filesUnchanged: done.filesUnchanged,
    directoriesCreated: done.directoriesCreated,
    linksCreated: done.linksCreated,
    removed: done.removed,
    bytesWritten: done.bytesWritten,
    bytesFetched: done.bytesFetched,
    requests: done.requests,
    warnings: [...plan.warnings, ...done.warnings],
    durationMs: Date.now() - started,
  };
  const missing: RestoreFailure[] = plan.skipped.filter((s) => s.reason === "missing-blob" || s.reason === "too-large").map((s) => ({ path: s.path, message: s.detail }));
  const failures = [...missing, ...done.failures];
  if (failures.length > 0) throw new RestoreIncompleteError(failures, result);
  return result;
}

/** Removes temporary files an interrupted run left behind (never following anything). */
async function removeStaleTemps(target: string, temps: readonly Uint8Array[][]): Promise<void> {
  if (temps.length === 0) return;
  const root = await TargetRoot.open(target);
  try {
    for (const names of temps) {
      const dir = await root.dir(names.slice(0, -1)).catch(() => null);
      if (!dir) continue;
      await fs.unlink(dir.at(names[names.length - 1]!)).catch(() => undefined);
      dir.release();
    }
  } finally {
    await root.close();
  }
}
