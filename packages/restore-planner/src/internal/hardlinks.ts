// Hard-link groups. A snapshot stores every name of a multiply-linked inode as a full node with
// the same (deviceId, inode) (FORMAT.md §7.5); the restore links them again, but only when they
// really agree — same type, content and metadata — since a hostile or corrupt snapshot could
// pair a harmless name with anything. Names that disagree are restored as separate entries.
import type { Node } from "@cairn/manifest";
import { equalBytes } from "./paths.js";

/** Why `other` cannot be linked to `primary`, or null if it can. */
export function linkDisagreement(primary: Node, other: Node): string | null {
  if (primary.type !== other.type) return `it is a ${other.type}, the other name a ${primary.type}`;
  if (primary.mode !== other.mode || primary.uid !== other.uid || primary.gid !== other.gid || primary.mtimeNs !== other.mtimeNs) return "its mode, owner or mtime differ";
  switch (primary.type) {
    case "file": {
      const o = other as typeof primary;
      if (primary.size !== o.size || primary.content.length !== o.content.length) return "its content differs";
      for (let i = 0; i < primary.content.length; i++) {
        const a = primary.content[i]!;
        const b = o.content[i]!;
        if (a.kind !== b.kind || a.length !== b.length || (a.kind === "data" && b.kind === "data" && a.id !== b.id)) return "its content differs";
      }
      return null;
    }
    case "symlink":
      return equalBytes(primary.linkTarget, (other as typeof primary).linkTarget) ? null : "its link target differs";
    case "chardev":
    case "blockdev": {
      const o = other as typeof primary;
      return primary.rdevMajor === o.rdevMajor && primary.rdevMinor === o.rdevMinor ? null : "its device numbers differ";
    }
    default:
      return null;
  }
}
