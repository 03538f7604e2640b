// The overwrite policy, applied to one entry: given the snapshot's node and what (if anything)
// is at the same target path, what happens there.
//
//   never       anything there is left alone (a directory is merged into, its metadata untouched);
//   if-changed  an entry of the same type whose content and metadata match is kept; matching
//               content with other metadata gets the metadata in place, unless the inode has
//               other names (links > 1: they may be outside the target, so it is replaced
//               instead); everything else is replaced;
//   always      everything there is replaced (directories are still merged into).
// A directory in the way of a non-directory, or a non-directory in the way of a directory, is
// removed first (never: skipped, with everything below it).
import { equalBytes } from "./paths.js";
import { sameMetadata, sameTime, type CompareOptions } from "./metadata.js";
import type { Node } from "@cairn/manifest";
import type { OverwritePolicy, TargetEntry } from "../inputs.js";
import type { SkipReason } from "../restorePlan.js";

export type Decision =
  | { readonly kind: "skip"; readonly reason: SkipReason; readonly detail: string }
  | {
      readonly kind: "restore";
      readonly action: "create" | "replace" | "metadata" | "keep" | "existing";
      /** Remove what is there first (a directory in the way of a non-directory, or vice versa). */
      readonly removeFirst: TargetEntry | null;
      /** Files being written: which content entries the file now at the path already holds. */
      readonly localMatches: readonly boolean[] | null;
    };

function sameContent(node: Node, existing: TargetEntry, options: CompareOptions): boolean {
  switch (node.type) {
    case "file": {
      if (existing.type !== "file" || existing.size !== node.size) return false;
      const matches = existing.contentMatches;
      if (matches) return matches.length === node.content.length && matches.every(Boolean);
      // The quick check (restic, rsync): same size and same mtime.
      return sameTime(node.mtimeNs, existing.mtimeNs, options.timeResolutionNs);
    }
    case "symlink":
      return existing.type === "symlink" && equalBytes(existing.linkTarget ?? null, node.linkTarget);
    case "chardev":
    case "blockdev":
      return existing.type === node.type && existing.rdevMajor === node.rdevMajor && existing.rdevMinor === node.rdevMinor;
    default:
      return existing.type === node.type;
  }
}

function localMatchesFor(node: Node, existing: TargetEntry | undefined): readonly boolean[] | null {
  if (node.type !== "file" || existing?.type !== "file" || !existing.contentMatches) return null;
  return existing.contentMatches.length === node.content.length ? existing.contentMatches : null;
}

/** The decision for most entries of most restores, shared (plans have hundreds of thousands of entries). */
const CREATE: Decision = Object.freeze({ kind: "restore", action: "create", removeFirst: null, localMatches: null });

export function decide(node: Node, existing: TargetEntry | undefined, policy: OverwritePolicy, options: CompareOptions): Decision {
  if (node.type === "socket") return { kind: "skip", reason: "socket", detail: "sockets are not restored (the program that listens on one creates it)" };
  if (!existing) return CREATE;
  if (node.type === "dir") {
    if (existing.type === "dir") return { kind: "restore", action: "existing", removeFirst: null, localMatches: null };
    if (policy === "never") return { kind: "skip", reason: "exists", detail: `a ${existing.type} is in the way of the directory (overwrite policy "never"); nothing below it is restored` };
    return { kind: "restore", action: "replace", removeFirst: existing, localMatches: null };
  }
  if (policy === "never") return { kind: "skip", reason: "exists", detail: `a ${existing.type} is already there (overwrite policy "never")` };
  const removeFirst = existing.type === "dir" ? existing : null;
  if (policy === "if-changed" && sameContent(node, existing, options)) {
    if (sameMetadata(node, existing, options)) return { kind: "restore", action: "keep", removeFirst: null, localMatches: null };
    if (existing.links <= 1) return { kind: "restore", action: "metadata", removeFirst: null, localMatches: null };
  }
  return { kind: "restore", action: "replace", removeFirst, localMatches: localMatchesFor(node, existing) };
}
