// A directory listing on the coordinator's side: the worker's columns (see protocol.ts), read
// one entry at a time. Entries are materialised as small objects only while the walk looks at
// them, so a directory of 100 000 entries costs its columns, not 100 000 objects, until its
// nodes are built.
import type { NodeType } from "@cairn/manifest";
import type { BinaryPath } from "../internal/binaryPath.js";
import { ENTRY_TYPES, ID_FIELDS, NUM_FIELDS, TIME_FIELDS, type ListingColumns } from "./worker/protocol.js";

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

export class Listing {
  private readonly links: Map<number, BinaryPath>;
  private readonly attrs: Map<number, readonly (readonly [BinaryPath, Uint8Array])[]>;

  constructor(private readonly c: ListingColumns) {
    this.links = new Map(c.linkTargets);
    this.attrs = new Map(c.xattrs);
  }

  get length(): number {
    return this.c.names.length;
  }

  name(i: number): BinaryPath {
    return this.c.names[i]!;
  }

  type(i: number): NodeType {
    return ENTRY_TYPES[this.c.types[i]!]!;
  }

  dev(i: number): bigint {
    return this.c.ids[i * ID_FIELDS + 1]!;
  }

  entry(i: number): ListedEntry {
    const n = i * NUM_FIELDS;
    const t = i * TIME_FIELDS;
    const d = i * ID_FIELDS;
    const { nums, times, ids } = this.c;
    const link = this.links.get(i);
    const xattrs = this.attrs.get(i);
    return {
      name: this.c.names[i]!,
      type: ENTRY_TYPES[this.c.types[i]!]!,
      mode: nums[n]!,
      uid: nums[n + 1]!,
      gid: nums[n + 2]!,
      size: nums[n + 3]!,
      blocks: nums[n + 4]!,
      nlink: nums[n + 5]!,
      mtimeNs: times[t]!,
      ctimeNs: times[t + 1]!,
      ino: ids[d]!,
      dev: ids[d + 1]!,
      rdev: ids[d + 2]!,
      ...(link !== undefined ? { linkTarget: link } : {}),
      ...(xattrs !== undefined ? { xattrs } : {}),
    };
  }
}
