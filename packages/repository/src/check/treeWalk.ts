// Walking snapshots' trees for check: which trees and blobs they need, and — once damaged blobs
// are known — which files of which snapshots are affected. Each tree is decoded once however
// many snapshots share it: per tree we remember the relative paths under it that reference
// damaged blobs, and prefix them per snapshot.
import { escapeName, type BlobId, type Snapshot, type SnapshotId, type Tree, type TreeId } from "@cairn/manifest";
import type { AffectedFile } from "./report.js";

/** Loads a tree, or explains why it cannot be loaded. */
export type TreeLoader = (id: TreeId) => Promise<Tree | { readonly error: string; readonly kind: "tree-missing" | "tree-corrupt" }>;

export interface WalkVisitor {
  tree?(id: TreeId, snapshot: SnapshotId, path: string, problem?: { error: string; kind: "tree-missing" | "tree-corrupt" }): void;
  blob?(id: BlobId, snapshot: SnapshotId, path: string): void;
}

/**
 * Visits every tree and data blob reachable from `snapshots`, each tree once (the first
 * snapshot and path it was reached by are reported).
 */
export async function walkSnapshots(snapshots: readonly { id: SnapshotId; snapshot: Snapshot }[], load: TreeLoader, visit: WalkVisitor): Promise<number> {
  const seen = new Set<string>();
  let trees = 0;
  const walk = async (id: TreeId, snap: SnapshotId, path: string): Promise<void> => {
    if (seen.has(id)) return;
    seen.add(id);
    trees++;
    const tree = await load(id);
    if ("error" in tree) {
      visit.tree?.(id, snap, path, tree);
      return;
    }
    visit.tree?.(id, snap, path);
    for (const node of tree.nodes) {
      const child = `${path === "/" ? "" : path}/${escapeName(node.name)}`;
      if (node.type === "dir") await walk(node.subtree, snap, child);
      else if (node.type === "file") for (const c of node.content) if (c.kind === "data") visit.blob?.(c.id, snap, child);
    }
  };
  for (const { id, snapshot } of snapshots) await walk(snapshot.tree, id, "/");
  return trees;
}

/**
 * For each damaged blob or tree ID, the files (and unreadable directories) of every snapshot
 * that reference it.
 */
export async function affectedFiles(snapshots: readonly { id: SnapshotId; snapshot: Snapshot }[], load: TreeLoader, damaged: ReadonlySet<string>): Promise<Map<string, AffectedFile[]>> {
  // Per tree: [damaged id, relative path] pairs found beneath it.
  const memo = new Map<string, Promise<[string, string][]>>();
  const under = (id: TreeId): Promise<[string, string][]> => {
    let result = memo.get(id);
    if (!result) {
      result = (async () => {
        if (damaged.has(id)) return [[id, ""]];
        const tree = await load(id);
        if ("error" in tree) return [];
        const out: [string, string][] = [];
        for (const node of tree.nodes) {
          const name = escapeName(node.name);
          if (node.type === "dir") for (const [d, rel] of await under(node.subtree)) out.push([d, rel === "" ? `${name}/` : `${name}/${rel}`]);
          else if (node.type === "file") {
            const hit = new Set(node.content.filter((c) => c.kind === "data" && damaged.has(c.id)).map((c) => (c as { id: string }).id));
            for (const d of hit) out.push([d, name]);
          }
        }
        return out;
      })();
      memo.set(id, result);
    }
    return result;
  };
  const out = new Map<string, AffectedFile[]>();
  for (const { id, snapshot } of snapshots) {
    for (const [d, rel] of await under(snapshot.tree)) {
      const list = out.get(d) ?? [];
      list.push({ snapshotId: id, path: `/${rel}` });
      out.set(d, list);
    }
  }
  return out;
}
