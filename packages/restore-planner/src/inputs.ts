// What the planner is given. Everything here is plain data the caller gathers beforehand (the
// snapshot's entries, what exists at the target, where each blob is stored), so the planner
// itself does no I/O and the same inputs always give the same plan. The engine gathers them
// from a repository and a local disk; tests and the browser can build them by hand.
import type { BlobId, Node, NodeType } from "@cairn/manifest";

/** One entry of the snapshot: where it is and what it is. */
export interface SnapshotEntry {
  /**
   * Path below the snapshot's root tree (which stands for `/`): names joined by `/`, no leading
   * `/`, e.g. `home/alice/notes.txt`. Its last name must equal `node.name`.
   */
  readonly path: Uint8Array;
  readonly node: Node;
}

/** Which part of the snapshot to restore. Patterns are matched against absolute snapshot paths. */
export interface Selection {
  /**
   * When non-empty, only entries matched by one of these (or lying below a matched directory)
   * are restored, plus the directories leading to them. Empty or absent: everything.
   */
  readonly include?: readonly string[];
  /** Entries matched by one of these, and everything below them, are not restored. Beats `include`. */
  readonly exclude?: readonly string[];
}

/** What to do with a path that already exists at the target. */
export type OverwritePolicy = "never" | "if-changed" | "always";

/** One thing already at the target (as `lstat` saw it: symlinks are not followed). */
export interface TargetEntry {
  /** Path relative to the target directory, names joined by `/`. */
  readonly path: Uint8Array;
  readonly type: NodeType;
  /** Bytes (files); 0 for others. */
  readonly size: bigint;
  readonly mtimeNs: bigint;
  /** Permission bits (0..0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Hard-link count (st_nlink). */
  readonly links: number;
  /** st_dev and st_ino, to recognise names that are already one inode. */
  readonly deviceId?: bigint | null;
  readonly inode?: bigint | null;
  /** Symlinks: the target as read (never followed). */
  readonly linkTarget?: Uint8Array | null;
  /** Devices: st_rdev split. */
  readonly rdevMajor?: number | null;
  readonly rdevMinor?: number | null;
  /**
   * Files only, optional: for each content entry of the snapshot's file at the same path, whether
   * the bytes of this file at that entry's offset and length already equal it (a data blob whose
   * keyed hash matches, or a hole that reads as zeros). When present it decides "unchanged"
   * instead of size and mtime, and matching ranges are copied from this file instead of fetched.
   */
  readonly contentMatches?: readonly boolean[] | null;
}

/** Where a blob is stored: the planner groups these into ranged reads. */
export interface BlobSource {
  readonly packId: string;
  /** Offset of the sealed blob in its pack. */
  readonly offset: number;
  /** Sealed (stored + tag) length in bytes. */
  readonly length: number;
}

/** Looks up where a blob is stored; undefined if it is not in the index. Must be pure. */
export type LocateBlob = (id: BlobId) => BlobSource | undefined;

export interface PlanOptions {
  /**
   * The snapshot directory whose contents land directly in the target, as an absolute snapshot
   * path (default `/`: `/home/alice/x` lands at `<target>/home/alice/x`). With `/home`, it lands
   * at `<target>/alice/x`. Entries outside it are ignored.
   */
  readonly subtree?: string | Uint8Array;
  readonly selection?: Selection;
  /** Default `if-changed`. */
  readonly overwrite?: OverwritePolicy;
  /** Remove what is at the target but not in the (selected part of the) snapshot. Default false. */
  readonly delete?: boolean;
  /** Whether owners will be restored (so they count when comparing metadata). Default true. */
  readonly restoreOwners?: boolean;
  /**
   * The finest time step the executor can set (ns); times equal at this resolution count as
   * equal. Default 1 (exact). Node can set microseconds, so the engine passes 1000.
   */
  readonly timeResolutionNs?: number;
  /** Merge ranges of one pack separated by at most this many unneeded bytes. Default 256 KiB. */
  readonly maxGapBytes?: number;
  /** Do not grow a merged range beyond this many bytes (one blob may exceed it). Default 8 MiB. */
  readonly maxRequestBytes?: number;
}
