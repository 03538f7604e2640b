// Hard limits of format version 1. The encoder refuses to write past them and the decoder
// rejects input past them, so a hostile object can never make a reader allocate or recurse
// without bound. Each is generous for real file systems; the reason is given beside it.
// Changing one is a format change (FORMAT.md §7.9).

export const LIMITS = Object.freeze({
  /** Bytes of one encoded tree or snapshot: bounds memory before any field is read. */
  maxObjectBytes: 1 << 30,
  /** Bytes of a node name. NAME_MAX is 255 bytes on Linux/macOS; 255 UTF-16 units on NTFS are at most 765 UTF-8 bytes. */
  maxNameBytes: 1024,
  /** Bytes of a symlink target, a snapshot path or an error path. PATH_MAX is 4096 on Linux (including the NUL). */
  maxPathBytes: 4096,
  /** Nodes in one tree (one directory). About 0.5 GiB of decoded objects; larger directories need a future split-tree field. */
  maxTreeNodes: 1 << 20,
  /** Content entries of one file: 8 TiB at a 1 MiB average chunk, about 340 MiB encoded. */
  maxContentEntries: 1 << 23,
  /** Bytes of one data blob as referenced from a file (chunker maxima are a few MiB; uint32 like pack headers). */
  maxBlobLength: 0xffff_ffff,
  /** Bytes of one hole entry: Number.MAX_SAFE_INTEGER, so offsets stay exact in JavaScript numbers. */
  maxHoleLength: Number.MAX_SAFE_INTEGER,
  /** Extended attributes per node (Linux stores them in one block or a few; 1024 is far beyond any real use). */
  maxXattrs: 1024,
  /** Bytes of an xattr name: XATTR_NAME_MAX on Linux. */
  maxXattrNameBytes: 255,
  /** Bytes of an xattr value: XATTR_SIZE_MAX on Linux. */
  maxXattrValueBytes: 65536,
  /** Bytes of a user or group name, a host name and a tag. */
  maxLabelBytes: 256,
  /** Bytes of an agent ID, configuration ID or program version string. */
  maxIdTextBytes: 128,
  /** Entries of a snapshot's `paths` and `excludes` lists. */
  maxPaths: 4096,
  /** Bytes of an exclude pattern. */
  maxPatternBytes: 4096,
  /** Tags per snapshot. */
  maxTags: 256,
  /** Unreadable-file entries listed in a snapshot (`errorCount` counts all of them). */
  maxErrorEntries: 1000,
  /** Bytes of one error message. */
  maxErrorMessageBytes: 1024,
  /** Nesting depth of an ignorable unknown field's value. */
  maxUnknownDepth: 16,
});

export type Limits = typeof LIMITS;

/** Largest signed 64-bit integer: the bound of times (ns) and of file sizes. */
export const INT64_MAX = (1n << 63n) - 1n;
/** Smallest signed 64-bit integer. */
export const INT64_MIN = -(1n << 63n);
/** Largest unsigned 64-bit integer: the bound of inode and device numbers. */
export const UINT64_MAX = (1n << 64n) - 1n;
/** Largest unsigned 32-bit integer: the bound of uid, gid, link counts and device major/minor. */
export const UINT32_MAX = 0xffff_ffff;
