// A node is one directory entry: its name, its type and the metadata a restore puts back.
// The type decides which extra fields exist (a file has content, a directory a subtree, …),
// expressed as a discriminated union so an impossible combination cannot even be written down.
//
// Hard links are not a node type: every name of a multiply-linked inode is stored as a complete
// node of its own type, with `links > 1` and the same (`deviceId`, `inode`). Why:
//  - a subtree stays self-contained, so an unchanged directory dedupes to the same tree blob
//    wherever it sits (a path to "the first occurrence" would tie a tree to its position);
//  - a partial restore of any one name gets the full content, with nothing to chase;
//  - there is no in-snapshot path to validate, so nothing for a hostile snapshot to aim outside.
// Duplicated content lists cost a few bytes per chunk, since data is deduplicated anyway. The
// restore planner re-links names that share a {@link hardlinkKey}; see FORMAT.md §7.5.
import type { BlobId, TreeId } from "./ids.js";
import { LIMITS } from "./limits.js";

/** Every node type, in type-code order (FORMAT.md §7.4: file = 1 … socket = 7). */
export const NODE_TYPES = ["file", "dir", "symlink", "fifo", "chardev", "blockdev", "socket"] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** One extended attribute. A node's list is sorted by `name` bytes, names unique. */
export interface Xattr {
  /** 1..255 bytes, no NUL (e.g. `user.comment`, `security.selinux`). */
  readonly name: Uint8Array;
  /** 0..65536 bytes of arbitrary binary data. */
  readonly value: Uint8Array;
}

/** A stretch of a file's bytes stored as one data blob. */
export interface DataEntry {
  readonly kind: "data";
  readonly id: BlobId;
  /** Plaintext bytes of the blob, 1..2^32−1 (what the blob decrypts and decompresses to). */
  readonly length: number;
}

/**
 * A stretch of a file that reads as zeros and was a hole in the source (sparse file); a restore
 * may leave it unallocated. 1..2^53−1 bytes; only a hole of the maximum length may be followed
 * by another hole, so every file has one canonical list (see {@link holeEntries}).
 */
export interface HoleEntry {
  readonly kind: "hole";
  readonly length: number;
}

export type ContentEntry = DataEntry | HoleEntry;

/** Metadata every node type has. */
export interface NodeBase {
  /** The entry's name: raw bytes, 1..1024, not `.`/`..`, no `/`, no NUL (see `isSafeName`). */
  readonly name: Uint8Array;
  /** Permission and special bits only (setuid, setgid, sticky): 0..0o7777. The type is `type`. */
  readonly mode: number;
  /** Numeric owner, 0..2^32−1 (0 where the source OS has none). */
  readonly uid: number;
  readonly gid: number;
  /** Owner names at backup time, so a restore to another machine can map them; null if unknown. */
  readonly user: string | null;
  readonly group: string | null;
  /** Nanoseconds since 1970-01-01T00:00:00Z, signed 64-bit (times before 1970 are negative). */
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /** Access time, or null when not recorded (it changes on every read, so it is optional). */
  readonly atimeNs: bigint | null;
  /** st_ino and st_dev: change detection and hard-link groups; null where the OS has none. */
  readonly inode: bigint | null;
  readonly deviceId: bigint | null;
  /** st_nlink, 1..2^32−1, or null if unknown. */
  readonly links: number | null;
  /** Extended attributes, strictly ascending by name bytes; empty if none. */
  readonly xattrs: readonly Xattr[];
}

export interface FileNode extends NodeBase {
  readonly type: "file";
  /** Bytes of the file: always the sum of `content` lengths (0..2^63−1). */
  readonly size: bigint;
  /** The file's bytes in order; empty for an empty file. */
  readonly content: readonly ContentEntry[];
}

export interface DirNode extends NodeBase {
  readonly type: "dir";
  /** The tree blob listing the directory's entries. */
  readonly subtree: TreeId;
}

export interface SymlinkNode extends NodeBase {
  readonly type: "symlink";
  /**
   * The target exactly as read (1..4096 bytes, no NUL). It is data, not a path we follow: a
   * restore creates the link as it was and never resolves it while writing.
   */
  readonly linkTarget: Uint8Array;
}

export interface DeviceNode extends NodeBase {
  readonly type: "chardev" | "blockdev";
  /** Major and minor device numbers (st_rdev split), each 0..2^32−1. */
  readonly rdevMajor: number;
  readonly rdevMinor: number;
}

export interface SpecialNode extends NodeBase {
  readonly type: "fifo" | "socket";
}

/** A directory entry. Narrow on `type` to reach the type's own fields. */
export type Node = FileNode | DirNode | SymlinkNode | DeviceNode | SpecialNode;

/**
 * The key shared by all names of one hard-linked inode within a snapshot, or null if `node` is
 * not part of a hard-link group (a directory, `links` ≤ 1, or no inode/device recorded). Names
 * with equal keys were one inode at backup time; a restore should link them only if they also
 * agree in type and content (a hostile snapshot could claim otherwise).
 */
export function hardlinkKey(node: Node): string | null {
  if (node.type === "dir" || node.links === null || node.links <= 1 || node.inode === null || node.deviceId === null) return null;
  return `${node.deviceId}:${node.inode}`;
}

/**
 * The canonical hole entries for a hole of `length` bytes (split into maximum-length holes if it
 * is longer than 2^53−1 bytes); empty for 0.
 * @throws {RangeError} if `length` is negative.
 */
export function holeEntries(length: bigint): HoleEntry[] {
  if (length < 0n) throw new RangeError(`length: expected >= 0, got ${length}`);
  const max = BigInt(LIMITS.maxHoleLength);
  const out: HoleEntry[] = [];
  for (let left = length; left > 0n; left -= left > max ? max : left) {
    out.push({ kind: "hole", length: Number(left > max ? max : left) });
  }
  return out;
}

/** Sum of the lengths of `content`: the size of a file with that content. */
export function contentLength(content: readonly ContentEntry[]): bigint {
  let total = 0n;
  for (const e of content) total += BigInt(e.length);
  return total;
}
