// Which blobs the snapshots still need: every tree reachable from a snapshot and every data blob
// their files name. Prune's safety rests on this set being complete, so whatever cannot be read
// (a snapshot, a tree) stops prune with PruneRefusedError instead of being skipped: an unread
// tree could reference anything.
import { decodeTree, ManifestError, type SnapshotId, type Snapshot, type Tree, type TreeId } from "@cairn/manifest";
import { ObjectNotFoundError } from "@cairn/storage";
import { PruneRefusedError, RepositoryError } from "../errors.js";
import type { RepositoryContext } from "../internal/context.js";
import { walkSnapshots, type TreeLoader } from "../check/treeWalk.js";
import { readBlobPlain } from "../pack/blobPlain.js";
import type { BlobLocation } from "../pack/packReader.js";
import { listSnapshotIds, readSnapshot, snapshotKey } from "../snapshots.js";

export interface Reachability {
  /** The snapshots whose references were collected. */
  readonly snapshots: readonly SnapshotId[];
  /** IDs of every reachable tree and data blob. */
  readonly blobs: ReadonlySet<string>;
}

/** Every snapshot that exists now; one deleted while we list (forget) is left out. */
async function readAllSnapshots(ctx: RepositoryContext): Promise<{ id: SnapshotId; snapshot: Snapshot }[]> {
  const out: { id: SnapshotId; snapshot: Snapshot }[] = [];
  for (const id of await listSnapshotIds(ctx.storage)) {
    try {
      out.push({ id, snapshot: await readSnapshot(ctx.storage, ctx.cipher, id) });
    } catch (error) {
      if (error instanceof RepositoryError && error.cause instanceof ObjectNotFoundError) continue;
      throw new PruneRefusedError("a snapshot cannot be read, so what it references is unknown (see check)", [snapshotKey(id)], { cause: error });
    }
  }
  return out;
}

/**
 * Collects the reachable set, loading trees through `located` (blob ID → location, from the
 * index objects prune has read).
 * @throws {PruneRefusedError} if a snapshot or a tree cannot be read.
 */
export async function findReachable(ctx: RepositoryContext, located: ReadonlyMap<string, BlobLocation>): Promise<Reachability> {
  const snapshots = await readAllSnapshots(ctx);
  const blobs = new Set<string>();
  const unreadable: string[] = [];
  let firstError: unknown;
  const load: TreeLoader = async (id: TreeId) => {
    const location = located.get(id);
    if (!location || location.type !== "tree") return { kind: "tree-missing", error: `tree ${id} is in no index` };
    try {
      const tree: Tree = decodeTree(await readBlobPlain(ctx, location));
      return tree;
    } catch (error) {
      firstError ??= error;
      return { kind: "tree-corrupt", error: error instanceof ManifestError ? `tree ${id} does not decode: ${error.message}` : String(error) };
    }
  };
  await walkSnapshots(snapshots, load, {
    tree(id, _snapshot, _path, problem) {
      blobs.add(id);
      if (problem) unreadable.push(id);
    },
    blob(id) {
      blobs.add(id);
    },
  });
  if (unreadable.length > 0) throw new PruneRefusedError("trees that snapshots need cannot be read (see check)", unreadable, { cause: firstError });
  return { snapshots: snapshots.map((s) => s.id), blobs };
}
