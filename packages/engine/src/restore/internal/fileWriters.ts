// Writing restored files. Each file is built under a temporary name in its final directory
// (created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600), receives its data ranges in whatever order the
// blobs arrive (positional writes; the gaps between them stay holes, and a trailing hole is made
// by truncating to the size), gets its metadata through its descriptor, and only then is renamed
// over its final name. So a final name only ever holds a complete, verified file — after a
// crash, a kill or a failed blob, what is left is at most a temporary file, which the next run
// removes.
//
// Open descriptors are bounded: a file waiting for its next blob may have its descriptor closed
// (its inode is noted first); it is reopened with O_NOFOLLOW and checked to be the same inode
// when the blob arrives. Raw descriptors and the callback API are used rather than FileHandle:
// with tens of thousands of small files, FileHandle's bookkeeping cost more than the syscalls.
import * as fsc from "node:fs";
import { promisify } from "node:util";
import type { BlobCoding } from "@cairn/repository";
import type { PlannedFile } from "@cairn/restore-planner";
import { applyToFd, metadataTimes, type MetadataContext } from "./applyMetadata.js";
import { tempName } from "./planPaths.js";
import { describeFsError, type DirLease, type TargetRoot } from "./targetRoot.js";
import type { WholeFileResult } from "./wholeFileProtocol.js";
import { WholeFileWriter } from "./wholeFileWriter.js";

