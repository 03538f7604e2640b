// Turning the caller's entry and inventory lists into validated, ordered items. This is where
// untrusted names are checked: every name is safe, every path ends in its node's name, no path
// appears twice, and every entry's parent is a directory of the snapshot (never a symlink, so no
// plan can write through one), before anything else looks at them. One pass in tree order with a
// stack of ancestors does it, without maps or per-name allocations.
import { contentLength, escapeName, isNormalizedAbsolutePath, nameFromString, type Node } from "@cairn/manifest";
import { RestorePlanError } from "../errors.js";
import type { SnapshotEntry, TargetEntry } from "../inputs.js";
import { checkName, checkRelPath, comparePathBytes, hasPrefix, isBytes, lastNameStart } from "./paths.js";

export interface Item {
  /** Path below the snapshot root (for selection patterns). */
  readonly path: Uint8Array;
  /** Escaped path below the restore target (the plan's form). */
  readonly key: string;
  readonly node: Node;
}

export interface InventoryItem {
  readonly path: Uint8Array;
  readonly key: string;
  readonly entry: TargetEntry;
}

/**
 * The `subtree` option (an absolute snapshot path) as a path below the root ("" for `/`).
 * @throws {RestorePlanError} (`bad-option`) unless it is a normalised absolute path.
 */
export function subtreePath(subtree: string | Uint8Array | undefined): Uint8Array {
  if (subtree === undefined) return new Uint8Array(0);
  const bytes = typeof subtree === "string" ? nameFromString(subtree, "subtree") : subtree;
  if (!isBytes(bytes)) throw new TypeError(`subtree: expected a string or Uint8Array, got ${typeof subtree}`);
  if (!isNormalizedAbsolutePath(bytes)) throw new RestorePlanError("bad-option", `subtree must be a normalised absolute snapshot path such as "/home/alice", got ${JSON.stringify(escapeName(bytes))}`);
  return bytes.subarray(1);
}

function checkNode(node: Node, key: () => string): void {
  if (!node || typeof node !== "object") throw new TypeError(`entry ${JSON.stringify(key())}: expected a node object, got ${node === null ? "null" : typeof node}`);
  if (node.type === "file") {
    for (const c of node.content) {
      if (!Number.isSafeInteger(c.length) || c.length < 1) throw new RestorePlanError("inconsistent", `a content entry has length ${c.length}, expected a positive integer`, key());
    }
    if (contentLength(node.content) !== node.size) throw new RestorePlanError("inconsistent", `the file's size ${node.size} is not the sum of its content lengths`, key());
  }
}

function endsWithName(path: Uint8Array, name: Uint8Array): boolean {
  const start = lastNameStart(path);
  if (path.length - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (path[start + i] !== name[i]) return false;
  return true;
}

/**
 * Validates `entries`, keeps those strictly below `subtree`, and returns them in tree order.
 * @throws {RestorePlanError} `unsafe-name`, `inconsistent`, `duplicate`, `bad-parent`, or
 *   `bad-option` if `subtree` is not a directory of the snapshot.
 */
export function collectEntries(entries: Iterable<SnapshotEntry>, subtree: Uint8Array): Item[] {
  const all: SnapshotEntry[] = [];
  let sorted = true;
  for (const e of entries) {
    if (!e || typeof e !== "object") throw new TypeError(`entries: expected { path, node } objects, got ${e === null ? "null" : typeof e}`);
    checkRelPath(e.path, "the entry's path");
    const key = () => escapeName(e.path);
    if (e.path.length === 0) throw new RestorePlanError("unsafe-name", "an entry's path must not be empty (the root itself is not an entry)");
    checkNode(e.node, key);
    checkName(e.node.name, key);
    if (!endsWithName(e.path, e.node.name)) throw new RestorePlanError("inconsistent", `the path does not end in the node's name ${JSON.stringify(escapeName(e.node.name))}`, key());
    if (sorted && all.length > 0 && comparePathBytes(all[all.length - 1]!.path, e.path) >= 0) sorted = false;
    all.push(e);
  }
  if (!sorted) all.sort((a, b) => comparePathBytes(a.path, b.path));

  // Parents: in tree order, an entry's ancestors that are listed are exactly those on the stack.
  const stack: SnapshotEntry[] = [];
  const items: Item[] = [];
  const relStart = subtree.length === 0 ? 0 : subtree.length + 1;
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!;
    if (i > 0 && comparePathBytes(all[i - 1]!.path, e.path) === 0) throw new RestorePlanError("duplicate", "the path is listed twice", escapeName(e.path));
    while (stack.length > 0 && !hasPrefix(e.path, stack[stack.length - 1]!.path)) stack.pop();
    const parentLength = lastNameStart(e.path) - 1;
    if (parentLength > 0) {
      const top = stack[stack.length - 1];
      const parent = escapeName(e.path.subarray(0, parentLength));
      if (!top || top.path.length !== parentLength) throw new RestorePlanError("bad-parent", `its parent ${JSON.stringify(parent)} is not among the entries`, escapeName(e.path));
      if (top.node.type === "symlink") throw new RestorePlanError("bad-parent", `its parent ${JSON.stringify(parent)} is a symlink: restoring it would write through the link`, escapeName(e.path));
      if (top.node.type !== "dir") throw new RestorePlanError("bad-parent", `its parent ${JSON.stringify(parent)} is a ${top.node.type}, not a directory`, escapeName(e.path));
    }
    stack.push(e);
    if (!hasPrefix(e.path, subtree)) continue;
    if (e.path.length === subtree.length) {
      if (e.node.type !== "dir") throw new RestorePlanError("bad-option", `the subtree to restore is a ${e.node.type}, not a directory`, escapeName(e.path));
      continue;
    }
    items.push({ path: e.path, key: escapeName(e.path.subarray(relStart)), node: e.node });
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
    checkRelPath(entry.path, "an inventory path");
    if (entry.path.length === 0) throw new RestorePlanError("unsafe-name", "an inventory path must not be empty (the target itself is not an entry)");
    const key = escapeName(entry.path);
    if (out.has(key)) throw new RestorePlanError("duplicate", "the inventory lists the path twice", key);
    out.set(key, { path: entry.path, key, entry });
  }
  return out;
}
