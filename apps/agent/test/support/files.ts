// File-system helpers for the end-to-end test: seeded content, fingerprints of files (bytes and
// metadata) and the size of a vault on the server's disk.
import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export const random = (n: number): Buffer => randomBytes(n);

export interface FileFacts {
  sha256: string;
  size: number;
  mode: number;
  mtimeMs: number;
}

export async function facts(path: string): Promise<FileFacts> {
  const s = await stat(path);
  return { sha256: createHash("sha256").update(await readFile(path)).digest("hex"), size: s.size, mode: s.mode & 0o7777, mtimeMs: Math.floor(s.mtimeMs) };
}

/** Total bytes of regular files under `dir` (0 if it does not exist). */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await treeBytes(p);
    else if (e.isFile()) total += (await stat(p)).size;
  }
  return total;
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
