// From what lstat said to the manifest's Node: every field a whole-system restore needs (type,
// permission bits, owner by number and name, times, inode/device for change detection and hard
// links, xattrs, device numbers). Access time is not recorded: it changes on every read and
// would make every tree differ from its parent's.
import type { BlobId, ContentEntry, DirNode, FileNode, Node, NodeBase, TreeId, Xattr } from "@cairn/manifest";
import { LIMITS, holeEntries } from "@cairn/manifest";
import { toBuffer } from "../internal/binaryPath.js";
import type { OwnerNames } from "./owners.js";
import type { ListedEntry } from "./listing.js";
import type { WireContent } from "./worker/protocol.js";

/** Splits a Linux dev_t (glibc encoding) into major and minor numbers. */
export function splitDevice(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major & 0xffffffffn), minor: Number(minor & 0xffffffffn) };
}

/** The entry's xattrs within the format's limits, and how many had to be dropped. */
export function checkedXattrs(entry: ListedEntry): { xattrs: Xattr[]; dropped: number } {
  const xattrs: Xattr[] = [];
  let dropped = 0;
  for (const [name, value] of entry.xattrs ?? []) {
    if (name.length === 0 || name.length > LIMITS.maxXattrNameBytes || value.length > LIMITS.maxXattrValueBytes || xattrs.length >= LIMITS.maxXattrs) dropped++;
    else xattrs.push({ name: toBuffer(name), value });
  }
  return { xattrs, dropped };
}

/** The metadata every node type shares. */
export function nodeBase(entry: ListedEntry, owners: OwnerNames, xattrs: readonly Xattr[]): NodeBase {
  return {
    name: toBuffer(entry.name),
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    user: owners.user(entry.uid),
    group: owners.group(entry.gid),
    mtimeNs: entry.mtimeNs,
    ctimeNs: entry.ctimeNs,
    atimeNs: null,
    inode: entry.ino,
    deviceId: entry.dev,
    links: entry.nlink >= 1 && entry.nlink <= 0xffffffff ? entry.nlink : null,
    xattrs,
  };
}

// Nodes are built field by field rather than by spreading `base`: one hidden class for every
// node of a type, and no per-node property enumeration (measurably cheaper for 100 000 files).
export function dirNode(b: NodeBase, subtree: TreeId): DirNode {
  return { name: b.name, mode: b.mode, uid: b.uid, gid: b.gid, user: b.user, group: b.group, mtimeNs: b.mtimeNs, ctimeNs: b.ctimeNs, atimeNs: b.atimeNs, inode: b.inode, deviceId: b.deviceId, links: b.links, xattrs: b.xattrs, type: "dir", subtree };
}

export function fileNode(b: NodeBase, size: bigint, content: FileNode["content"]): FileNode {
  return { name: b.name, mode: b.mode, uid: b.uid, gid: b.gid, user: b.user, group: b.group, mtimeNs: b.mtimeNs, ctimeNs: b.ctimeNs, atimeNs: b.atimeNs, inode: b.inode, deviceId: b.deviceId, links: b.links, xattrs: b.xattrs, type: "file", size, content };
}

/** A node for anything but a file or a directory. */
export function specialNode(base: NodeBase, entry: ListedEntry): Node {
  switch (entry.type) {
    case "symlink":
      return { ...base, type: "symlink", linkTarget: toBuffer(entry.linkTarget!) };
    case "chardev":
    case "blockdev": {
      const { major, minor } = splitDevice(entry.rdev);
      return { ...base, type: entry.type, rdevMajor: major, rdevMinor: minor };
    }
    case "fifo":
    case "socket":
      return { ...base, type: entry.type };
    default:
      throw new Error(`specialNode: unexpected type ${entry.type}`);
  }
}

/** Content entries from the worker's wire form. */
export function contentFromWire(wire: readonly WireContent[]): ContentEntry[] {
  const out: ContentEntry[] = [];
  for (const w of wire) {
    if ("hole" in w) out.push(...holeEntries(BigInt(w.hole)));
    else out.push({ kind: "data", id: w.id as BlobId, length: w.length });
  }
  return out;
}
