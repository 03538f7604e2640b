// What `check` reports: every problem names the object (storage key) it is about, the blob when
// one blob is affected, and the files of the snapshots that reference what is damaged.
import type { SnapshotId } from "@cairn/manifest";

export type ProblemKind =
  | "config" // the config does not authenticate or decode
  | "key-slot" // a key slot is corrupt
  | "unknown-object" // a key that is not part of the layout (warning)
  | "index-corrupt" // an index object does not authenticate or decode
  | "pack-missing" // an indexed pack is not in storage
  | "pack-corrupt" // a pack's preamble, header or trailer does not authenticate or is inconsistent
  | "pack-size" // a pack's size differs from what the index says
  | "index-mismatch" // an index entry differs from the pack's own header
  | "pack-unindexed" // a pack no index lists: a crashed writer's leftover (warning; prune removes it)
  | "pack-obsolete" // a pack prune decided to delete but has not yet (warning)
  | "blob-corrupt" // a blob does not authenticate, decompress or match its ID (read-data)
  | "snapshot-corrupt" // a snapshot does not authenticate or decode
  | "tree-missing" // a tree a snapshot needs is in no index
  | "tree-corrupt" // a tree blob does not load or decode
  | "blob-missing" // a data blob a file needs is in no index
  | "lock-unreadable"; // a lock object does not authenticate (warning)

/** A file (or directory) of a snapshot that references damaged data. */
export interface AffectedFile {
  readonly snapshotId: SnapshotId;
  /** Absolute path within the snapshot, names escaped for display (`escapeName`). */
  readonly path: string;
}

export interface CheckProblem {
  readonly kind: ProblemKind;
  readonly severity: "error" | "warning";
  /** Storage key of the object concerned. */
  readonly object?: string;
  readonly blobId?: string;
  readonly message: string;
  /** Files of snapshots that reference the damaged object (filled for data and tree damage). */
  affected: AffectedFile[];
}

export interface CheckReport {
  /** True when there is no problem of severity "error". */
  readonly ok: boolean;
  readonly problems: readonly CheckProblem[];
  readonly counts: {
    readonly snapshots: number;
    readonly trees: number;
    readonly indexObjects: number;
    readonly packs: number;
    readonly blobs: number;
    /** Data-blob references walked from every snapshot (a blob shared by n files counts n times). */
    readonly blobReferences: number;
    readonly packsRead: number;
    readonly bytesRead: number;
  };
}
