// Walking a snapshot's directory trees for `ls`, `diff` and `stats`: depth first, in the
// trees' own (byte) order, loading one tree at a time so memory stays proportional to the depth
// and the widest directory, not to the snapshot. Display paths are escaped (escapeName): names
// from a snapshot are untrusted and must not be able to drive the terminal.
import { escapeName, findNode, nameFromString, type Node, type Tree, type TreeId } from "@cairn/manifest";
import { CliError } from "../cli/cliError.js";

/** What loads trees (the Repository does). */
export interface TreeLoader {
  loadTree(id: TreeId): Promise<Tree>;
}

export interface WalkEntry {
  /** Absolute path in the snapshot, escaped for display. */
  readonly path: string;
  readonly node: Node;
  /** 1 for entries of the starting directory. */
  readonly depth: number;
}

export function childPath(parent: string, node: Node): string {
  return `${parent === "/" ? "" : parent}/${escapeName(node.name)}`;
}

/** Every entry below `tree` (down to `maxDepth` levels), parents before children. */
export async function* walkTree(loader: TreeLoader, tree: TreeId, path = "/", maxDepth = Infinity, depth = 1): AsyncGenerator<WalkEntry> {
  const { nodes } = await loader.loadTree(tree);
  for (const node of nodes) {
    const p = childPath(path, node);
    yield { path: p, node, depth };
    if (node.type === "dir" && depth < maxDepth) yield* walkTree(loader, node.subtree, p, maxDepth, depth + 1);
  }
}

export type Located = { readonly kind: "dir"; readonly tree: TreeId; readonly path: string; readonly node: Node | null } | { readonly kind: "other"; readonly path: string; readonly node: Node };

/**
 * The entry at `path` (absolute, as the user typed it) in the snapshot whose root tree is `root`.
 * @throws {CliError} if it does not exist.
 */
export async function locate(loader: TreeLoader, root: TreeId, path: string): Promise<Located> {
  const names = path.split("/").filter((n) => n !== "" && n !== ".");
  let tree = root;
  let at = "/";
  let node: Node | null = null;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name === "..") throw new CliError(`path ${path}: ".." is not allowed in snapshot paths`, { code: "usage", exitCode: 2 });
    const found = findNode(await loader.loadTree(tree), nameFromString(name));
    if (!found) throw new CliError(`${path}: no such file or directory in the snapshot (stopped at ${at})`, { code: "not-found", hint: "`cairn ls SNAPSHOT` lists what it holds" });
    at = childPath(at, found);
    node = found;
    if (found.type === "dir") tree = found.subtree;
    else if (i < names.length - 1) throw new CliError(`${path}: ${at} is not a directory in the snapshot`, { code: "not-found" });
    else return { kind: "other", path: at, node: found };
  }
  return { kind: "dir", tree, path: at, node };
}
