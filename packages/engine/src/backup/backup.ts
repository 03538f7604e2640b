// `backup`: one snapshot of the selected files, incremental against a parent snapshot.
//
// Who does what: worker threads list directories and read, chunk, hash and compress files; this
// thread walks (walker.ts), builds trees, and owns the repository's pack writer, which seals
// blobs (AES-256-GCM, native) into packs and uploads them in the background. Order of writes is
// the repository's: data and tree blobs, then index, then the snapshot (saveSnapshot).
//
// Resuming: every `checkpointIntervalMs` the pack writer is flushed and the index written, so
// the data of a backup that is killed is already indexed up to the last checkpoint; the next
// backup of the same paths dedupes against it and uploads only what had not landed. On abort
// (the signal) the same flush happens before the abort is reported.
import { hostname } from "node:os";
import { LIMITS, type Snapshot, type SnapshotId } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";
import { Buffer } from "node:buffer";
import { availableParallelism } from "node:os";
import { toBuffer } from "../internal/binaryPath.js";
import { ErrorLog } from "./errorLog.js";
import type { BackupOptions, BackupResult } from "./options.js";
import { loadOwnerNames } from "./owners.js";
import { latestMatching } from "./parent.js";
import { ProgressTracker } from "./progress.js";
import { canonicalRoots, rootTrie } from "./roots.js";
import { compileSelection, SelectionError } from "./selection.js";
import { TreeSaver } from "./treeSaver.js";
import { ENGINE_VERSION } from "./version.js";
import { Walker } from "./walker.js";
import { WorkerPool } from "./workerPool.js";
import { findReaderPython, XattrReader } from "./xattrReader.js";
import { statEntry } from "./worker/listDir.js";

/** Bytes of blobs one worker may have handed over and not yet seen packed. */
const CREDIT_BYTES = 8 * 1024 * 1024;
/** Batches of files in flight per worker (one being read, the others queued behind it). */
const BATCHES_PER_WORKER = 4;

function checkLabel(field: string, value: string, max: number): string {
  if (typeof value !== "string") throw new TypeError(`${field}: expected a string, got ${typeof value}`);
  const bytes = Buffer.byteLength(value);
  if (bytes < 1 || bytes > max) throw new RangeError(`${field}: expected 1..${max} bytes of UTF-8, got ${bytes}`);
  return value;
}

