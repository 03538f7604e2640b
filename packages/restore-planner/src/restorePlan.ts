// The restore plan: everything the executor will do, decided before it touches anything. It is
// plain JSON (strings and safe-integer numbers only; paths and byte values in the reversible
// `escapeName` form, times as decimal nanosecond strings), so it can be printed for a dry run,
// stored, sent to an agent, or compared in a test with `toEqual`.
//
// Application order (the executor follows it; `metadataOrder` spells it out):
//   1. `removals`, in order (deepest first): what is in the way of a replacement, and with
//      `delete`, what is extraneous;
//   2. `directories`, in order (parents first), created private (0700) until step 6;
//   3. `files`: fetch `fetches` (each blob once, written to every place that uses it), write
//      each file under a temporary name, apply its metadata, rename it into place;
//   4. `symlinks`, `specials`, then `hardlinks` (after the entry they link to is in place);
//   5. metadata of symlinks and specials;
//   6. metadata of directories, deepest first, so no later write changes their mtime.
import type { BlobId, NodeType } from "@cairn/manifest";
import type { OverwritePolicy } from "./inputs.js";

/** Plan format version; bumped on any incompatible change. */
export const PLAN_VERSION = 1;

/** An entry's metadata as it will be applied. */
export interface PlannedMetadata {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly user: string | null;
  readonly group: string | null;
  /** Nanoseconds since the epoch, as a decimal string (signed 64-bit does not fit a JSON number). */
  readonly mtimeNs: string;
  /** Access time, or null to leave it as the executor finds it. */
  readonly atimeNs: string | null;
  /** Extended attributes: name and value escaped (`escapeName`), in ascending name order. */
  readonly xattrs: readonly { readonly name: string; readonly value: string }[];
}

/**
 * What happens at a path:
 * - `create`: nothing is there;
 * - `replace`: something different is there and is replaced (atomically by rename, or after a
 *   listed removal when a directory is in the way);
 * - `metadata`: the content already matches, only metadata is applied in place;
 * - `keep`: it already matches, nothing is done;
 * - `existing`: (directories) the directory is there and is merged into.
 */
export type PlannedAction = "create" | "replace" | "metadata" | "keep" | "existing";

export interface PlannedDirectory {
  /** Path relative to the target (escaped). */
  readonly path: string;
  readonly action: "create" | "existing";
  /** Whether `meta` is applied (false for an existing directory under `never`). */
  readonly applyMetadata: boolean;
  readonly meta: PlannedMetadata;
}

/** One data range of a file. Holes are not listed: they stay unallocated (the file is truncated to `size`). */
export interface FileWrite {
  /** Offset in the file. */
  readonly offset: number;
  readonly length: number;
  readonly blob: BlobId;
  /**
   * `pack`: fetched (see `fetches`); `local`: copied from the same range of the file now at
   * this path, which already holds it (the executor re-verifies it, and fetches it if not).
   */
  readonly source: "pack" | "local";
}

export interface PlannedFile {
  readonly path: string;
  readonly action: "create" | "replace" | "metadata" | "keep";
  readonly size: number;
  /** Data ranges in file order (empty unless `create` or `replace`). */
  readonly writes: readonly FileWrite[];
  readonly meta: PlannedMetadata;
}

export interface PlannedSymlink {
  readonly path: string;
  readonly action: "create" | "replace" | "metadata" | "keep";
  /** The link target (escaped bytes); created as-is, never followed. */
  readonly target: string;
  readonly meta: PlannedMetadata;
}

export interface PlannedSpecial {
  readonly path: string;
  readonly action: "create" | "replace" | "metadata" | "keep";
  readonly type: "fifo" | "chardev" | "blockdev";
  readonly rdevMajor: number;
  readonly rdevMinor: number;
  readonly meta: PlannedMetadata;
}

/** A further name for an inode the plan restores at `linkTo` (a file, symlink or special). */
export interface PlannedHardlink {
  readonly path: string;
  readonly action: "create" | "replace" | "keep";
  readonly linkTo: string;
}

export interface PlannedRemoval {
  readonly path: string;
  /** What is there now (a directory is removed with everything in it, never following symlinks). */
  readonly type: NodeType;
  /** `replace`: in the way of something restored; `extraneous`: not in the snapshot (`delete`). */
  readonly reason: "replace" | "extraneous";
}

/** One blob inside a fetched range and every place it is written. */
export interface FetchBlob {
  readonly id: BlobId;
  /** Offset of the sealed blob in the pack. */
  readonly offset: number;
  /** Sealed length. */
  readonly length: number;
  /** `[file index, write index]` pairs into `files[i].writes[j]`: the blob's fan-out. */
  readonly uses: readonly (readonly [number, number])[];
}

/** One ranged read of one pack. */
export interface PackFetch {
  readonly packId: string;
  readonly offset: number;
  readonly length: number;
  /** In ascending offset order, each inside the range. */
  readonly blobs: readonly FetchBlob[];
}

export type SkipReason =
  /** Something is at the path and the policy is `never`. */
  | "exists"
  /** Sockets cannot be restored meaningfully (a listening process creates them). */
  | "socket"
  /** A blob of the file is not in the repository's index. */
  | "missing-blob"
  /** The file is larger than 2^53−1 bytes. */
  | "too-large";

export interface SkippedEntry {
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

export interface PlanWarning {
  readonly path: string;
  readonly message: string;
}

/** One metadata application, referring to `list[index]`. */
export interface MetadataStep {
  readonly list: "files" | "symlinks" | "specials" | "directories";
  readonly index: number;
}

export interface PlanTotals {
  readonly directories: number;
  readonly files: number;
  readonly symlinks: number;
  readonly hardlinks: number;
  readonly specials: number;
  /** Files, symlinks and specials already matching (`keep` or `metadata`). */
  readonly unchanged: number;
  readonly skipped: number;
  readonly removals: number;
  /** Bytes of all restored files (holes included): the size of the result. */
  readonly fileBytes: number;
  /** Data bytes to write (fetched or copied locally; holes excluded). */
  readonly bytesToWrite: number;
  /** Of those, bytes copied from files already at the target. */
  readonly bytesFromLocal: number;
  /** Distinct blobs fetched, and the writes they feed (their fan-out summed). */
  readonly blobs: number;
  readonly blobWrites: number;
  /** Ranged reads, and the sealed bytes they transfer (including merged gaps). */
  readonly requests: number;
  readonly bytesToFetch: number;
  readonly packs: number;
}

export interface RestorePlan {
  readonly version: typeof PLAN_VERSION;
  readonly overwrite: OverwritePolicy;
  readonly delete: boolean;
  readonly removals: readonly PlannedRemoval[];
  readonly directories: readonly PlannedDirectory[];
  readonly files: readonly PlannedFile[];
  readonly hardlinks: readonly PlannedHardlink[];
  readonly symlinks: readonly PlannedSymlink[];
  readonly specials: readonly PlannedSpecial[];
  readonly fetches: readonly PackFetch[];
  readonly metadataOrder: readonly MetadataStep[];
  readonly skipped: readonly SkippedEntry[];
  readonly warnings: readonly PlanWarning[];
  readonly totals: PlanTotals;
}

/** Node types the plan can create (sockets are skipped). */
export type RestorableType = Exclude<NodeType, "socket">;
