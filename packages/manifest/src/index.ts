// @cairn/manifest: the data model of snapshots, directory trees and file entries, their
// deterministic, versioned binary codec, and the path-safety rules every restore relies on.
// Pure and browser-safe: no I/O, no Node built-ins. The format is specified in FORMAT.md.
export { ManifestError, type ManifestErrorCode } from "./errors.js";

export {
  ID_LENGTH,
  blobIdFromBytes,
  formatId,
  idToBytes,
  parseBlobId,
  parseSnapshotId,
  parseTreeId,
  shortId,
  snapshotIdFromBytes,
  treeIdFromBytes,
  type BlobId,
  type SnapshotId,
  type TreeId,
} from "./ids.js";

export { INT64_MAX, INT64_MIN, LIMITS, UINT32_MAX, UINT64_MAX, type Limits } from "./limits.js";

export {
  assertSafeName,
  isNormalizedAbsolutePath,
  isSafeName,
  isSafeRelativePath,
  joinSafe,
  pathComponents,
  validateSnapshotPaths,
} from "./names.js";

export { escapeName, nameFromString, nameToDisplayString, unescapeName } from "./text.js";

export {
  NODE_TYPES,
  contentLength,
  hardlinkKey,
  holeEntries,
  type ContentEntry,
  type DataEntry,
  type DeviceNode,
  type DirNode,
  type FileNode,
  type HoleEntry,
  type Node,
  type NodeBase,
  type NodeType,
  type SpecialNode,
  type SymlinkNode,
  type Xattr,
} from "./node.js";

export { createTree, decodeTree, encodeTree, findNode, type Tree } from "./tree.js";

export {
  completedWithErrors,
  decodeSnapshot,
  encodeSnapshot,
  type Snapshot,
  type SnapshotError,
  type SnapshotStats,
} from "./snapshot.js";

export { FORMAT_VERSION } from "./codec/header.js";
export type { DecodeOptions } from "./codec/fields.js";
