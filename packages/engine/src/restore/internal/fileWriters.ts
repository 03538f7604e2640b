// Writing restored files. Each file is built under a temporary name in its final directory
// (created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, truncated to its size at once so holes stay
// holes), receives its data ranges in whatever order the blobs arrive, gets its metadata through
// its descriptor, and only then is renamed over its final name. So a final name only ever holds
// a complete, verified file — after a crash, a kill or a failed blob, what is left is at most a
// temporary file, which the next run removes.
//
// Open descriptors are bounded: a file waiting for its next blob may have its descriptor closed;
// it is reopened (O_NOFOLLOW, and checked to be the same inode) when the blob arrives.
import { constants, promises as fs } from "node:fs";
import type { PlannedFile } from "@cairn/restore-planner";
import { applyToFd, type MetadataContext } from "./applyMetadata.js";
import { tempName } from "./planPaths.js";
import { describeFsError, type TargetRoot } from "./targetRoot.js";

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const REOPEN = constants.O_WRONLY | constants.O_NOFOLLOW;
const MAX_OPEN_FILES = 64;

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
  handle: fs.FileHandle | undefined;
  opening: Promise<fs.FileHandle> | undefined;
  users: number;
  created: boolean;
  ino: bigint;
  dev: bigint;
  state: "open" | "failed" | "done";
}

/** Where a completed file's inode is (for hard links to it). */
export interface DoneFile {
  readonly ino: bigint;
  readonly dev: bigint;
}

export class FileWriters {
  private readonly jobs = new Map<number, Job>();
  private readonly withHandles = new Set<Job>();
  readonly done = new Map<number, DoneFile>();

  constructor(
    private readonly root: TargetRoot,
    private readonly files: readonly PlannedFile[],
    private readonly names: readonly (readonly Uint8Array[])[],
    private readonly meta: MetadataContext,
    private readonly events: FileEvents,
  ) {}

  private job(index: number): Job {
    let job = this.jobs.get(index);
    if (!job) {
      const file = this.files[index]!;
      const names = this.names[index]!;
      job = { index, file, names, temp: tempName(names[names.length - 1]!), pending: file.writes.length, handle: undefined, opening: undefined, users: 0, created: false, ino: 0n, dev: 0n, state: "open" };
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
    const write = job.file.writes[w]!;
    if (data.length !== write.length) {
      await this.fail(index, `blob ${write.blob} has ${data.length} bytes, but the snapshot says ${write.length}`);
      return;
    }
    try {
      const handle = await this.acquire(job);
      try {
        for (let done = 0; done < data.length; ) {
          const { bytesWritten } = await handle.write(data, done, data.length - done, write.offset + done);
          if (bytesWritten <= 0) throw new Error("the file system accepted no bytes");
          done += bytesWritten;
        }
      } finally {
        this.releaseHandle(job);
      }
    } catch (error) {
      await this.fail(index, `cannot write: ${describeFsError(error)}`, error);
      return;
    }
    this.events.wrote(data.length);
    if (--job.pending === 0) await this.finish(job);
  }

  /** Completes a file that has no data to write (empty, or only holes). */
  async writeEmpty(index: number): Promise<void> {
    const job = this.job(index);
    if (job.state !== "open") return;
    try {
      await this.acquire(job);
      this.releaseHandle(job);
    } catch (error) {
      await this.fail(index, `cannot create: ${describeFsError(error)}`, error);
      return;
    }
    await this.finish(job);
  }

  private async acquire(job: Job): Promise<fs.FileHandle> {
    if (job.handle) {
      job.users++;
      this.withHandles.delete(job);
      this.withHandles.add(job);
      return job.handle;
    }
    job.opening ??= this.open(job).finally(() => (job.opening = undefined));
    const handle = await job.opening;
    if (job.state === "failed") throw new Error("the file was abandoned");
    job.handle = handle;
    job.users++;
    this.withHandles.add(job);
    void this.closeIdle();
    return handle;
  }

  private releaseHandle(job: Job): void {
    job.users--;
  }

  private async open(job: Job): Promise<fs.FileHandle> {
    const dir = await this.root.dir(job.names.slice(0, -1));
    try {
      const at = dir.at(job.temp);
      if (!job.created) {
        let handle: fs.FileHandle;
        try {
          handle = await fs.open(at, CREATE, 0o600);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          await fs.unlink(at); // left by an earlier, interrupted run (never followed: unlink removes the name)
          handle = await fs.open(at, CREATE, 0o600);
        }
        await handle.truncate(job.file.size);
        const st = await handle.stat({ bigint: true });
        job.ino = st.ino;
        job.dev = st.dev;
        job.created = true;
        return handle;
      }
      const handle = await fs.open(at, REOPEN);
      const st = await handle.stat({ bigint: true });
      if (st.ino !== job.ino || st.dev !== job.dev) {
        await handle.close();
        throw new Error("the temporary file was replaced by something else while the restore ran");
      }
      return handle;
    } finally {
      dir.release();
    }
  }

  private async closeIdle(): Promise<void> {
    if (this.withHandles.size <= MAX_OPEN_FILES) return;
    for (const job of [...this.withHandles]) {
      if (this.withHandles.size <= MAX_OPEN_FILES) break;
      if (job.users > 0 || !job.handle) continue;
      const handle = job.handle;
      job.handle = undefined;
      this.withHandles.delete(job);
      await handle.close().catch(() => undefined);
    }
  }

  private async finish(job: Job): Promise<void> {
    const path = job.file.path;
    try {
      const handle = await this.acquire(job);
      try {
        await applyToFd(handle.fd, job.file.meta, this.meta, path);
      } finally {
        this.releaseHandle(job);
      }
      job.handle = undefined;
      this.withHandles.delete(job);
      await handle.close();
      const dir = await this.root.dir(job.names.slice(0, -1));
      try {
        await fs.rename(dir.at(job.temp), dir.at(job.names[job.names.length - 1]!));
      } finally {
        dir.release();
      }
    } catch (error) {
      await this.fail(job.index, `cannot complete: ${describeFsError(error)}`, error);
      return;
    }
    job.state = "done";
    this.done.set(job.index, { ino: job.ino, dev: job.dev });
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
    const handle = job.handle ?? (await job.opening?.catch(() => undefined));
    job.handle = undefined;
    this.withHandles.delete(job);
    await handle?.close().catch(() => undefined);
    if (!job.created) return;
    const dir = await this.root.dir(job.names.slice(0, -1)).catch(() => undefined);
    if (!dir) return;
    await fs.unlink(dir.at(job.temp)).catch(() => undefined);
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

  /** Closes what is still open (after everything finished). */
  async close(): Promise<void> {
    for (const job of this.withHandles) await job.handle?.close().catch(() => undefined);
    this.withHandles.clear();
  }
}
