// The executor's side of the whole-file writer threads (wholeFileWorker.ts). Restoring tens of
// thousands of small files is mostly syscalls — create, write, chown, chmod, utimes, close,
// rename: 4.6 s of a 13 s restore of the large corpus, all on the main thread, which also
// authenticated, decompressed and verified every blob. Here files made of one blob go to writer
// threads (two at most, the second started when the first is busy) that make those
// calls — and, for blobs handed over as their stored bytes, decompress and verify them first —
// while the main thread goes on decrypting the next blobs.
//
// Files are batched per event-loop turn (at most BATCH_FILES files or BATCH_BYTES bytes, their
// data copied into one transferred slab, sent to the least busy thread), so a message costs
// little per file. The caller holds the file's directory descriptor until its result arrives,
// and every result arrives before `close()` resolves; a crashed thread fails the files it had.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../../internal/workerEntry.js";
import type { WholeFileInit, WholeFileReply, WholeFileResult, WholeFileTask } from "./wholeFileProtocol.js";

const BATCH_FILES = 64;
const BATCH_BYTES = 4 * 1024 * 1024;

type Pending = { resolve: (r: WholeFileResult) => void }[];

/** A file to write whole, with its data (copied into the batch's slab when the batch is sent, within the event-loop turn: it must not change before). */
export type WholeFileInput = Omit<WholeFileTask, "dataAt" | "length"> & { readonly data: Uint8Array };

interface Thread {
  readonly worker: Worker;
  /** Batches sent and not yet answered. */
  busy: number;
}

export class WholeFileWriter {
  /**
   * @param blobIdKey the repository's blob-ID key (taken over: wiped on close), or null if no
   *   stored blobs will be written.
   * @param maxThreads writer threads, each started when the others are all busy. Two: creating
   *   files does not get faster with more threads here (measured: ~50 us per file with one, two
   *   or three threads, same directory or not — the file system serialises it), but a second
   *   thread decodes while the first waits in the kernel.
   */
  constructor(
    private readonly blobIdKey: Uint8Array | null,
    private readonly maxThreads = Math.max(1, Math.min(2, availableParallelism())),
  ) {}

  private readonly threads: Thread[] = [];
  private failure: string | undefined;
  private tasks: WholeFileTask[] = [];
  private datas: Uint8Array[] = [];
  private waiting: Pending = [];
  private bytes = 0;
  private scheduled = false;
  private nextBatch = 1;
  private readonly inFlight = new Map<number, Pending>();
  /** Called when the last batch in flight has its results (close() waits for it). */
  private drained: (() => void) | undefined;

  private settled(): void {
    if (this.inFlight.size > 0 || !this.drained) return;
    const resolve = this.drained;
    this.drained = undefined;
    resolve();
  }

  /** Writes one file; resolves with its outcome (never rejects). */
  write(input: WholeFileInput): Promise<WholeFileResult> {
    if (this.failure !== undefined) return Promise.resolve({ ok: false, message: this.failure });
    const { data, ...task } = input;
    return new Promise((resolve) => {
      this.tasks.push({ ...task, dataAt: this.bytes, length: data.length });
      this.datas.push(data);
      this.waiting.push({ resolve });
      this.bytes += data.length;
      if (this.tasks.length >= BATCH_FILES || this.bytes >= BATCH_BYTES) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private start(): Thread {
    const key = this.blobIdKey === null ? null : this.blobIdKey.slice();
    const workerData: WholeFileInit = { blobIdKey: key };
    const worker = new Worker(workerEntry("./wholeFileWorker.js", import.meta.url), { workerData, transferList: key ? [key.buffer as ArrayBuffer] : [], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    const thread: Thread = { worker, busy: 0 };
    worker.on("message", ({ batch, results }: WholeFileReply) => {
      const pending = this.inFlight.get(batch);
      this.inFlight.delete(batch);
      if (--thread.busy === 0) worker.unref();
      pending?.forEach((p, i) => p.resolve(results[i]!));
      this.settled();
    });
    const crashed = (why: string) => {
      this.failure ??= `the file writer thread stopped: ${why}`;
      for (const pending of this.inFlight.values()) for (const p of pending) p.resolve({ ok: false, message: this.failure });
      this.inFlight.clear();
      this.settled();
    };
    worker.on("error", (error: Error) => crashed(error.message));
    worker.on("exit", (code) => crashed(`exit code ${code}`));
    this.threads.push(thread);
    return thread;
  }

  /** The least busy thread; a new one while all are busy and there may be more. */
  private pick(): Thread {
    let best: Thread | undefined;
    for (const t of this.threads) if (!best || t.busy < best.busy) best = t;
    if (!best || (best.busy > 0 && this.threads.length < this.maxThreads)) return this.start();
    return best;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.tasks.length === 0) return;
    const { tasks, datas, waiting } = this;
    const slab = new Uint8Array(this.bytes);
    this.tasks = [];
    this.datas = [];
    this.waiting = [];
    this.bytes = 0;
    if (this.failure !== undefined) {
      for (const p of waiting) p.resolve({ ok: false, message: this.failure });
      return;
    }
    let at = 0;
    for (const d of datas) {
      slab.set(d, at);
      at += d.length;
    }
    const batch = this.nextBatch++;
    this.inFlight.set(batch, waiting);
    const thread = this.pick();
    thread.busy++;
    thread.worker.ref();
    thread.worker.postMessage({ batch, tasks, slab }, [slab.buffer]);
  }

  /** Stops the threads once every written file has its result. */
  async close(): Promise<void> {
    this.flush();
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.failure ??= "the restore has finished";
    this.blobIdKey?.fill(0);
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