const open = promisify(fsc.open);
const close = promisify(fsc.close);
const write = (fd: number, buffer: Uint8Array, offset: number, length: number, position: number) =>
  new Promise<number>((resolve, reject) => fsc.write(fd, buffer, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
const ftruncate = promisify(fsc.ftruncate);
const fstat = (fd: number) => new Promise<fsc.BigIntStats>((resolve, reject) => fsc.fstat(fd, { bigint: true }, (e, st) => (e ? reject(e) : resolve(st))));
const unlink = promisify(fsc.unlink);
const rename = promisify(fsc.rename);

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fsc.constants;
const CREATE = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
const REOPEN = O_WRONLY | O_NOFOLLOW;
const MAX_OPEN_FILES = 64;
const EFFECTIVE_OWNER = typeof process.geteuid === "function" ? { uid: process.geteuid(), gid: process.getegid!() } : undefined;

export interface FileEvents {
  fail(path: string, message: string, cause?: unknown): void;
  wrote(bytes: number): void;
  fileDone(): void;
}

interface Job {
  readonly index: number;
  readonly file: PlannedFile;
  readonly names: readonly Uint8Array[];
  readonly temp: Uint8Array;
  pending: number;
  fd: number | undefined;
  opening: Promise<number> | undefined;
  users: number;
  created: boolean;
  /** Set while an idle descriptor is being closed (its inode noted first). */
  closing: Promise<void> | undefined;
  /** Inode of the temporary file, noted before its descriptor is first closed. */
  inode: { ino: bigint; dev: bigint } | undefined;
  state: "open" | "failed" | "done";
}

/** Where a completed file's inode is (for hard links to it). */
export interface DoneFile {
  readonly ino: bigint;
  readonly dev: bigint;
}

export class FileWriters {
  private readonly jobs = new Map<number, Job>();
  private readonly withFds = new Set<Job>();
  /** Writes files made of one blob on another thread (writeWhole). */
  private readonly whole: WholeFileWriter;
  /** Inodes of completed files that hard links point to (`linkTargets`). */
  readonly done = new Map<number, DoneFile>();

  constructor(
    private readonly root: TargetRoot,
    private readonly files: readonly PlannedFile[],
    private readonly names: (index: number) => readonly Uint8Array[],
    private readonly meta: MetadataContext,
    private readonly events: FileEvents,
    /** Files other names will be hard-linked to: their inode is recorded. */
    private readonly linkTargets: ReadonlySet<number> = new Set(),
    /**
     * Directories this run created (plan paths): they are 0700 and not setgid while it runs, so
     * a file created in them is owned by our effective uid and gid, and chown can be skipped
     * when that is already the snapshot's owner.
     */
    private readonly createdDirs: ReadonlySet<string> = new Set(),
    /** The repository's blob-ID key, for the writer thread to verify stored blobs with (taken over). */
    blobIdKey: Uint8Array | null = null,
  ) {
    this.whole = new WholeFileWriter(blobIdKey);
  }

  private ownerAtCreation(job: Job): { uid: number; gid: number } | undefined {
    const slash = job.file.path.lastIndexOf("/");
    if (slash < 0 || !this.createdDirs.has(job.file.path.slice(0, slash))) return undefined;
    return EFFECTIVE_OWNER;
  }

  private job(index: number): Job {
    let job = this.jobs.get(index);
    if (!job) {
      const file = this.files[index]!;
      const names = this.names(index);
      job = { index, file, names, temp: tempName(names[names.length - 1]!), pending: file.writes.length, fd: undefined, opening: undefined, closing: undefined, users: 0, created: false, inode: undefined, state: "open" };
      this.jobs.set(index, job);
    }
    return job;
  }

  /** True if the file can still be completed. */
  alive(index: number): boolean {
    const job = this.jobs.get(index);
    return !job || job.state === "open";
  }

  /** Writes `data` as write `w` of file `index`; completes the file after its last write. */
  async write(index: number, w: number, data: Uint8Array): Promise<void> {
    const job = this.job(index);
    if (job.state !== "open") return;
    const planned = job.file.writes[w]!;
    if (data.length !== planned.length) {
      await this.fail(index, `blob ${planned.blob} has ${data.length} bytes, but the snapshot says ${planned.length}`);
      return;
    }
    if (this.isWholeJob(job)) return this.writeWhole(job, { data, coding: null });
    try {
      const fd = await this.acquire(job);
      try {
        for (let done = 0; done < data.length; ) {
          const n = await write(fd, data, done, data.length - done, planned.offset + done);
          if (n <= 0) throw new Error("the file system accepted no bytes");
          done += n;
        }
      } finally {
        job.users--;
      }
    } catch (error) {
      await this.fail(index, `cannot write: ${describeFsError(error)}`, error);
      return;
    }
    this.events.wrote(data.length);
    if (--job.pending === 0) await this.finish(job);
  }

  private isWholeJob(job: Job): boolean {
    return job.file.writes.length === 1 && !job.created && job.file.meta.xattrs.length === 0;
  }

  /**
   * True if file `index` is still to be written and will be written whole (one blob, no xattrs),
   * so it can take the blob's stored bytes (`writeStored`).
   */
  takesStored(index: number): boolean {
    const job = this.job(index);
    return job.state === "open" && this.isWholeJob(job);
  }

  /**
   * Writes write `w` of file `index` (see `takesStored`) from the blob's authenticated stored
   * bytes: the writer thread decodes them and verifies the plaintext against the blob's ID
   * before writing it; a blob that does not verify fails the file with the repository's message.
   */
  async writeStored(index: number, w: number, coding: BlobCoding, stored: Uint8Array): Promise<void> {
    const job = this.job(index);
    if (job.state !== "open") return;
    const planned = job.file.writes[w]!;
    if (coding.rawLength !== planned.length) {
      await this.fail(index, `blob ${planned.blob} has ${coding.rawLength} bytes, but the snapshot says ${planned.length}`);
      return;
    }
    if (!this.isWholeJob(job)) throw new Error("writeStored: the file is not written whole");
    return this.writeWhole(job, { data: stored, coding });
  }

  /** Completes a file that has no data to write (empty, or only holes). */
  async writeEmpty(index: number): Promise<void> {
    const job = this.job(index);
    if (job.state !== "open") return;
    try {
      await this.acquire(job);
      job.users--;
    } catch (error) {
      await this.fail(index, `cannot create: ${describeFsError(error)}`, error);
      return;
    }
    await this.finish(job);
  }

  /**
   * The small-file fast path: a file made of one blob (its plaintext, or its stored bytes to
   * decode and verify there) is created, written, given its metadata and renamed by the
   * whole-file writer thread (wholeFileWriter.ts) in one run of synchronous
   * syscalls — the same calls, in the same order, as the general path — while this thread goes
   * on with the next blobs. The directory stays leased until the thread has answered.
   */
  private async writeWhole(job: Job, { data, coding }: { data: Uint8Array; coding: BlobCoding | null }): Promise<void> {
    let dir: DirLease;
    try {
      dir = await this.root.dir(job.names.slice(0, -1));
    } catch (error) {
      await this.fail(job.index, `cannot write: ${describeFsError(error)}`, error);
      return;
    }
    const meta = job.file.meta;
    const owner = this.ownerAtCreation(job);
    const [atime, mtime] = metadataTimes(meta);
    // job.created stays false: the thread owns the temporary file and removes it if it fails.
    let result: WholeFileResult;
    try {
      result = await this.whole.write({
        dirFd: dir.fd,
        temp: job.temp,
        name: job.names[job.names.length - 1]!,
        offset: job.file.writes[0]!.offset,
        size: job.file.size,
        data,
        coding: coding && { id: coding.id, packId: coding.packId, codec: coding.codec, rawLength: coding.rawLength },
        wantInode: this.linkTargets.has(job.index),
        chown: this.meta.owners && !(owner && owner.uid === meta.uid && owner.gid === meta.gid) ? { uid: meta.uid, gid: meta.gid } : null,
        mode: meta.mode,
        atime,
        mtime,
      });
    } finally {
      dir.release();
    }
    if (!result.ok) {
      await this.fail(job.index, result.corrupt ? result.message : `cannot write: ${result.message}`);
      return;
    }
    for (const [what, why] of result.warnings) this.meta.warn(job.file.path, `could not set ${what}: ${why}`);
    if (result.ino !== undefined && result.dev !== undefined) this.done.set(job.index, { ino: result.ino, dev: result.dev });
    job.pending = 0;
    job.state = "done";
    this.jobs.delete(job.index);
    this.events.wrote(job.file.writes[0]!.length);
    this.events.fileDone();
  }

  private async acquire(job: Job): Promise<number> {
    if (job.closing) await job.closing;
    if (job.fd === undefined) {
      job.opening ??= this.open(job).finally(() => (job.opening = undefined));
      const fd = await job.opening;
      if (job.state === "failed") throw new Error("the file was abandoned");
      if (job.fd === undefined) {
        job.fd = fd;
        this.withFds.add(job);
      }
    } else {
      this.withFds.delete(job); // most recently used last
      this.withFds.add(job);
    }
    job.users++;
    void this.closeIdle();
    return job.fd;
  }

  private async open(job: Job): Promise<number> {
    const dir = await this.root.dir(job.names.slice(0, -1));
    try {
      const at = dir.at(job.temp);
      if (!job.created) {
        let fd: number;
        try {
          fd = await open(at, CREATE, 0o600);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          await unlink(at); // left by an earlier, interrupted run (unlink removes the name, never follows it)
          fd = await open(at, CREATE, 0o600);
        }
        job.created = true;
        return fd;
      }
      const fd = await open(at, REOPEN);
      const st = await fstat(fd);
      if (!job.inode || st.ino !== job.inode.ino || st.dev !== job.inode.dev) {
        await close(fd);
        throw new Error("the temporary file was replaced by something else while the restore ran");
      }
      return fd;
    } finally {
      dir.release();
    }
  }

  private async closeIdle(): Promise<void> {
    if (this.withFds.size <= MAX_OPEN_FILES) return;
    for (const job of [...this.withFds]) {
      if (this.withFds.size <= MAX_OPEN_FILES) break;
      if (job.users > 0 || job.fd === undefined) continue;
      const fd = job.fd;
      job.fd = undefined;
      this.withFds.delete(job);
      job.closing = (async () => {
        try {
          if (!job.inode) {
            const st = await fstat(fd);
            job.inode = { ino: st.ino, dev: st.dev };
          }
        } catch {
          // Without its inode it cannot be reopened safely: the next write fails it.
        } finally {
          await close(fd).catch(() => undefined);
          job.closing = undefined;
        }
      })();
      await job.closing;
    }
  }

  private async finish(job: Job): Promise<void> {
    const path = job.file.path;
    try {
      const fd = await this.acquire(job);
      try {
        const writes = job.file.writes;
        const end = writes.length === 0 ? 0 : writes[writes.length - 1]!.offset + writes[writes.length - 1]!.length;
        if (end < job.file.size) await ftruncate(fd, job.file.size); // a trailing hole (earlier ones are already holes)
        if (this.linkTargets.has(job.index)) {
          const st = await fstat(fd);
          this.done.set(job.index, { ino: st.ino, dev: st.dev });
        }
        await applyToFd(fd, job.file.meta, this.meta, path, this.ownerAtCreation(job));
      } finally {
        job.users--;
      }
      job.fd = undefined;
      this.withFds.delete(job);
      await close(fd);
      const dir = await this.root.dir(job.names.slice(0, -1));
      try {
        await rename(dir.at(job.temp), dir.at(job.names[job.names.length - 1]!));
      } finally {
        dir.release();
      }
    } catch (error) {
      this.done.delete(job.index);
      await this.fail(job.index, `cannot complete: ${describeFsError(error)}`, error);
      return;
    }
    job.state = "done";
    this.jobs.delete(job.index); // done: no write can come for it any more
    this.events.fileDone();
  }

  /** Gives up file `index` before it started, without reporting it (the caller already did). */
  abandon(index: number): void {
    const job = this.job(index);
    if (job.state === "open" && !job.created) job.state = "failed";
  }

  /** Abandons file `index`: it is reported, and its temporary file removed. */
  async fail(index: number, message: string, cause?: unknown): Promise<void> {
    const job = this.job(index);
    if (job.state !== "open") return;
    job.state = "failed";
    this.events.fail(job.file.path, message, cause);
    await this.discard(job);
  }

  private async discard(job: Job): Promise<void> {
    const fd = job.fd ?? (await job.opening?.catch(() => undefined));
    job.fd = undefined;
    this.withFds.delete(job);
    if (fd !== undefined) await close(fd).catch(() => undefined);
    if (!job.created) return;
    const dir = await this.root.dir(job.names.slice(0, -1)).catch(() => undefined);
    if (!dir) return;
    await unlink(dir.at(job.temp)).catch(() => undefined);
    dir.release();
  }

  /** Stops every unfinished file and removes its temporary file (on abort). */
  async abandonAll(): Promise<void> {
    for (const job of this.jobs.values()) {
      if (job.state !== "open") continue;
      job.state = "failed";
      await this.discard(job);
    }
  }

  /** Closes what is still open (after everything finished), and stops the writer thread. */
  async close(): Promise<void> {
    await this.whole.close();
    for (const job of this.withFds) if (job.fd !== undefined) await close(job.fd).catch(() => undefined);
    this.withFds.clear();
  }
}
