// Gathering a snapshot's entries for the planner. The walk does no I/O of its own: the caller
// passes `loadTree` (the repository's, in the engine; anything in a test), so this stays pure
// and browser-safe. It skips subtrees in which the selection can match nothing (their trees are
// never loaded), loads sibling trees a few at a time, and returns entries in tree order.
import { findNode, escapeName, type Tree, type TreeId } from "@cairn/manifest";
import { RestorePlanError } from "./errors.js";
import type { Selection, SnapshotEntry } from "./inputs.js";
import { subtreePath } from "./internal/entries.js";
import { joinNames, namesOf } from "./internal/paths.js";
import { compileSelection } from "./selection.js";

export interface WalkOptions {
  /** Only walk below this absolute snapshot path (see `PlanOptions.subtree`). */
  readonly subtree?: string | Uint8Array;
  readonly selection?: Selection;
  /** Trees loaded at once (default 8). */
  readonly concurrency?: number;
  /** Deepest directory nesting accepted (default 2048, as deep as a 4096-byte path can go). */
  readonly maxDepth?: number;
}

function limiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/**
 * The entries of the snapshot whose root tree is `root`: the directories leading to `subtree`,
 * then everything below it that the selection may select (directories it may descend into, and
 * selected non-directories), in tree order.
 * @throws {RestorePlanError} (`bad-option`) if `subtree` is not a directory of the snapshot, or a
 *   pattern is malformed; (`inconsistent`) past `maxDepth`.
 * @throws whatever `loadTree` throws (e.g. a corrupt or missing tree).
 */
export async function walkSnapshot(root: TreeId, loadTree: (id: TreeId) => Promise<Tree>, options: WalkOptions = {}): Promise<SnapshotEntry[]> {
  const subtree = namesOf(subtreePath(options.subtree));
  const matcher = compileSelection(options.selection);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const limit = limiter(concurrency);
  const lookahead = 2 * concurrency;
  const maxDepth = options.maxDepth ?? 2048;
  const out: SnapshotEntry[] = [];

  let tree = await loadTree(root);
  const prefix: Uint8Array[] = [];
  for (const name of subtree) {
    const node = findNode(tree, name);
    const here = escapeName(joinNames([...prefix, name]));
    if (!node) throw new RestorePlanError("bad-option", "the subtree to restore is not in the snapshot", here);
    if (node.type !== "dir") throw new RestorePlanError("bad-option", `the subtree to restore is a ${node.type}, not a directory`, here);
    prefix.push(name);
    out.push({ path: joinNames(prefix), node });
    tree = await loadTree(node.subtree);
  }

  const visit = async (tree: Tree, prefix: readonly Uint8Array[]): Promise<void> => {
    if (prefix.length > maxDepth) throw new RestorePlanError("inconsistent", `directories nest deeper than ${maxDepth} levels`, escapeName(joinNames(prefix)));
    // Sibling trees are loaded ahead of the depth-first visit, a bounded lookahead at a time.
    const descend = tree.nodes.map((node) => node.type === "dir" && matcher.mayDescend([...prefix, node.name]));
    const pending = new Map<number, Promise<Tree>>();
    let next = 0;
    const prefetch = (upTo: number) => {
      for (; next < tree.nodes.length && next <= upTo; next++) {
        const node = tree.nodes[next]!;
        if (!descend[next] || node.type !== "dir") continue;
        const p = limit(() => loadTree(node.subtree));
        p.catch(() => undefined); // awaited below, in order; this only keeps an early failure from going unhandled
        pending.set(next, p);
      }
    };
    for (let i = 0; i < tree.nodes.length; i++) {
      prefetch(i + lookahead);
      const node = tree.nodes[i]!;
      const names = [...prefix, node.name];
      const child = pending.get(i);
      if (child) {
        pending.delete(i);
        out.push({ path: joinNames(names), node });
        await visit(await child, names);
      } else if (node.type !== "dir" && matcher.selects(names)) out.push({ path: joinNames(names), node });
    }
  };
  await visit(tree, prefix);
  return out;
}
