// Files of one directory gathered into batches for the workers: up to BATCH_FILES small files
// or BATCH_BYTES bytes per batch, one request and one reply each (see worker/protocol.ts). A
// large or sparse file is a batch of its own. Each batch takes a permit from the walk's
// semaphore while it is in flight, which is what bounds the work (and memory) in flight.
import type { BinaryPath } from "../internal/binaryPath.js";
import type { Semaphore } from "../internal/semaphore.js";
import type { FileResult, FileToRead } from "./worker/protocol.js";
import type { WorkerPool } from "./workerPool.js";

export const BATCH_FILES = 32;
export const BATCH_BYTES = 4 * 1024 * 1024;

export class FileBatch {
  private files: FileToRead[] = [];
  private waiters: { done(r: FileResult): void; fail(e: unknown): void }[] = [];
  private bytes = 0;

  constructor(
    private readonly dir: BinaryPath,
    private readonly pool: WorkerPool,
    private readonly permits: Semaphore,
    private readonly smallLimit: number,
  ) {}

  private large = false;

  /** Queues `file`; `done` gets its result once the batch it is in has been read. */
  add(file: FileToRead, done: (r: FileResult) => void, fail: (e: unknown) => void): void {
    this.waiters.push({ done, fail });
    this.files.push(file);
    this.bytes += file.size;
    if (file.size >= this.smallLimit || file.sparse) this.large = true;
  }

  /** True if the batch should be sent now (it is full, or holds a large file). */
  get full(): boolean {
    return this.large || this.files.length >= BATCH_FILES || this.bytes >= BATCH_BYTES;
  }

  /** Sends what is queued (waiting for a permit first). */
  async send(): Promise<void> {
    if (this.files.length === 0) return;
    const files = this.files;
    const waiters = this.waiters;
    this.files = [];
    this.waiters = [];
    this.bytes = 0;
    this.large = false;
    const wait = this.permits.acquire();
    if (wait) await wait;
    this.pool.readFiles(this.dir, files).then(
      (m) => {
        this.permits.release();
        m.results.forEach((r, i) => waiters[i]!.done(r));
      },
      (error: unknown) => {
        this.permits.release();
        for (const w of waiters) w.fail(error);
      },
    );
  }
}
