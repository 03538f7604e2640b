// Removing what is in the way or extraneous, without ever following a symlink: the entry's type
// comes from lstat at the moment of removal (not from the plan), a symlink is unlinked itself,
// and a directory's contents are reached through a descriptor opened with O_NOFOLLOW.
import { promises as fs } from "node:fs";
import type { TargetRoot } from "./targetRoot.js";

/** What happened to one removal. */
export type Removed = "removed" | "absent" | "not-empty";

/**
 * Removes the entry at `names`. A directory is removed with its contents when `recursive`, else
 * only if it is empty (`not-empty` otherwise: something excluded is still inside).
 * @throws the fs error of anything else that goes wrong (EACCES, EBUSY…).
 */
export async function removeEntry(root: TargetRoot, names: readonly Uint8Array[], recursive: boolean): Promise<Removed> {
  const parent = await root.dir(names.slice(0, -1));
  const name = names[names.length - 1]!;
  try {
    const st = await fs.lstat(parent.at(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (!st) return "absent";
    if (!st.isDirectory()) {
      await fs.unlink(parent.at(name));
      return "removed";
    }
    if (recursive) await emptyDirectory(root, names);
    await root.forget(names);
    try {
      await fs.rmdir(parent.at(name));
    } catch (error) {
      if (!recursive && ((error as NodeJS.ErrnoException).code === "ENOTEMPTY" || (error as NodeJS.ErrnoException).code === "EEXIST")) return "not-empty";
      throw error;
    }
    return "removed";
  } finally {
    parent.release();
  }
}

async function emptyDirectory(root: TargetRoot, names: readonly Uint8Array[]): Promise<void> {
  const dir = await root.dir(names);
  let children: Buffer[];
  try {
    children = await fs.readdir(dir.self, { encoding: "buffer" });
  } finally {
    dir.release();
  }
  for (const child of children) await removeEntry(root, [...names, child], true);
}
