// The sample folder the demo scripts back up, and the inventory they compare restores with.
// Plain Node (no build step): the scripts run straight after `pnpm build`.
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Deterministic pseudo-random bytes (compressible if `text`). */
export function bytes(seed, length, text = false) {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? " etaoinshrdlu\n".charCodeAt((x >>> 0) % 14) : x & 255;
  }
  return out;
}

export async function makeSample(src) {
  await mkdir(join(src, "docs", "drafts"), { recursive: true });
  await mkdir(join(src, "media"), { recursive: true });
  await writeFile(join(src, "README.txt"), "A sample folder for the cairn demo.\n");
  await writeFile(join(src, "docs", "notes.txt"), bytes(1, 200_000, true));
  await writeFile(join(src, "docs", "drafts", "chapter-1.txt"), bytes(2, 50_000, true));
  await writeFile(join(src, "media", "photo.raw"), bytes(3, 6 * 1024 * 1024));
  await writeFile(join(src, "empty"), "");
  await writeFile(join(src, "run.sh"), "#!/bin/sh\necho hello\n", { mode: 0o755 });
  await symlink("docs/notes.txt", join(src, "notes-link"));
}

/** Every entry below `root`: path → type, mode, size, sha256 or link target. */
export async function inventory(root) {
  const out = new Map();
  async function walk(dir) {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const st = await lstat(path);
      const rel = relative(root, path);
      if (st.isSymbolicLink()) out.set(rel, `symlink -> ${await readlink(path)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${(st.mode & 0o7777).toString(8)}`);
        await walk(path);
      } else out.set(rel, `file ${(st.mode & 0o7777).toString(8)} ${st.size} ${createHash("sha256").update(await readFile(path)).digest("hex")}`);
    }
  }
  await walk(root);
  return out;
}


/** Differences between two inventories, one line each (empty when they match). */
export function compareInventories(expected, actual) {
  const problems = [];
  for (const [path, want] of expected) if (actual.get(path) !== want) problems.push(`${path}: expected ${want}, got ${actual.get(path) ?? "nothing"}`);
  for (const path of actual.keys()) if (!expected.has(path)) problems.push(`${path}: restored but not in the source`);
  return problems;
}

export function mib(n) {
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
