// A lazy, recursive directory walk that tolerates a tree changing underneath it: directories
// that vanish mid-walk (pruned after a delete) are skipped, not errors. Symlinks are reported
// as "other" and never followed, so a link planted in the store cannot lead outside it.
// Directories whose names start with `.` (claims, see atomicCreate.ts) are reported but not
// entered. Node only (src/fs/).
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "./errno.js";

export interface WalkEntry {
  /** Path below the walk's root, `/`-separated. */
  readonly relative: string;
  readonly path: string;
  readonly name: string;
  readonly kind: "file" | "directory" | "other";
}

/** Yields every entry below `directory` (whose path below the root is `relative`, "" or ending in `/`), depth first, in name order. */
export async function* walk(directory: string, relative: string): AsyncGenerator<WalkEntry> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return;
    throw error;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const kind = entry.isFile() ? "file" : entry.isDirectory() ? "directory" : "other";
    yield { relative: relative + entry.name, path, name: entry.name, kind };
    if (kind === "directory" && !entry.name.startsWith(".")) yield* walk(path, `${relative}${entry.name}/`);
  }
}
