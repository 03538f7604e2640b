// The executor's side of the whole-file writer threads (wholeFileWorker.ts). Restoring tens of
// thousands of small files is mostly syscalls — create, write, chown, chmod, utimes, close,
// rename: 4.6 s of a 13 s restore of the large corpus, all on the main thread, which also
// authenticated, decompressed and verified every blob. Here files made of one blob go to writer
// threads (one per core, up to 4; a directory's files always to the same one) that make those
// calls — and, for blobs handed over as their stored bytes, decompress and verify them first —
// while the main thread goes on decrypting the next blobs.
//
// Files are batched per event-loop turn (at most BATCH_FILES files or BATCH_BYTES bytes per
// thread, their data copied into one transferred slab), so a message costs little per file. The
// caller holds the file's directory descriptor until its result arrives, and every result
// arrives before `close()` resolves; a crashed thread fails the files it had.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../../internal/workerEntry.js";
import type { WholeFileInit, WholeFileReply, WholeFileResult, WholeFileTask } from "./wholeFileProtocol.js";

const BATCH_FILES = 64;
const BATCH_BYTES = 4 * 1024 * 1024;

type Pending = { resolve: (r: WholeFileResult) => void }[];

/** A file to write whole, with its data (copied at once: the caller may reuse it). */
export type WholeFileInput = Omit<WholeFileTask, "dataAt" | "length"> & { readonly data: Uint8Array };

/** Files waiting to be sent to one thread, and that thread once started. */
interface Lane {
  worker: Worker | undefined;
  tasks: WholeFileTask[];
  datas: Uint8Array[];
  waiting: Pending;
  bytes: number;
  /** Batches sent and not yet answered. */
  busy: number;
}

export class WholeFileWriter {
  private readonly lanes: Lane[];

  /**
   * @param blobIdKey the repository's blob-ID key (taken over: wiped on close), or null if no
   *   stored blobs will be written.
   * @param threads writer threads (each started when it first has work). A directory's files all
   *   go to the same thread: creating files in one directory from several threads only makes
   *   them wait for each other (the directory's lock); different directories go in parallel.
   */
  constructor(
    private readonly blobIdKey: Uint8Array | null,
    threads = Math.max(1, Math.min(4, availableParallelism())),
  ) {
    this.lanes = Array.from({ length: threads }, () => ({ worker: undefined, tasks: [], datas: [], waiting: [], bytes: 0, busy: 0 }));
  }

  private failure: string | undefined;
  private scheduled = false;
  private nextBatch = 1;
  private readonly inFlight = new Map<number, Pending>();

  /** Writes one file; resolves with its outcome (never rejects). */
  write(input: WholeFileInput): Promise<WholeFileResult> {
    if (this.failure !== undefined) return Promise.resolve({ ok: false, message: this.failure });
    const { data, ...task } = input;
    const lane = this.lanes[task.dirFd % this.lanes.length]!;
    return new Promise((resolve) => {
      lane.tasks.push({ ...task, dataAt: lane.bytes, length: data.length });
      lane.datas.push(data);
      lane.waiting.push({ resolve });
      lane.bytes += data.length;
      if (lane.tasks.length >= BATCH_FILES || lane.bytes >= BATCH_BYTES) this.flush(lane);
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          for (const l of this.lanes) this.flush(l);
        });
      }
    });
  }

  private start(lane: Lane): Worker {
    const key = this.blobIdKey === null ? null : this.blobIdKey.slice();
    const workerData: WholeFileInit = { blobIdKey: key };
    const worker = new Worker(workerEntry("./wholeFileWorker.js", import.meta.url), { workerData, transferList: key ? [key.buffer as ArrayBuffer] : [], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.on("message", ({ batch, results }: WholeFileReply) => {
      const pending = this.inFlight.get(batch);
      this.inFlight.delete(batch);
      if (--lane.busy === 0) worker.unref();
      pending?.forEach((p, i) => p.resolve(results[i]!));
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

  private flush(lane: Lane): void {
    if (lane.tasks.length === 0) return;
    const { tasks, datas, waiting } = lane;
    const slab = new Uint8Array(lane.bytes);
    lane.tasks = [];
    lane.datas = [];
    lane.waiting = [];
    lane.bytes = 0;
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
    lane.worker ??= this.start(lane);
    lane.busy++;
    lane.worker.ref();
    lane.worker.postMessage({ batch, tasks, slab }, [slab.buffer]);
  }

  /** Stops the threads once every written file has its result. */
  async close(): Promise<void> {
    for (const lane of this.lanes) this.flush(lane);
    while (this.inFlight.size > 0) await new Promise((resolve) => setImmediate(resolve));
    this.failure ??= "the restore has finished";
    this.blobIdKey?.fill(0);
    await Promise.all(this.lanes.map((lane) => lane.worker?.terminate()));
    for (const lane of this.lanes) lane.worker = undefined;
  }
}
