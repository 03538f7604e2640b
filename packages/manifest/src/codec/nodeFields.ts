// The node map's field table (FORMAT.md §7.4), shared by the node encoder and decoder: keys,
// type codes, which fields each type has and requires.
import { LIMITS } from "../limits.js";
import { NODE_TYPES, type NodeType } from "../node.js";

/** Field keys of a node map. */
export const NODE_FIELDS = {
  name: 0, type: 1, mode: 2, uid: 3, gid: 4, user: 5, group: 6, mtimeNs: 7, ctimeNs: 8, atimeNs: 9,
  inode: 10, deviceId: 11, links: 12, xattrs: 13, size: 14, content: 15, linkTarget: 16,
  rdevMajor: 17, rdevMinor: 18, subtree: 19,
} as const;
export type FieldName = keyof typeof NODE_FIELDS;
export const FIELD_BY_KEY = Object.keys(NODE_FIELDS) as FieldName[];
export const LAST_KEY = FIELD_BY_KEY.length - 1;

/** Type codes: the index in NODE_TYPES plus one (0 is never a type). */
export const TYPE_CODES = Object.fromEntries(NODE_TYPES.map((t, i) => [t, i + 1])) as Record<NodeType, number>;

export const TYPE_FIELDS: Record<NodeType, readonly FieldName[]> = {
  file: ["size", "content"],
  dir: ["subtree"],
  symlink: ["linkTarget"],
  fifo: [],
  chardev: ["rdevMajor", "rdevMinor"],
  blockdev: ["rdevMajor", "rdevMinor"],
  socket: [],
};
export const TYPE_SPECIFIC: readonly FieldName[] = ["size", "content", "linkTarget", "rdevMajor", "rdevMinor", "subtree"];
export const REQUIRED: readonly FieldName[] = ["name", "type", "mode", "uid", "gid", "mtimeNs", "ctimeNs"];
/** Required for the type; `content` is the one type field that may be absent (an empty file). */
export const TYPE_REQUIRED = Object.fromEntries(NODE_TYPES.map((t) => [t, TYPE_FIELDS[t].filter((f) => f !== "content")])) as unknown as Record<NodeType, readonly FieldName[]>;

export const MAX_MODE = 0o7777;
export const MAX_HOLE = LIMITS.maxHoleLength;

export function xattrProblem(name: Uint8Array): string | null {
  const nul = name.indexOf(0);
  return nul >= 0 ? `an xattr name must not contain a NUL byte (byte ${nul} of the name)` : null;
}
