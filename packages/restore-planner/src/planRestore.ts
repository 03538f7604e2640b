// The planner: (snapshot entries, selection, target inventory, blob locations) -> RestorePlan.
// Pure and deterministic: no I/O, no clock, no randomness; entries may come in any order (they
// are sorted into tree order), and the same inputs always give the same plan. Steps:
//   1. validate and order the entries (internal/entries.ts) and the inventory;
//   2. select: matched entries plus the directories that lead to them;
//   3. decide per entry against what is at the target (internal/decide.ts), top-down, so an
//      entry below a replaced or skipped directory never consults the old contents;
//   4. re-link agreeing hard-link groups (internal/hardlinks.ts);
//   5. lay out file writes and group the blob reads (internal/fetchGroups.ts);
//   6. with `delete`, list what is extraneous; order removals deepest first;
//   7. order metadata: files, then symlinks and specials, then directories deepest first.
import { hardlinkKey, type BlobId, type Node } from "@cairn/manifest";
import { RestorePlanError } from "./errors.js";
import type { LocateBlob, OverwritePolicy, PlanOptions, SnapshotEntry, TargetEntry } from "./inputs.js";
import { decide, type Decision } from "./internal/decide.js";
import { collectEntries, indexInventory, subtreePath, type Item } from "./internal/entries.js";
import { groupFetches, type NeededBlob } from "./internal/fetchGroups.js";
import { linkDisagreement } from "./internal/hardlinks.js";
import { plannedMetadata, type CompareOptions } from "./internal/metadata.js";
import { comparePathBytes, namesOf, parentKey } from "./internal/paths.js";
import { escapeName } from "@cairn/manifest";
import { compileSelection } from "./selection.js";
import {
  PLAN_VERSION,
  type FileWrite,
  type MetadataStep,
  type PlannedDirectory,
  type PlannedFile,
  type PlannedHardlink,
  type PlannedRemoval,
  type PlannedSpecial,
  type PlannedSymlink,
  type PlanWarning,
  type RestorePlan,
  type SkippedEntry,
} from "./restorePlan.js";
import { tally } from "./internal/totals.js";

export interface PlanInput {
  /** The snapshot's entries (any order), e.g. from `walkSnapshot`. */
  readonly entries: Iterable<SnapshotEntry>;
  /** What is at the target already (paths relative to it). Default: nothing. */
  readonly inventory?: Iterable<TargetEntry>;
  readonly locate: LocateBlob;
  readonly options?: PlanOptions;
}

