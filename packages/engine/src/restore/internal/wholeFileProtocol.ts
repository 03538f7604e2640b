// Messages between the restore executor and its whole-file writer thread (wholeFileWorker.ts):
// a batch of files, each made of one blob, to create under a temporary name, write, give their
// metadata and rename into place; and one result per file.
import type { BlobCoding } from "@cairn/repository";

/** What the thread is started with. */
export interface WholeFileInit {
  /** The repository's blob-ID key (a copy, transferred), for decoding stored blobs; null: none come. */
  readonly blobIdKey: Uint8Array | null;
}

/** One file to write whole. Names are raw bytes; the directory is a descriptor we hold open. */
export interface WholeFileTask {
  /** Descriptor of the file's directory (a TargetRoot lease, held until the result arrives). */
  readonly dirFd: number;
  readonly temp: Uint8Array;
  readonly name: Uint8Array;
  /** Where the data goes in the file, and the file's size (larger: a trailing hole). */
  readonly offset: number;
  readonly size: number;
  /** The data: `length` bytes at `dataAt` in the batch's slab. */
  readonly dataAt: number;
  readonly length: number;
  /**
   * If set, the data is a blob's stored bytes (authenticated, still compressed if its codec says
   * so): the thread decodes them and checks the plaintext against the blob's ID before writing.
   */
  readonly coding: BlobCoding | null;
  /** Report the inode (other names will be hard-linked to it). */
  readonly wantInode: boolean;
  /** Owner to set, or null to leave it (not restoring owners, or already right). */
  readonly chown: { readonly uid: number; readonly gid: number } | null;
  readonly mode: number;
  /** Seconds, as fs.futimes takes them. */
  readonly atime: number;
  readonly mtime: number;
}

export interface WholeFileBatch {
  readonly batch: number;
  readonly tasks: readonly WholeFileTask[];
  readonly slab: Uint8Array;
}

export type WholeFileResult =
  | {
      readonly ok: true;
      readonly ino?: bigint;
      readonly dev?: bigint;
      /** Metadata that could not be set: [what ("owner", "mode", "times"), why]. */
      readonly warnings: readonly (readonly [string, string])[];
    }
  /**
   * Nothing is left behind: the temporary file, if it was created, is removed. `corrupt`: the
   * blob did not decode or verify (the message is the repository's), nothing was created.
   */
  | { readonly ok: false; readonly message: string; readonly corrupt?: true };

export interface WholeFileReply {
  readonly batch: number;
  readonly results: readonly WholeFileResult[];
}
