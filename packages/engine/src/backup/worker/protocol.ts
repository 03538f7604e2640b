// Messages between the backup coordinator (main thread) and its worker threads. Workers do the
// per-byte work — list directories (readdir + lstat + xattrs), read files, chunk, hash and
// compress — and hand ready-to-seal blobs to the coordinator, which owns the repository's pack
// writer. Per-message and per-object costs, not bandwidth, are what limit a backup of tens of
// thousands of small files, so:
//  - a listing travels as columns (typed arrays, transferred) rather than one object per entry;
//  - files are read in batches (one request and one reply for up to BATCH_FILES small files),
//    and the small blobs of a batch travel in one transferred slab;
//  - messages are batched once more per event-loop turn (WorkerBatch).
import type { ChunkerParams } from "@cairn/core";
import type { CompressionSetting } from "@cairn/repository";
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

/** Type codes of listed entries (FORMAT.md §7.4 order). */
export const ENTRY_TYPES = ["file", "dir", "symlink", "fifo", "chardev", "blockdev", "socket"] as const;

/** Per-entry numbers in `ListingColumns.nums`, in this order. */
export const NUM_FIELDS = 6; // mode, uid, gid, size, blocks, nlink
/** Per-entry bigints in `ListingColumns.times` (signed) and `ids` (unsigned). */
export const TIME_FIELDS = 2; // mtimeNs, ctimeNs
export const ID_FIELDS = 3; // ino, dev, rdev

/** A directory listing as columns, sorted by name bytes. */
export interface ListingColumns {
  readonly names: readonly BinaryPath[];
  /** Index into ENTRY_TYPES. */
  readonly types: Uint8Array;
  readonly nums: Float64Array;
  readonly times: BigInt64Array;
  readonly ids: BigUint64Array;
  /** Symlink targets as [entry index, target]. */
  readonly linkTargets: readonly (readonly [number, BinaryPath])[];
  /** Extended attributes as [entry index, [name, value][] sorted by name]. */
  readonly xattrs: readonly (readonly [number, readonly (readonly [BinaryPath, Uint8Array])[]])[];
}

export interface ListRequest {
  readonly op: "list";
  readonly job: number;
  readonly path: BinaryPath;
  /** Check for a valid CACHEDIR.TAG. */
  readonly cacheTag: boolean;
}

/** One file to read, with what the listing saw (a difference after reading means it changed). */
export interface FileToRead {
  readonly name: BinaryPath;
  readonly size: number;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /** Allocated less than its size: look for all-zero pages and record them as holes. */
  readonly sparse: boolean;
}

export interface FilesRequest {
  readonly op: "files";
  readonly job: number;
  readonly dir: BinaryPath;
  readonly files: readonly FileToRead[];
}

export type WorkerRequest =
  | ListRequest
  | FilesRequest
  | { readonly op: "answer"; readonly query: number; readonly have: readonly boolean[] }
  | { readonly op: "ack"; readonly bytes: number }
  /** The pool is closing: take no more work, let reads already started finish, then say `stopped`. */
  | { readonly op: "stop" };

export interface EntryError {
  readonly name: BinaryPath;
  readonly kind: BackupErrorKind;
  readonly message: string;
}

/** Content entries as the worker found them (a data blob by hex ID, or a hole). */
export type WireContent = { readonly id: string; readonly length: number } | { readonly hole: number };

/** The outcome of reading one file of a batch. */
export interface FileResult {
  readonly content: readonly WireContent[];
  /** Bytes read (the sum of `content`). */
  readonly size: number;
  /** Set if the file could not be read: nothing is stored for it. */
  readonly failure?: { readonly kind: BackupErrorKind; readonly message: string };
  /** Set if the file changed while being read: `content` is what was read. */
  readonly changed?: string;
}

/** A blob inside a batch's slab. */
export interface SlabBlob {
  readonly id: string;
  readonly codec: number;
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
}

export type WorkerMessage =
  | {
      readonly op: "listed";
      readonly job: number;
      readonly listing: ListingColumns;
      /** Entries that vanished or could not be lstat'ed / readlink'ed. */
      readonly errors: readonly EntryError[];
      readonly cacheTag: boolean;
      /** The directory itself could not be listed. */
      readonly failure?: { readonly kind: BackupErrorKind; readonly message: string };
      readonly warnings?: readonly string[];
    }
  /** A chunk of a large file, sent as soon as it is cut (before its batch's "read" reply). */
  | { readonly op: "blob"; readonly job: number; readonly id: string; readonly codec: number; readonly stored: Uint8Array; readonly rawLength: number }
  | { readonly op: "query"; readonly query: number; readonly ids: readonly string[] }
  | {
      readonly op: "read";
      readonly job: number;
      /** One per file of the request, in order. */
      readonly results: readonly FileResult[];
      /** The small files' new blobs, back to back in `slab`. */
      readonly blobs: readonly SlabBlob[];
      readonly slab: Uint8Array | null;
    }
  | { readonly op: "fatal"; readonly message: string }
  /** Answer to `stop`: nothing of this worker's is in flight on the thread pool any more. */
  | { readonly op: "stopped" };

export interface WorkerBatch {
  readonly messages: readonly WorkerMessage[];
}
