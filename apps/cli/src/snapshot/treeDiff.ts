// The difference between two snapshot trees, restic-style: "+" added, "-" removed, "M" content
// changed, "T" type changed, "U" only metadata (mode, owner, times, xattrs) changed. Directories
// whose tree ID is equal are identical by construction (content addressing) and are skipped
// without being loaded, so diffing two snapshots of a large, mostly unchanged tree touches only
// the changed branches.
import type { ContentEntry, Node, TreeId, Xattr } from "@cairn/manifest";
import { childPath, walkTree, type TreeLoader } from "./walk.js";

export type ChangeKind = "+" | "-" | "M" | "T" | "U";

export interface Change {
  readonly kind: ChangeKind;
  readonly path: string;
  /** The entry before (absent for "+") and after (absent for "-"). */
  readonly before?: Node;
  readonly after?: Node;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) === 0;
}

function sameContent(a: readonly ContentEntry[], b: readonly ContentEntry[]): boolean {
  return a.length === b.length && a.every((e, i) => {
    const f = b[i]!;
    return e.kind === f.kind && e.length === f.length && (e.kind === "hole" || (f.kind === "data" && e.id === f.id));
  });
}

function sameXattrs(a: readonly Xattr[], b: readonly Xattr[]): boolean {
  return a.length === b.length && a.every((x, i) => sameBytes(x.name, b[i]!.name) && sameBytes(x.value, b[i]!.value));
}

/** True if the entries differ in what they hold (file bytes, link target, device numbers). */
function contentDiffers(a: Node, b: Node): boolean {
  if (a.type === "file" && b.type === "file") return a.size !== b.size || !sameContent(a.content, b.content);
  if (a.type === "symlink" && b.type === "symlink") return !sameBytes(a.linkTarget, b.linkTarget);
  if ((a.type === "chardev" || a.type === "blockdev") && (b.type === "chardev" || b.type === "blockdev")) return a.rdevMajor !== b.rdevMajor || a.rdevMinor !== b.rdevMinor;
  return false;
}

function metadataDiffers(a: Node, b: Node): boolean {
  return a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.user !== b.user || a.group !== b.group || a.mtimeNs !== b.mtimeNs || !sameXattrs(a.xattrs, b.xattrs);
}

async function* everything(loader: TreeLoader, kind: "+" | "-", path: string, node: Node): AsyncGenerator<Change> {
  yield kind === "+" ? { kind, path, after: node } : { kind, path, before: node };
  if (node.type === "dir") for await (const e of walkTree(loader, node.subtree, path)) yield kind === "+" ? { kind, path: e.path, after: e.node } : { kind, path: e.path, before: e.node };
}

/** Every change from tree `a` to tree `b`, in path order. */
export async function* diffTrees(loader: TreeLoader, a: TreeId, b: TreeId, path = "/"): AsyncGenerator<Change> {
  if (a === b) return;
  const [left, right] = [(await loader.loadTree(a)).nodes, (await loader.loadTree(b)).nodes];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const x = left[i];
    const y = right[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compareBytes(x.name, y.name);
    if (order < 0) {
      yield* everything(loader, "-", childPath(path, x!), x!);
      i++;
    } else if (order > 0) {
      yield* everything(loader, "+", childPath(path, y!), y!);
      j++;
    } else {
      const p = childPath(path, x!);
      if (x!.type !== y!.type) {
        yield { kind: "T", path: p, before: x!, after: y! };
        if (x!.type === "dir") for await (const e of walkTree(loader, x!.subtree, p)) yield { kind: "-", path: e.path, before: e.node };
        if (y!.type === "dir") for await (const e of walkTree(loader, y!.subtree, p)) yield { kind: "+", path: e.path, after: e.node };
      } else if (contentDiffers(x!, y!)) yield { kind: "M", path: p, before: x!, after: y! };
      else if (metadataDiffers(x!, y!)) yield { kind: "U", path: p, before: x!, after: y! };
      if (x!.type === "dir" && y!.type === "dir") yield* diffTrees(loader, x!.subtree, y!.subtree, p);
      i++;
      j++;
    }
  }
}
