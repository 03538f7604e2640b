// Create-only, atomic, durable file creation: the heart of the filesystem backend.
//
//   1. Write the bytes to a temporary file in the object's own directory (a fresh random
//      `.cairn-tmp-*` name, opened with `wx` so it is never shared), fsync it, close it.
//   2. Publish it under the final name with `link(temp, final)`, which fails with EEXIST if
//      anything is already there — atomically, even against writers in other processes or on
//      other NFS clients. `rename` is not used for this: it silently replaces an existing file.
//   3. Remove the temporary name and fsync the directory, so the new entry survives a power
//      cut. (New directories are fsynced into their parents as they are made.)
//
// A reader can only ever see the final name pointing at a complete, fsynced file. A writer
// killed at any step leaves at most a `.cairn-tmp-*` file, which `list` ignores and
// `cleanupTemporaryFiles` removes.
//
// Filesystems without hard links (FAT/exFAT, some SMB and FUSE mounts) fall back to a claim:
// `mkdir(.cairn-claim-<hash of name>)` — atomic and exclusive everywhere — then check that the
// final name is free, `rename` into place and remove the claim. Claim holders exclude each
// other; what is *not* guaranteed is safety against a writer that publishes by `link` on the
// same directory at the same time (a store is on one filesystem, so "auto" picks one method
// for everybody), nor against a claim removed by `cleanupTemporaryFiles` while its writer is
// still alive (it is held only for a check and a rename, so any sane `olderThanMs` is safe).
// A claim left by a killed writer makes puts of that one key wait, then fail as retryable,
// until it is cleaned up.
//
// Node only (src/fs/).
import { createHash, randomBytes } from "node:crypto";
import { link, lstat, mkdir, open, rename, rmdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { errorCode } from "./errno.js";

/** Names of temporary files start with this; no valid key segment can (keys.ts). */
export const TEMPORARY_PREFIX = ".cairn-tmp-";
/** Names of claim directories (the no-hard-link fallback) start with this. */
export const CLAIM_PREFIX = ".cairn-claim-";

/** Errors from `link` that mean "this filesystem cannot hard-link". */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);
/** Errors from fsync that mean "this filesystem or platform cannot sync that", not "the data is at risk". */
const SYNC_UNSUPPORTED = new Set(["ENOTSUP", "EOPNOTSUPP", "EINVAL", "EISDIR", "EPERM"]);

/** How long a writer waits for another writer's claim on the same name before giving up. */
const CLAIM_WAIT_MS = 2000;

/** What publishing found: done, something already at the final name, no hard links, or a live claim. */
export type PublishOutcome = "published" | "exists" | "no-hard-links" | "claimed-by-another";

/**
 * Creates `directory` and any missing parents, fsyncing each new entry into its parent.
 * Errors (ENOTDIR/EEXIST when a file is in the way) are left for the caller to translate.
 */
export async function ensureDirectory(directory: string, mode: number): Promise<void> {
  const first = await mkdir(directory, { recursive: true, mode });
  if (first === undefined) return;
  const top = dirname(first);
  for (let d = dirname(directory); ; d = dirname(d)) {
    await syncDirectory(d);
    if (d === top || d === dirname(d)) break;
  }
}

/** fsyncs a directory so that entries created or removed in it are durable. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch (error) {
    if (!SYNC_UNSUPPORTED.has(errorCode(error) ?? "")) throw error;
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to a new temporary file in `directory`, fsynced and closed; returns its path. */
export async function writeTemporaryFile(directory: string, data: Uint8Array, mode: number, sync = true): Promise<string> {
  const path = join(directory, TEMPORARY_PREFIX + randomBytes(12).toString("hex"));
  const handle = await open(path, "wx", mode);
  try {
    for (let written = 0; written < data.length; ) {
      const { bytesWritten } = await handle.write(data, written, data.length - written, written);
      written += bytesWritten;
    }
    if (sync) {
      try {
        await handle.sync();
      } catch (error) {
        if (!SYNC_UNSUPPORTED.has(errorCode(error) ?? "")) throw error;
      }
    }
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(path);
    throw error;
  }
  return path;
}

/** Publishes `temporary` as `final` with `link`; the temporary name stays for the caller to remove. */
export async function publishByLink(temporary: string, final: string): Promise<PublishOutcome> {
  try {
    await link(temporary, final);
    return "published";
  } catch (error) {
    const code = errorCode(error);
    if (code === "EEXIST") return "exists";
    if (NO_HARD_LINKS.has(code ?? "")) return "no-hard-links";
    throw error;
  }
}

/**
 * Publishes `temporary` as `final` under a claim, for filesystems without hard links. A claim
 * is held only for the check-and-rename (the data is already written), so a writer that finds
 * the claim taken waits briefly for the holder to finish; it gives up ("claimed-by-another")
 * only after CLAIM_WAIT_MS, which in practice means the holder died.
 */
export async function publishByClaim(temporary: string, final: string): Promise<PublishOutcome> {
  const claim = claimPath(final);
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    try {
      await mkdir(claim);
      break;
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
      if (await exists(final)) return "exists";
      if (Date.now() >= deadline) return "claimed-by-another";
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  try {
    if (await exists(final)) return "exists";
    await rename(temporary, final);
    return "published";
  } finally {
    await rmdir(claim).catch(() => undefined);
  }
}

/** The claim directory guarding `final` (a hash keeps the name short whatever the key). */
export function claimPath(final: string): string {
  const digest = createHash("sha256").update(basename(final)).digest("hex").slice(0, 32);
  return join(dirname(final), CLAIM_PREFIX + digest);
}

/** Removes a file, ignoring "already gone" and any other failure (the caller has a better error to report). */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}
