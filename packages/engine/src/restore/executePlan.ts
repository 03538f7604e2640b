// The executor: applies a RestorePlan to a local directory, in the plan's order —
//   removals, directories (created 0700), file contents (ranged pack reads, a few in flight,
//   every blob verified; each file built under a temporary name, given its metadata, renamed
//   into place), symlinks and special files, hard links, then directory metadata deepest first.
// Every path goes through TargetRoot (internal/targetRoot.ts): directories are opened one
// component at a time without following symlinks, so nothing is written or followed outside the
// target whatever the plan or the disk holds. One entry's failure (a corrupt blob, EACCES) is
// recorded and everything else goes on; entries below a directory that could not be made fail
// with it. Concurrency: only the file phase runs in parallel (`concurrency` ranges); everything
// else is sequential, in plan order.
import { constants, lstatSync, mkdirSync, promises as fs } from "node:fs";
import type { BlobId } from "@cairn/manifest";
import type { BlobLocation, BlobRangeReader } from "@cairn/repository";
import type { PlanWarning, RestorePlan } from "@cairn/restore-planner";
import { applyToFd, applyToFdSync, type MetadataContext } from "./internal/applyMetadata.js";
import { checkPlan } from "./internal/checkPlan.js";
import { copyLocal, fetchRange, forEachLimited, type FetchContext } from "./internal/fetchRanges.js";
import { FileWriters } from "./internal/fileWriters.js";
import { restoreHardlink, restoreSpecial, restoreSymlink, type Inode } from "./internal/linkEntries.js";
import { removeEntry } from "./internal/removeEntry.js";
import { describeFsError, TargetRoot, type DirLease } from "./internal/targetRoot.js";
import { findXattrPython, XattrWriter } from "./internal/xattrWriter.js";
import type { RestoreFailure, RestorePhase, RestoreProgress } from "./restoreOptions.js";