const POLICIES: readonly OverwritePolicy[] = ["never", "if-changed", "always"];
const MAX_SIZE = BigInt(Number.MAX_SAFE_INTEGER);

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new RestorePlanError("bad-option", `${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

type Decided = { readonly item: Item; readonly existing: TargetEntry | undefined; decision: Decision; linkTo?: Decided };

/**
 * Plans a restore.
 * @throws {TypeError} for arguments of the wrong type.
 * @throws {RestorePlanError} for unsafe names, contradictory entries or inventory, bad patterns
 *   or options; nothing is planned then.
 */
export function planRestore(input: PlanInput): RestorePlan {
  const o = input.options ?? {};
  const overwrite = o.overwrite ?? "if-changed";
  if (!POLICIES.includes(overwrite)) throw new RestorePlanError("bad-option", `overwrite must be one of ${POLICIES.join(", ")}, got ${JSON.stringify(overwrite)}`);
  if (typeof input.locate !== "function") throw new TypeError(`locate: expected a function, got ${typeof input.locate}`);
  const del = o.delete ?? false;
  const compare: CompareOptions = { restoreOwners: o.restoreOwners ?? true, timeResolutionNs: BigInt(count("timeResolutionNs", o.timeResolutionNs, 1, 1)) };
  const limits = { maxGapBytes: count("maxGapBytes", o.maxGapBytes, 256 * 1024, 0), maxRequestBytes: count("maxRequestBytes", o.maxRequestBytes, 8 * 1024 * 1024, 1) };
  const subtree = subtreePath(o.subtree);
  const matcher = compileSelection(o.selection);
  const everything = (o.selection?.include?.length ?? 0) === 0 && (o.selection?.exclude?.length ?? 0) === 0;
  const selects = (path: Uint8Array) => everything || matcher.selects(namesOf(path));
  const items = collectEntries(input.entries, subtree);
  const inventory = indexInventory(input.inventory ?? []);

  // 2. Selection: selected entries and the directories leading to them.
  let chosen = items;
  if (!everything) {
    const needed = new Set<string>();
    const selected = items.map((it) => matcher.selects(namesOf(it.path)));
    items.forEach((it, i) => {
      if (!selected[i]) return;
      for (let p = parentKey(it.key); p !== "" && !needed.has(p); p = parentKey(p)) needed.add(p);
    });
    chosen = items.filter((it, i) => selected[i] || needed.has(it.key));
  }

  // 3. Decisions, top-down. A directory's state says whether what is below it at the target counts.
  const state = new Map<string, "existing" | "fresh" | "blocked">([["", "existing"]]);
  const blockedBy = new Map<string, string>();
  const belowBlocked = new Map<string, number>();
  const decided: Decided[] = [];
  const skipped: SkippedEntry[] = [];
  for (const item of chosen) {
    const parent = parentKey(item.key);
    const parentState = state.get(parent)!;
    if (parentState === "blocked") {
      const root = blockedBy.get(parent)!;
      belowBlocked.set(root, (belowBlocked.get(root) ?? 0) + 1);
      if (item.node.type === "dir") {
        state.set(item.key, "blocked");
        blockedBy.set(item.key, root);
      }
      continue;
    }
    const existing = parentState === "existing" ? inventory.get(item.key)?.entry : undefined;
    let decision = decide(item.node, existing, overwrite, compare);
    if (item.node.type === "file" && item.node.size > MAX_SIZE) decision = { kind: "skip", reason: "too-large", detail: `${item.node.size} bytes is more than this restore can address (2^53-1)` };
    if (decision.kind === "restore" && item.node.type === "file" && (decision.action === "create" || decision.action === "replace")) {
      const missing = missingBlob(item.node, decision.localMatches, input.locate);
      if (missing) decision = { kind: "skip", reason: "missing-blob", detail: `blob ${missing} of the file is not in the repository's index` };
    }
    if (decision.kind === "skip") {
      skipped.push({ path: item.key, reason: decision.reason, detail: decision.detail });
      if (item.node.type === "dir") {
        state.set(item.key, "blocked");
        blockedBy.set(item.key, item.key);
      }
      continue;
    }
    if (item.node.type === "dir") state.set(item.key, decision.action === "existing" ? "existing" : "fresh");
    decided.push({ item, existing, decision });
  }
  const finalSkipped = skipped.map((s) => {
    const n = belowBlocked.get(s.path);
    return n ? { ...s, detail: `${s.detail} (${n} entr${n === 1 ? "y" : "ies"} below it skipped too)` } : s;
  });

  // 4. Hard links.
  const warnings: PlanWarning[] = [];
  const primaries = new Map<string, Decided>();
  for (const d of decided) {
    const key = hardlinkKey(d.item.node);
    if (key === null) continue;
    const primary = primaries.get(key);
    if (!primary) {
      primaries.set(key, d);
      continue;
    }
    const why = linkDisagreement(primary.item.node, d.item.node);
    if (why) warnings.push({ path: d.item.key, message: `shares inode ${key} with ${JSON.stringify(primary.item.key)} but ${why}: restored as a separate entry, not a hard link` });
    else d.linkTo = primary;
  }

  // 5. Lay out everything in tree order.
  const removals: PlannedRemoval[] = [];
  const directories: PlannedDirectory[] = [];
  const files: PlannedFile[] = [];
  const hardlinks: PlannedHardlink[] = [];
  const symlinks: PlannedSymlink[] = [];
  const specials: PlannedSpecial[] = [];
  const blobs = new Map<BlobId, NeededBlob>();
  const planned = new Set<string>();
  for (const d of decided) {
    const { item, decision } = d;
    if (decision.kind !== "restore") continue;
    const path = item.key;
    const node = item.node;
    planned.add(path);
    if (decision.removeFirst) removals.push({ path, type: decision.removeFirst.type, reason: "replace" });
    if (d.linkTo) {
      const p = d.linkTo;
      const sameInode = d.existing?.inode != null && d.existing.inode === p.existing?.inode && d.existing.deviceId === p.existing?.deviceId;
      const primaryKept = p.decision.kind === "restore" && (p.decision.action === "keep" || p.decision.action === "metadata");
      hardlinks.push({ path, action: sameInode && primaryKept ? "keep" : d.existing ? "replace" : "create", linkTo: p.item.key });
      continue;
    }
    const meta = plannedMetadata(node);
    const action = decision.action;
    if (node.type === "dir") {
      directories.push({ path, action: action === "existing" ? "existing" : "create", applyMetadata: !(action === "existing" && overwrite === "never"), meta });
    } else if (node.type === "file") {
      const fileAction = action as PlannedFile["action"];
      const writes: FileWrite[] = [];
      if (fileAction === "create" || fileAction === "replace") {
        let offset = 0;
        node.content.forEach((c, i) => {
          if (c.kind === "data") {
            const local = decision.localMatches?.[i] === true;
            if (!local) {
              const uses = blobs.get(c.id)?.uses;
              if (uses) uses.push([files.length, writes.length]);
              else blobs.set(c.id, { id: c.id, source: input.locate(c.id)!, uses: [[files.length, writes.length]] });
            }
            writes.push({ offset, length: c.length, blob: c.id, source: local ? "local" : "pack" });
          }
          offset += c.length;
        });
      }
      files.push({ path, action: fileAction, size: Number(node.size), writes, meta });
    } else if (node.type === "symlink") {
      symlinks.push({ path, action: action as PlannedSymlink["action"], target: escapeName(node.linkTarget), meta });
    } else if (node.type !== "socket") {
      const dev = node.type === "chardev" || node.type === "blockdev" ? node : { rdevMajor: 0, rdevMinor: 0 };
      specials.push({ path, action: action as PlannedSpecial["action"], type: node.type, rdevMajor: dev.rdevMajor, rdevMinor: dev.rdevMinor, meta });
    }
  }

  // 6. Extraneous entries: only inside directories that are merged into, only where selected.
  if (del) {
    const skippedKeys = new Set(skipped.map((s) => s.path));
    const scan = new Set<string>();
    const sortedInventory = [...inventory.values()].sort((a, b) => comparePathBytes(a.path, b.path));
    const relStart = subtree.length === 0 ? 0 : subtree.length + 1;
    for (const { path, key, entry } of sortedInventory) {
      const parent = parentKey(key);
      if (!(state.get(parent) === "existing" || scan.has(parent))) continue;
      if (planned.has(key) || skippedKeys.has(key) || state.has(key)) continue;
      let abs: Uint8Array | null = null;
      const absPath = () => {
        if (!abs) {
          abs = new Uint8Array(relStart + path.length);
          abs.set(subtree, 0);
          if (relStart > 0) abs[subtree.length] = 0x2f;
          abs.set(path, relStart);
        }
        return abs;
      };
      if (selects(absPath())) {
        removals.push({ path: key, type: entry.type, reason: "extraneous" });
        if (entry.type === "dir") scan.add(key);
      } else if (entry.type === "dir" && matcher.mayDescend(namesOf(absPath()))) scan.add(key);
    }
  }
  const removalPaths = new Map(removals.map((r) => [r.path, inventory.get(r.path)!.path]));
  removals.sort((a, b) => comparePathBytes(removalPaths.get(b.path)!, removalPaths.get(a.path)!));

  // 7. Metadata order.
  const metadataOrder: MetadataStep[] = [];
  files.forEach((f, index) => f.action !== "keep" && metadataOrder.push({ list: "files", index }));
  symlinks.forEach((s, index) => s.action !== "keep" && metadataOrder.push({ list: "symlinks", index }));
  specials.forEach((s, index) => s.action !== "keep" && metadataOrder.push({ list: "specials", index }));
  for (let index = directories.length - 1; index >= 0; index--) if (directories[index]!.applyMetadata) metadataOrder.push({ list: "directories", index });

  const fetches = groupFetches(blobs.values(), limits);
  const lists = { removals, directories, files, hardlinks, symlinks, specials, fetches, skipped: finalSkipped };
  return { version: PLAN_VERSION, overwrite, delete: del, ...lists, metadataOrder, warnings, totals: tally(lists) };
}

/** The first blob that must be fetched but cannot be located, or null. */
function missingBlob(node: Extract<Node, { type: "file" }>, localMatches: readonly boolean[] | null, locate: LocateBlob): BlobId | null {
  for (let i = 0; i < node.content.length; i++) {
    const c = node.content[i]!;
    if (c.kind === "data" && localMatches?.[i] !== true && !locate(c.id)) return c.id;
  }
  return null;
}
