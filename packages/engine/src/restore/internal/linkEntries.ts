// Symlinks, special files and hard links: each made under its temporary name in a directory we
// hold open, given its owner and times there (without following it), then renamed into place.
// A symlink's target is written exactly as the snapshot has it and never resolved. A hard link
// is made to the name this restore just put in place and is checked to be that inode before it
// is renamed into place, so it can never end up pointing at something else.
import { promises as fs } from "node:fs";
import { unescapeName } from "@cairn/manifest";
import type { PlannedMetadata, PlannedSpecial, PlannedSymlink } from "@cairn/restore-planner";
import { applyToLink, type MetadataContext } from "./applyMetadata.js";
import { tempName } from "./planPaths.js";
import { createSpecial } from "./specialFiles.js";
import type { DirLease, TargetRoot } from "./targetRoot.js";

/** The inode a restored name ended up as (for hard links to it). */
export interface Inode {
  readonly ino: bigint;
  readonly dev: bigint;
}

async function clearTemp(dir: DirLease, temp: Uint8Array): Promise<void> {
  await fs.unlink(dir.at(temp)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/** Puts `temp` in place as `name` and returns the inode it is. */
async function commit(dir: DirLease, temp: Uint8Array, name: Uint8Array): Promise<Inode> {
  const st = await fs.lstat(dir.at(temp), { bigint: true });
  await fs.rename(dir.at(temp), dir.at(name));
  return { ino: st.ino, dev: st.dev };
}

/**
 * Makes `name` in `dir` through its temporary name: `create` makes the temporary entry, its
 * metadata is set there (without following it), then it is renamed into place. A failure after
 * `create` removes the temporary entry.
 */
async function placeViaTemp(dir: DirLease, name: Uint8Array, create: (temp: Uint8Array) => Promise<void>, m: PlannedMetadata, ctx: MetadataContext, path: string): Promise<Inode> {
  const temp = tempName(name);
  await clearTemp(dir, temp);
  await create(temp);
  try {
    await applyToLink(dir, temp, m, ctx, path);
    return await commit(dir, temp, name);
  } catch (error) {
    await fs.unlink(dir.at(temp)).catch(() => undefined);
    throw error;
  }
}

export async function restoreSymlink(root: TargetRoot, names: readonly Uint8Array[], link: PlannedSymlink, meta: MetadataContext): Promise<Inode | null> {
  const dir = await root.dir(names.slice(0, -1));
  const name = names[names.length - 1]!;
  try {
    if (link.action === "metadata") {
      const st = await fs.lstat(dir.at(name));
      if (!st.isSymbolicLink()) throw new Error("is no longer a symlink");
      await applyToLink(dir, name, link.meta, meta, link.path);
      return null;
    }
    return await placeViaTemp(dir, name, (temp) => fs.symlink(Buffer.from(unescapeName(link.target)), dir.at(temp)), link.meta, meta, link.path);
  } finally {
    dir.release();
  }
}

export async function restoreSpecial(root: TargetRoot, names: readonly Uint8Array[], special: PlannedSpecial, meta: MetadataContext): Promise<Inode> {
  const dir = await root.dir(names.slice(0, -1));
  const name = names[names.length - 1]!;
  try {
    // `metadata` is done by re-creating: opening a device or fifo to change it in place could block or have side effects.
    return await placeViaTemp(dir, name, (temp) => createSpecial(dir, temp, special), special.meta, meta, special.path);
  } finally {
    dir.release();
  }
}

/**
 * Links `names` to the entry at `primaryNames`, which this restore put in place as `primary`.
 * @throws {Error} if the primary is no longer that inode.
 */
export async function restoreHardlink(root: TargetRoot, names: readonly Uint8Array[], primaryNames: readonly Uint8Array[], primary: Inode): Promise<void> {
  const from = await root.dir(primaryNames.slice(0, -1));
  try {
    const dir = await root.dir(names.slice(0, -1));
    const name = names[names.length - 1]!;
    try {
      const temp = tempName(name);
      await clearTemp(dir, temp);
      await fs.link(from.at(primaryNames[primaryNames.length - 1]!), dir.at(temp)); // link(2) never follows its source
      const st = await fs.lstat(dir.at(temp), { bigint: true });
      if (st.ino !== primary.ino || st.dev !== primary.dev) {
        await fs.unlink(dir.at(temp));
        throw new Error("the name it links to was replaced while the restore ran");
      }
      await fs.rename(dir.at(temp), dir.at(name));
    } finally {
      dir.release();
    }
  } finally {
    from.release();
  }
}
