// Plain-data builders for planner tests: nodes, entries, inventory entries and a locate
// function over a made-up pack layout. No repository involved: the planner only sees data.
import { blobIdFromBytes, createTree, type BlobId, type ContentEntry, type Node, type Tree, type TreeId, treeIdFromBytes } from "@cairn/manifest";
import type { BlobSource, SnapshotEntry, TargetEntry } from "../src/index.js";

const enc = new TextEncoder();
export const b = (s: string): Uint8Array => enc.encode(s);

export function blob(n: number): BlobId {
  const bytes = new Uint8Array(32);
  new DataView(bytes.buffer).setUint32(28, n);
  bytes[0] = 0xb1;
  return blobIdFromBytes(bytes);
}

export function treeId(n: number): TreeId {
  const bytes = new Uint8Array(32);
  new DataView(bytes.buffer).setUint32(28, n);
  bytes[0] = 0x7e;
  return treeIdFromBytes(bytes);
}

const baseOf = (name: Uint8Array) => ({
  name,
  mode: 0o644,
  uid: 1000,
  gid: 1000,
  user: "alice",
  group: "staff",
  mtimeNs: 1_700_000_000_123_456_789n,
  ctimeNs: 1_700_000_000_123_456_789n,
  atimeNs: null,
  inode: null,
  deviceId: null,
  links: null,
  xattrs: [],
});

const lastName = (path: string | Uint8Array) => {
  const bytes = typeof path === "string" ? b(path) : path;
  const i = bytes.lastIndexOf(0x2f);
  return bytes.slice(i + 1);
};

export function file(path: string, content: (ContentEntry | number)[] = [], extra: Partial<Node> = {}): SnapshotEntry {
  const entries: ContentEntry[] = content.map((c) => (typeof c === "number" ? { kind: "data", id: blob(c), length: 100 } : c));
  const size = entries.reduce((n, c) => n + BigInt(c.length), 0n);
  return { path: b(path), node: { ...baseOf(lastName(path)), type: "file", size, content: entries, ...extra } as Node };
}

export function dir(path: string, extra: Partial<Node> = {}): SnapshotEntry {
  return { path: b(path), node: { ...baseOf(lastName(path)), mode: 0o755, type: "dir", subtree: treeId(1), ...extra } as Node };
}

export function symlink(path: string, target: string, extra: Partial<Node> = {}): SnapshotEntry {
  return { path: b(path), node: { ...baseOf(lastName(path)), mode: 0o777, type: "symlink", linkTarget: b(target), ...extra } as Node };
}

export function special(path: string, type: "fifo" | "socket" | "chardev" | "blockdev", extra: Partial<Node> = {}): SnapshotEntry {
  const dev = type === "chardev" || type === "blockdev" ? { rdevMajor: 1, rdevMinor: 3 } : {};
  return { path: b(path), node: { ...baseOf(lastName(path)), type, ...dev, ...extra } as Node };
}

export function existing(path: string, type: TargetEntry["type"], extra: Partial<TargetEntry> = {}): TargetEntry {
  return { path: b(path), type, size: 0n, mtimeNs: 1_700_000_000_123_456_789n, mode: type === "dir" ? 0o755 : 0o644, uid: 1000, gid: 1000, links: 1, ...extra };
}

/** A file at the target that matches `entry`'s file node exactly (quick check). */
export function existingLike(entry: SnapshotEntry, extra: Partial<TargetEntry> = {}): TargetEntry {
  const n = entry.node;
  return existing(new TextDecoder().decode(entry.path), n.type, { size: n.type === "file" ? n.size : 0n, mode: n.mode, uid: n.uid, gid: n.gid, mtimeNs: n.mtimeNs, ...(n.type === "symlink" ? { linkTarget: n.linkTarget } : {}), ...extra });
}

/** Blob n lives in pack `p<n % packs>` at offset 40 + 1000 * floor(n / packs), 116 sealed bytes. */
export function layout(packs = 2, missing: readonly number[] = []) {
  return (id: BlobId): BlobSource | undefined => {
    const n = parseInt(id.slice(56), 16);
    if (!id.startsWith("b1") || missing.includes(n)) return undefined;
    return { packId: `p${n % packs}`.padEnd(64, "0"), offset: 40 + 1000 * Math.floor(n / packs), length: 116 };
  };
}

export function treeOf(nodes: Node[]): Tree {
  return createTree(nodes);
}
