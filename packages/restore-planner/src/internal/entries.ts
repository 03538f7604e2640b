// Turning the caller's entry and inventory lists into validated, ordered items. This is where
// untrusted names are checked: every name is safe, every path ends in its node's name, no path
// appears twice, and every entry's parent is a directory of the snapshot (never a symlink, so no
// plan can write through one), before anything else looks at them.
import { contentLength, escapeName, isNormalizedAbsolutePath, nameFromString, type Node } from "@cairn/manifest";
import { RestorePlanError } from "../errors.js";
import type { SnapshotEntry, TargetEntry } from "../inputs.js";
import { checkName, comparePaths, equalBytes, isPrefix, parentOf, parseRelPath, relPathOf, type RelPath } from "./paths.js";

export interface Item {
  /** Names below the snapshot root (for selection patterns). */
  readonly abs: readonly Uint8Array[];
  /** Path below the restore target. */
  readonly rel: RelPath;
  readonly node: Node;
}

export interface InventoryItem {
  readonly rel: RelPath;
  readonly entry: TargetEntry;
}

/**
 * The names of the `subtree` option (an absolute snapshot path).
 * @throws {RestorePlanError} (`bad-option`) unless it is a normalised absolute path.
 */
export function subtreeNames(subtree: string | Uint8Array | undefined): Uint8Array[] {
  if (subtree === undefined) return [];
  const bytes = typeof subtree === "string" ? nameFromString(subtree, "subtree") : subtree;
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`subtree: expected a string or Uint8Array, got ${typeof subtree}`);
  if (!isNormalizedAbsolutePath(bytes)) throw new RestorePlanError("bad-option", `subtree must be a normalised absolute snapshot path such as "/home/alice", got ${JSON.stringify(escapeName(bytes))}`);
  return bytes.length === 1 ? [] : [...parseRelPath(bytes.subarray(1), "subtree").names];
}

function checkNode(node: Node, key: string): void {
  if (!node || typeof node !== "object") throw new TypeError(`entry ${JSON.stringify(key)}: expected a node object, got ${node === null ? "null" : typeof node}`);
  if (node.type === "file") {
    if (contentLength(node.content) !== node.size) throw new RestorePlanError("inconsistent", `the file's size ${node.size} is not the sum of its content lengths`, key);
    for (const c of node.content) {
      if (!Number.isSafeInteger(c.length) || c.length < 1) throw new RestorePlanError("inconsistent", `a content entry has length ${c.length}, expected a positive integer`, key);
    }
  }
}

/**
 * Validates `entries`, keeps those strictly below `subtree`, and returns them in tree order.
 * @throws {RestorePlanError} `unsafe-name`, `inconsistent`, `duplicate`, `bad-parent`, or
 *   `bad-option` if `subtree` is not a directory of the snapshot.
 */
export function collectEntries(entries: Iterable<SnapshotEntry>, subtree: readonly Uint8Array[]): Item[] {
  const all: { path: RelPath; node: Node }[] = [];
  for (const e of entries) {
    if (!e || typeof e !== "object") throw new TypeError(`entries: expected { path, node } objects, got ${e === null ? "null" : typeof e}`);
    const path = parseRelPath(e.path, "the entry's path");
    if (path.names.length === 0) throw new RestorePlanError("unsafe-name", "an entry's path must not be empty (the root itself is not an entry)");
    checkNode(e.node, path.key);
    checkName(e.node.name, path.key);
    if (!equalBytes(path.names[path.names.length - 1]!, e.node.name)) throw new RestorePlanError("inconsistent", `the path does not end in the node's name ${JSON.stringify(escapeName(e.node.name))}`, path.key);
    all.push({ path, node: e.node });
  }
  all.sort((a, b) => comparePaths(a.path.names, b.path.names));
  const byKey = new Map<string, Node>();
  for (let i = 0; i < all.length; i++) {
    const { path, node } = all[i]!;
    if (i > 0 && comparePaths(all[i - 1]!.path.names, path.names) === 0) throw new RestorePlanError("duplicate", "the path is listed twice", path.key);
    if (path.names.length > 1) {
      const parent = parentOf(path);
      const p = byKey.get(parent.key);
      if (!p) throw new RestorePlanError("bad-parent", `its parent ${JSON.stringify(parent.key)} is not among the entries`, path.key);
      if (p.type === "symlink") throw new RestorePlanError("bad-parent", `its parent ${JSON.stringify(parent.key)} is a symlink: restoring it would write through the link`, path.key);
      if (p.type !== "dir") throw new RestorePlanError("bad-parent", `its parent ${JSON.stringify(parent.key)} is a ${p.type}, not a directory`, path.key);
    }
    byKey.set(path.key, node);
  }
  const items: Item[] = [];
  for (const { path, node } of all) {
    if (!isPrefix(subtree, path.names)) continue;
    if (path.names.length === subtree.length) {
      if (node.type !== "dir") throw new RestorePlanError("bad-option", `the subtree to restore is a ${node.type}, not a directory`, path.key);
      continue;
    }
    items.push({ abs: path.names, rel: relPathOf(path.names.slice(subtree.length)), node });
  }
  return items;
}

/**
 * Validates the target inventory and indexes it by escaped path.
 * @throws {RestorePlanError} `unsafe-name` or `duplicate`.
 */
export function indexInventory(inventory: Iterable<TargetEntry>): Map<string, InventoryItem> {
  const out = new Map<string, InventoryItem>();
  for (const entry of inventory) {
    if (!entry || typeof entry !== "object") throw new TypeError(`inventory: expected entry objects, got ${entry === null ? "null" : typeof entry}`);
    const rel = parseRelPath(entry.path, "an inventory path");
    if (rel.names.length === 0) throw new RestorePlanError("unsafe-name", "an inventory path must not be empty (the target itself is not an entry)");
    if (out.has(rel.key)) throw new RestorePlanError("duplicate", "the inventory lists the path twice", rel.key);
    out.set(rel.key, { rel, entry });
  }
  return out;
}
