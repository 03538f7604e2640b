// Messages between the backup coordinator (main thread) and its worker threads. Workers do the
// per-byte work — list directories (readdir + lstat + xattrs), read files, chunk, hash and
// compress — and hand sealed-ready blobs to the coordinator, which owns the repository's pack
// writer. Messages travel in batches (one postMessage per event-loop turn) because per-message
// overhead, not bandwidth, is what costs with tens of thousands of small files.
import type { ChunkerParams } from "@cairn/core";
import type { CompressionSetting } from "@cairn/repository";
import type { NodeType } from "@cairn/manifest";
import type { BinaryPath } from "../../internal/binaryPath.js";
import type { BackupErrorKind } from "../options.js";

export interface WorkerInit {
  readonly chunkerSecret: Uint8Array;
  readonly chunker: ChunkerParams;
  readonly blobIdKey: Uint8Array;
  readonly compression: CompressionSetting;
  /** Path of a python3 to read xattrs with, or null to record none. */
  readonly python: string | null;
  /** Bytes of blobs a worker may have sent and not yet had acknowledged (flow control). */
  readonly creditBytes: number;
}

/** One directory entry as lstat describes it. */
export interface ListedEntry {
  readonly name: BinaryPath;
  readonly type: NodeType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly blocks: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly ino: bigint;
  readonly dev: bigint;
  readonly nlink: number;
  readonly rdev: bigint;
  /** Symlinks: the target, as read. */
  readonly linkTarget?: BinaryPath;
  /** Extended attributes as [name, value], sorted by name; absent if none. */
  readonly xattrs?: readonly (readonly [BinaryPath, Uint8Array])[];
}

export interface ListRequest {
  readonly op: "list";
  readonly job: number;
  readonly path: BinaryPath;
  /** Check for a valid CACHEDIR.TAG. */
  readonly cacheTag: boolean;
}

export interface FileRequest {
  readonly op: "file";
  readonly job: number;
  readonly path: BinaryPath;
  /** What the listing saw; a difference after reading means the file changed while read. */
  readonly size: number;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /** Allocated less than its size: look for all-zero pages and record them as holes. */
  readonly sparse: boolean;
}

export type WorkerRequest =
  | ListRequest
  | FileRequest
  | { readonly op: "answer"; readonly query: number; readonly have: readonly boolean[] }
  | { readonly op: "ack"; readonly bytes: number };

export interface EntryError {
  readonly name: BinaryPath;
  readonly kind: BackupErrorKind;
  readonly message: string;
}

/** Content entries as the worker found them (a data blob by hex ID, or a hole). */
export type WireContent = { readonly id: string; readonly length: number } | { readonly hole: number };

export type WorkerMessage =
  | {
      readonly op: "listed";
      readonly job: number;
      readonly entries: readonly ListedEntry[];
      /** Entries that vanished or could not be lstat'ed / readlink'ed. */
      readonly errors: readonly EntryError[];
      readonly cacheTag: boolean;
      /** The directory itself could not be listed. */
      readonly failure?: { readonly kind: BackupErrorKind; readonly message: string };
      readonly warnings?: readonly string[];
    }
  | { readonly op: "blob"; readonly job: number; readonly id: string; readonly codec: number; readonly stored: Uint8Array; readonly rawLength: number }
  | { readonly op: "query"; readonly query: number; readonly ids: readonly string[] }
  | {
      readonly op: "read";
      readonly job: number;
      readonly content: readonly WireContent[];
      /** Bytes read (the sum of `content`). */
      readonly size: number;
      /** Set if the file could not be read: nothing is stored for it. */
      readonly failure?: { readonly kind: BackupErrorKind; readonly message: string };
      /** Set if the file changed while being read: `content` is what was read. */
      readonly changed?: string;
    }
  | { readonly op: "fatal"; readonly message: string };

export interface WorkerBatch {
  readonly messages: readonly WorkerMessage[];
}