export interface ExecuteOptions {
  /** Directory to restore into (created if missing). */
  readonly target: string;
  /** Reads and verifies blobs (`blobRangeReader(repo)`). */
  readonly reader: BlobRangeReader;
  /** Index entries of the plan's blobs, if the caller has them; others are looked up. */
  readonly locations?: ReadonlyMap<BlobId, BlobLocation>;
  /** Restore uid/gid (default: when running as root). */
  readonly owners?: boolean;
  /** Pack ranges in flight (default 4). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: RestoreProgress) => void;
  readonly signal?: AbortSignal;
}

export interface ExecutionReport {
  readonly filesWritten: number;
  readonly filesUnchanged: number;
  readonly directoriesCreated: number;
  readonly linksCreated: number;
  readonly removed: number;
  readonly bytesWritten: number;
  readonly bytesFetched: number;
  readonly requests: number;
  readonly failures: readonly RestoreFailure[];
  readonly warnings: readonly PlanWarning[];
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * Applies `plan` to `options.target`.
 * @returns what was done; `failures` lists entries that could not be restored.
 * @throws {RestoreError} (`bad-plan`) before doing anything if the plan is malformed or unsafe;
 *   (`bad-target`, `unsupported-platform`) if the target cannot be used.
 * @throws the signal's reason if aborted (files not yet complete are removed).
 */
export async function executePlan(plan: RestorePlan, options: ExecuteOptions): Promise<ExecutionReport> {
  const names = checkPlan(plan);
  const signal = options.signal;
  signal?.throwIfAborted();
  const root = await TargetRoot.open(options.target);
  const failures: RestoreFailure[] = [];
  const warnings: PlanWarning[] = [];
  const failedDirs = new Set<string>();
  const createdDirs = new Set<string>();
  const counts = { filesWritten: 0, filesUnchanged: 0, directoriesCreated: 0, linksCreated: 0, removed: 0, bytesWritten: 0, bytesFetched: 0, requests: 0, filesDone: 0 };
  const filesTotal = plan.files.length + plan.hardlinks.length + plan.symlinks.length + plan.specials.length;
  let phase: RestorePhase = "removing";
  let lastReport = 0;
  const progress = (force = false) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < 200)) return;
    lastReport = now;
    options.onProgress({ phase, filesDone: counts.filesDone, filesTotal, bytesDone: counts.bytesWritten, bytesTotal: plan.totals.bytesToWrite, bytesFetched: counts.bytesFetched });
  };
  const fail = (path: string, message: string, cause?: unknown) => failures.push(cause === undefined ? { path, message } : { path, message, cause });
  const underFailed = (path: string) => {
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) if (failedDirs.has(path.slice(0, i))) return true;
    return false;
  };
  let xattrs: XattrWriter | null | undefined;
  const meta: MetadataContext = {
    owners: options.owners ?? isRoot(),
    xattrs: () => {
      if (xattrs === undefined) {
        const python = findXattrPython();
        xattrs = python ? new XattrWriter(python) : null;
      }
      return xattrs;
    },
    warn: (path, message) => warnings.push({ path, message }),
  };
  const fileIndex = new Map(plan.files.map((f, i) => [f.path, i]));
  const linkTargets = new Set(plan.hardlinks.map((l) => fileIndex.get(l.linkTo)).filter((i): i is number => i !== undefined));
  const writers = new FileWriters(root, plan.files, names.files, meta, {
    fail,
    wrote: (bytes) => {
      counts.bytesWritten += bytes;
      progress();
    },
    fileDone: () => {
      counts.filesWritten++;
      counts.filesDone++;
    },
  }, linkTargets, createdDirs, options.reader.blobIdKey());
  const inodes = new Map<string, Inode>();

  try {
    progress(true);
    for (const [i, r] of plan.removals.entries()) {
      signal?.throwIfAborted();
      try {
        const outcome = await removeEntry(root, names.removals(i), r.reason === "replace");
        if (outcome === "removed") counts.removed++;
        if (outcome === "not-empty") warnings.push({ path: r.path, message: "not removed: the directory still holds entries that are excluded" });
      } catch (error) {
        fail(r.path, `cannot remove: ${describeFsError(error)}`, error);
      }
    }

    phase = "writing";
    for (const [i, d] of plan.directories.entries()) {
      signal?.throwIfAborted();
      const dirNames = names.directories(i);
      if (underFailed(d.path)) {
        failedDirs.add(d.path);
        fail(d.path, "not restored: its directory could not be created");
        continue;
      }
      // Synchronous calls: a few microseconds each, for thousands of directories in a row.
      let parent: DirLease | null = null;
      try {
        parent = root.dirSync(dirNames.slice(0, -1));
      } catch {
        // reported below
      }
      try {
        if (!parent) throw new Error("its parent directory cannot be opened");
        const at = parent.at(dirNames[dirNames.length - 1]!);
        let created = false;
        if (d.action === "create") {
          try {
            mkdirSync(at, 0o700);
            counts.directoriesCreated++;
            created = true;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          }
        }
        const st = lstatSync(at);
        if (!st.isDirectory()) throw new Error(`a ${st.isSymbolicLink() ? "symlink" : "non-directory"} is in the way`);
        if (created && (st.mode & 0o2000) === 0) createdDirs.add(d.path); // not setgid (inherited): new files get our egid
      } catch (error) {
        failedDirs.add(d.path);
        fail(d.path, `cannot create the directory: ${describeFsError(error)}`, error);
      } finally {
        parent?.release();
      }
    }
    const blocked = (path: string) => {
      if (!underFailed(path)) return false;
      fail(path, "not restored: its directory could not be created");
      return true;
    };

    // Files: in-place metadata, empty files, local copies, then the pack ranges.
    const fetchCtx: FetchContext = {
      reader: options.reader,
      locations: options.locations ?? new Map(),
      writers,
      signal,
      fetched: (bytes, requests) => {
        counts.bytesFetched += bytes;
        counts.requests += requests;
      },
    };
    const writing: number[] = [];
    for (const [i, f] of plan.files.entries()) {
      if (f.action === "keep") {
        counts.filesUnchanged++;
        counts.filesDone++;
      } else if (blocked(f.path)) {
        writers.abandon(i);
      } else if (f.action === "metadata") {
        await fileMetadataInPlace(root, names.files(i), f.meta, meta, f.path).then(
          () => {
            counts.filesUnchanged++;
            counts.filesDone++;
          },
          (error: unknown) => fail(f.path, `cannot update metadata: ${describeFsError(error)}`, error),
        );
      } else writing.push(i);
    }
    const concurrency = Math.max(1, options.concurrency ?? 4);
    await forEachLimited(writing.filter((i) => plan.files[i]!.writes.length === 0), 8, signal, (i) => writers.writeEmpty(i));
    await forEachLimited(writing, concurrency, signal, (i) => copyLocal(fetchCtx, root, i, plan.files[i]!, names.files(i)));
    await forEachLimited(plan.fetches, concurrency, signal, (r) => fetchRange(fetchCtx, r));
    for (const [i, done] of writers.done) inodes.set(plan.files[i]!.path, done);
    progress(true);

    phase = "finishing";
    for (const [i, s] of plan.symlinks.entries()) {
      signal?.throwIfAborted();
      if (s.action === "keep" || blocked(s.path)) {
        if (s.action === "keep") counts.filesDone++;
        continue;
      }
      await restoreSymlink(root, names.symlinks(i), s, meta).then(
        (inode) => {
          if (inode) inodes.set(s.path, inode);
          counts.filesDone++;
        },
        (error: unknown) => fail(s.path, `cannot restore the symlink: ${describeFsError(error)}`, error),
      );
    }
    for (const [i, s] of plan.specials.entries()) {
      signal?.throwIfAborted();
      if (s.action === "keep" || blocked(s.path)) {
        if (s.action === "keep") counts.filesDone++;
        continue;
      }
      if (s.type !== "fifo" && !isRoot()) {
        warnings.push({ path: s.path, message: `not restored: creating a ${s.type === "chardev" ? "character" : "block"} device needs root` });
        continue;
      }
      await restoreSpecial(root, names.specials(i), s, meta).then(
        (inode) => {
          inodes.set(s.path, inode);
          counts.filesDone++;
        },
        (error: unknown) => fail(s.path, `cannot restore the ${s.type}: ${describeFsError(error)}`, error),
      );
    }
    const kept = new Set([...plan.files, ...plan.symlinks, ...plan.specials].filter((e) => e.action === "keep").map((e) => e.path));
    for (const [i, l] of plan.hardlinks.entries()) {
      signal?.throwIfAborted();
      if (l.action === "keep" || blocked(l.path)) {
        if (l.action === "keep") counts.filesDone++;
        continue;
      }
      const primary = inodes.get(l.linkTo) ?? (kept.has(l.linkTo) ? await keptInode(root, names.linkTargets(i)) : undefined);
      if (!primary) {
        fail(l.path, `not linked: ${JSON.stringify(l.linkTo)}, the name it links to, was not restored`);
        continue;
      }
      await restoreHardlink(root, names.hardlinks(i), names.linkTargets(i), primary).then(
        () => {
          counts.linksCreated++;
          counts.filesDone++;
        },
        (error: unknown) => fail(l.path, `cannot create the hard link: ${describeFsError(error)}`, error),
      );
    }

    // Directory metadata last, deepest first (metadataOrder lists them that way).
    for (const step of plan.metadataOrder) {
      if (step.list !== "directories") continue;
      signal?.throwIfAborted();
      const d = plan.directories[step.index]!;
      if (failedDirs.has(d.path)) continue;
      let lease: DirLease;
      try {
        lease = root.dirSync(names.directories(step.index));
      } catch (error) {
        fail(d.path, `cannot open the directory to set its metadata: ${describeFsError(error)}`, error);
        continue;
      }
      try {
        if (d.meta.xattrs.length === 0) applyToFdSync(lease.fd, d.meta, meta, d.path);
        else await applyToFd(lease.fd, d.meta, meta, d.path);
      } finally {
        lease.release();
      }
    }
    phase = "done";
    progress(true);
  } catch (error) {
    await writers.abandonAll();
    throw error;
  } finally {
    await writers.close();
    await root.close();
    if (xattrs) xattrs.close();
  }
  const { filesDone: _done, ...done } = counts;
  return { ...done, failures, warnings };
}

/** Metadata of a file already in place (content matched): through an O_NOFOLLOW descriptor, single-link files only. */
async function fileMetadataInPlace(root: TargetRoot, names: readonly Uint8Array[], m: RestorePlan["files"][number]["meta"], ctx: MetadataContext, path: string): Promise<void> {
  const dir = await root.dir(names.slice(0, -1));
  try {
    const handle = await fs.open(dir.at(names[names.length - 1]!), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new Error("is no longer a regular file");
      if (st.nlink > 1) throw new Error("has other names now (hard links), so its metadata is not changed in place");
      await applyToFd(handle.fd, m, ctx, path);
    } finally {
      await handle.close();
    }
  } finally {
    dir.release();
  }
}

/** The inode of a link target the plan kept as it was (it matched), if it is still not a directory. */
async function keptInode(root: TargetRoot, names: readonly Uint8Array[]): Promise<Inode | undefined> {
  const dir = await root.dir(names.slice(0, -1)).catch(() => null);
  if (!dir) return undefined;
  try {
    const st = await TargetRoot.lstat(dir, names[names.length - 1]!);
    return st && !st.isDirectory() ? { ino: st.ino, dev: st.dev } : undefined;
  } finally {
    dir.release();
  }
}