function normalizeTags(tags: readonly string[] | undefined): string[] {
  const list = [...new Set((tags ?? []).map((t, i) => checkLabel(`tags[${i}]`, t, LIMITS.maxLabelBytes)))];
  if (list.length > LIMITS.maxTags) throw new RangeError(`tags: at most ${LIMITS.maxTags}, got ${list.length}`);
  return list.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function abortPromise(signal: AbortSignal | undefined): Promise<never> | null {
  if (!signal) return null;
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/**
 * Backs up the selected files and folders into `repo` as one snapshot.
 *
 * Entries that cannot be read, vanish, or change while being read do not fail the backup: they
 * are reported in `result.errors` (and the snapshot's `errorCount`/`errors`), and the snapshot
 * "completed with errors".
 * @throws {SelectionError} if the paths, selection or patterns are invalid, or none of the
 *   selected paths exists.
 * @throws {TypeError|RangeError} on a malformed host, tag, agent/configuration ID or option.
 * @throws `options.signal.reason` if aborted (stored data is flushed and indexed first).
 * @throws repository and storage errors (e.g. StorageUnavailableError, LockLostError): nothing
 *   is recorded as a snapshot then; what was stored is indexed as far as possible.
 */
export async function backup(repo: Repository, options: BackupOptions): Promise<BackupResult> {
  const time = options.time ?? new Date();
  const selection = compileSelection(options, options.cwd ?? process.cwd());
  const host = checkLabel("host", options.host ?? hostname(), LIMITS.maxLabelBytes);
  const tags = normalizeTags(options.tags);
  const agentId = options.agentId == null ? null : checkLabel("agentId", options.agentId, LIMITS.maxIdTextBytes);
  const configurationId = options.configurationId == null ? null : checkLabel("configurationId", options.configurationId, LIMITS.maxIdTextBytes);
  const programVersion = checkLabel("programVersion", options.programVersion ?? `cairn-engine ${ENGINE_VERSION}`, LIMITS.maxIdTextBytes);
  const workers = options.workers ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new RangeError(`workers: expected an integer in 1..256, got ${workers}`);
  options.signal?.throwIfAborted();

  const errors = new ErrorLog();
  const warnings: string[] = [];
  const { roots, problems } = canonicalRoots(selection.roots);
  for (const p of problems) errors.add(p.path, p.kind, p.message);
  const present = roots.filter((r) => {
    const st = statEntry(toBuffer(r.path), "x");
    if (!("kind" in st)) return true;
    errors.add(r.path, st.kind, st.message);
    return false;
  });
  if (present.length === 0) {
    throw new SelectionError(errors.kept.map((e) => ({ rule: "malformed", path: e.path, message: `${e.path}: ${e.message}` })));
  }
  const paths = [...new Set([...roots.map((r) => r.path), ...problems.map((p) => p.path)])].sort().map((p) => new Uint8Array(toBuffer(p)));

  // The parent snapshot.
  let parent: { id: SnapshotId; snapshot: Snapshot } | null = null;
  if (options.parent === undefined || options.parent === "latest") parent = latestMatching(await repo.listSnapshots(), host, paths);
  else if (options.parent !== null) parent = { id: options.parent, snapshot: await repo.loadSnapshot(options.parent) };

  const python = options.xattrs === false ? null : findReaderPython();
  if (options.xattrs !== false && python === null) warnings.push("extended attributes were not recorded: python3 (used to read them) was not found");
  const mainXattrs = python ? new XattrReader(python) : null;
  const trees = await TreeSaver.create(repo);
  await repo.ensureIndex();
  const pool = WorkerPool.start(repo, workers, { python, creditBytes: CREDIT_BYTES });
  const estimate = parent ? { files: parent.snapshot.stats.filesProcessed, bytes: Number(parent.snapshot.stats.bytesProcessed) } : { files: 0, bytes: 0 };
  const progress = new ProgressTracker(options.onProgress, estimate, () => ({ bytesAdded: pool.stats.bytesAdded + trees.bytesAdded, bytesStored: pool.stats.bytesStored + trees.bytesStored, errorCount: errors.count }), options.progressIntervalMs ?? 250);

  let checkpoint = null as Promise<void> | null;
  const timer = setInterval(() => {
    checkpoint ??= repo.flush().finally(() => (checkpoint = null));
    checkpoint.catch(() => undefined);
  }, options.checkpointIntervalMs ?? 15_000);
  timer.unref();

  const walker = new Walker({ repo, pool, selection: { ...selection, roots: present }, owners: loadOwnerNames(), progress, errors, warnings, trees, xattrs: mainXattrs, maxBatchesInFlight: workers * BATCHES_PER_WORKER, signal: options.signal });
  try {
    const racers: Promise<never>[] = [pool.failure()];
    const aborted = abortPromise(options.signal);
    if (aborted) racers.push(aborted);
    const tree = await Promise.race([
      walker.run(rootTrie(present), parent?.snapshot.tree ?? null, () => {
        progress.walkDone = true;
      }),
      ...racers,
    ]);
    progress.walkDone = true;
    progress.phase = "finishing";
    clearInterval(timer);
    await checkpoint;
    const snapshot: Snapshot = {
      timeNs: BigInt(time.getTime()) * 1_000_000n,
      host,
      agentId,
      configurationId,
      paths,
      tags,
      parent: parent?.id ?? null,
      tree,
      excludes: selection.patterns,
      programVersion,
      stats: {
        filesNew: progress.filesNew,
        filesChanged: progress.filesChanged,
        filesUnmodified: progress.filesUnmodified,
        ...walker.stats,
        dataBlobsAdded: pool.stats.dataBlobsAdded,
        treeBlobsAdded: trees.treeBlobsAdded,
        bytesAdded: BigInt(pool.stats.bytesAdded + trees.bytesAdded),
        bytesAddedStored: BigInt(pool.stats.bytesStored + trees.bytesStored),
        filesProcessed: progress.filesDone,
        bytesProcessed: BigInt(progress.bytesDone),
      },
      errorCount: errors.count,
      errors: errors.forSnapshot(),
    };
    const snapshotId = await repo.saveSnapshot(snapshot);
    progress.emit();
    return { snapshotId, snapshot, errors: errors.kept, warnings, parent: parent?.id ?? null };
  } catch (error) {
    clearInterval(timer);
    await pool.close();
    await checkpoint?.catch(() => undefined);
    await repo.flush().catch(() => undefined); // index what landed, so a rerun does not upload it again
    throw error;
  } finally {
    clearInterval(timer);
    progress.stop();
    await pool.close();
    trees.dispose();
    mainXattrs?.close();
  }
}
