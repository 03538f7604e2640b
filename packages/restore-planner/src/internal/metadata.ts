// Node metadata as the plan carries it, and the comparison that decides whether an existing
// entry already matches the snapshot.
import { escapeName, type Node } from "@cairn/manifest";
import type { TargetEntry } from "../inputs.js";
import type { PlannedMetadata } from "../restorePlan.js";

const NO_XATTRS: PlannedMetadata["xattrs"] = Object.freeze([]);

export function plannedMetadata(node: Node): PlannedMetadata {
  return {
    mode: node.mode,
    uid: node.uid,
    gid: node.gid,
    user: node.user,
    group: node.group,
    mtimeNs: node.mtimeNs.toString(),
    atimeNs: node.atimeNs === null ? null : node.atimeNs.toString(),
    xattrs: node.xattrs.length === 0 ? NO_XATTRS : node.xattrs.map((x) => ({ name: escapeName(x.name), value: escapeName(x.value) })),
  };
}

export interface CompareOptions {
  readonly restoreOwners: boolean;
  readonly timeResolutionNs: bigint;
}

export function sameTime(a: bigint, b: bigint, resolution: bigint): boolean {
  return a / resolution === b / resolution;
}

/**
 * True if what is at the target already has the node's metadata, as far as an inventory can
 * tell (xattrs and atime are not compared). Symlink permissions cannot be set on Linux and are
 * ignored.
 */
export function sameMetadata(node: Node, existing: TargetEntry, options: CompareOptions): boolean {
  if (node.type !== "symlink" && node.mode !== existing.mode) return false;
  if (options.restoreOwners && (node.uid !== existing.uid || node.gid !== existing.gid)) return false;
  return sameTime(node.mtimeNs, existing.mtimeNs, options.timeResolutionNs);
}
