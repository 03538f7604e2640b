// The top of a snapshot: the selected roots, made canonical, arranged under "/". A snapshot's
// root tree stands for "/" (FORMAT.md §7.5), so every directory on the way down to a root is
// recorded too, with its real metadata but only the children that lead to roots.
//
// Canonical means: the root's parent directory resolved through symlinks (realpath), the root's
// own name kept as it is. So `/var/run/x` with `/var/run -> /run` is stored as `/run/x`, every
// ancestor in the snapshot is a real directory, and a root that is itself a symlink is recorded
// as the symlink. Roots that end up inside another root after resolution are folded into it.
import { realpathSync } from "node:fs";
import { describeError, errorKind } from "../internal/fsErrors.js";
import { baseName, fromBytes, isBeneath, joinPath, toBuffer, type BinaryPath } from "../internal/binaryPath.js";
import type { BackupErrorKind } from "./options.js";
import type { SelectionRoot } from "./selection.js";

export interface RootProblem {
  readonly path: BinaryPath;
  readonly kind: BackupErrorKind;
  readonly message: string;
}

/** A node of the tree of directories leading to roots. */
export interface RootTrie {
  /** Set if this path is itself a root. */
  readonly root?: SelectionRoot;
  readonly children: Map<BinaryPath, RootTrie>;
}

function dirName(path: BinaryPath): BinaryPath {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/**
 * The canonical, sorted, non-nested roots, and the roots that could not be resolved (their
 * parent directory is missing or unreadable).
 */
export function canonicalRoots(roots: readonly SelectionRoot[]): { roots: SelectionRoot[]; problems: RootProblem[] } {
  const problems: RootProblem[] = [];
  const resolved: SelectionRoot[] = [];
  for (const r of roots) {
    if (r.path === "/") {
      resolved.push(r);
      continue;
    }
    try {
      const parent = fromBytes(realpathSync(toBuffer(dirName(r.path)), { encoding: "buffer" }));
      resolved.push({ path: joinPath(parent, baseName(r.path)), type: r.type });
    } catch (error) {
      problems.push({ path: r.path, kind: errorKind(error), message: describeError(error) });
    }
  }
  resolved.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.type === "folder" ? -1 : 1));
  const out: SelectionRoot[] = [];
  for (const r of resolved) {
    const last = out[out.length - 1];
    if (last && (last.path === r.path || (last.type === "folder" && isBeneath(r.path, last.path)))) continue;
    out.push(r);
  }
  return { roots: out, problems };
}

/** The trie of `roots` under "/". */
export function rootTrie(roots: readonly SelectionRoot[]): RootTrie {
  const top: RootTrie = { children: new Map() };
  for (const r of roots) {
    if (r.path === "/") return { root: r, children: new Map() };
    let node = top;
    const parts = r.path.slice(1).split("/");
    parts.forEach((name, i) => {
      let next = node.children.get(name);
      if (!next) {
        next = i === parts.length - 1 ? { root: r, children: new Map() } : { children: new Map() };
        node.children.set(name, next);
      }
      node = next;
    });
  }
  return top;
}
