// The executor's side of the whole-file writer threads (wholeFileWorker.ts). Restoring tens of
// thousands of small files is mostly syscalls — create, write, chown, chmod, utimes, close,
// rename: 4.6 s of a 13 s restore of the large corpus, all on the main thread, which also
// authenticates, decompresses and verifies every blob. Here files made of one blob go to a
// thread that makes those calls while the main thread goes on with the next blobs.
//
// Files are batched per event-loop turn (at most BATCH_FILES files or BATCH_BYTES bytes, their
// data copied into one transferred slab), so a message costs little per file. The caller holds
// the file's directory descriptor until its result arrives, and every result arrives before
// `close()` resolves; a crashed thread fails the files it had.
import { Worker } from "node:worker_threads";
import { workerEntry } from "../../internal/workerEntry.js";
import type { WholeFileReply, WholeFileResult, WholeFileTask } from "./wholeFileProtocol.js";

const BATCH_FILES = 64;
const BATCH_BYTES = 4 * 1024 * 1024;

type Pending = { resolve: (r: WholeFileResult) => void }[];

/** A file to write whole, with its data (copied at once: the caller may reuse it). */
export type WholeFileInput = Omit<WholeFileTask, "dataAt" | "length"> & { readonly data: Uint8Array };

export class WholeFileWriter {
  private worker: Worker | undefined;
  private failure: string | undefined;
  private tasks: WholeFileTask[] = [];
  private datas: Uint8Array[] = [];
  private waiting: Pending = [];
  private bytes = 0;
  private scheduled = false;
  private nextBatch = 1;
  private readonly inFlight = new Map<number, Pending>();

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

  private start(): Worker {
    const worker = new Worker(workerEntry("./wholeFileWorker.js", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.on("message", ({ batch, results }: WholeFileReply) => {
      const pending = this.inFlight.get(batch);
      this.inFlight.delete(batch);
      pending?.forEach((p, i) => p.resolve(results[i]!));
      if (this.inFlight.size === 0) worker.unref();
    });
    const crashed = (why: string) => {
      this.failure ??= `the file writer thread stopped: ${why}`;
      for (const pending of this.inFlight.values()) for (const p of pending) p.resolve({ ok: false, message: this.failure });
      this.inFlight.clear();
    };
    worker.on("error", (error: Error) => crashed(error.message));
    worker.on("exit", (code) => crashed(`exit code ${code}`));
    return worker;
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
    this.worker ??= this.start();
    this.worker.ref();
    this.worker.postMessage({ batch, tasks, slab }, [slab.buffer]);
  }

  /** Stops the thread once every written file has its result. */
  async close(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await new Promise((resolve) => setImmediate(resolve));
    const worker = this.worker;
    this.worker = undefined;
    this.failure ??= "the restore has finished";
    if (worker) await worker.terminate();
  }
}
