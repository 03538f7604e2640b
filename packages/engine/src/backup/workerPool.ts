// The coordinator's side of the worker threads: starts them, spreads listing and file jobs over
// them, answers their dedupe queries, and feeds the blobs they produce to the repository's pack
// writer (`saveEncodedBlob`), acknowledging each once it is packed so a worker never has more
// than `creditBytes` in flight. A file's job resolves only after every blob it produced has been
// accepted by the writer, so a tree that names the file names only stored (or pending) blobs.
//
// Not guaranteed: any order between jobs. Callers sort what they build (trees are sorted by name).
import { Worker } from "node:worker_threads";
import type { BlobId } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";
import type { BinaryPath } from "../internal/binaryPath.js";
import { workerEntry } from "../internal/workerEntry.js";
import type { FileToRead, WorkerBatch, WorkerInit, WorkerMessage, WorkerRequest } from "./worker/protocol.js";

export type ListedMessage = WorkerMessage & { op: "listed" };
export type ReadMessage = WorkerMessage & { op: "read" };

/** Totals of what the workers' blobs added to the repository. */
export interface PoolStats {
  dataBlobsAdded: number;
  bytesAdded: number;
  bytesStored: number;
}

interface Job {
  readonly worker: PoolWorker;
  readonly weight: number;
  readonly saves: Promise<unknown>[];
  resolve(message: WorkerMessage): void;
}

interface PoolWorker {
  readonly thread: Worker;
  load: number;
  queue: WorkerRequest[];
  ackBytes: number;
  /** Resolved when the worker has answered `stop` (or exited). */
  stopped?: () => void;
}

/** Where the compiled worker entry lives (the dist build when running from TypeScript sources). */
export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;
  private flushScheduled = false;
  private failed: Error | undefined;
  private closing: Promise<void> | undefined;
  private failListeners: ((error: Error) => void)[] = [];
  readonly stats: PoolStats = { dataBlobsAdded: 0, bytesAdded: 0, bytesStored: 0 };

  private constructor(private readonly repo: Repository) {}

  /** Starts `count` workers for `repo`. */
  static start(repo: Repository, count: number, init: Omit<WorkerInit, "chunkerSecret" | "blobIdKey" | "chunker" | "compression">): WorkerPool {
    const pool = new WorkerPool(repo);
    const entry = workerEntry("./worker/backupWorker.js", import.meta.url);
    for (let i = 0; i < count; i++) {
      const data: WorkerInit = {
        ...init,
        chunkerSecret: repo.chunkerSecret(),
        blobIdKey: repo.blobIdKey(),
        chunker: { minSize: repo.config.chunker.minSize, avgSize: repo.config.chunker.avgSize, maxSize: repo.config.chunker.maxSize },
        compression: repo.config.compression,
      };
      const thread = new Worker(entry, {
        workerData: data,
        transferList: [data.chunkerSecret.buffer as ArrayBuffer, data.blobIdKey.buffer as ArrayBuffer],
        // A small young generation: workers allocate little that lives, and every MiB of
        // semi-space is resident memory (the default lets it grow to 16 MiB × 3 per thread).
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      });
      const worker: PoolWorker = { thread, load: 0, queue: [], ackBytes: 0 };
      thread.on("message", (batch: WorkerBatch) => {
        for (const m of batch.messages) pool.handle(worker, m);
        pool.scheduleFlush();
      });
      thread.on("error", (error: unknown) => pool.fail(new Error(`backup worker crashed: ${error instanceof Error ? error.stack ?? error.message : JSON.stringify(error) ?? String(error)}`)));
      thread.on("exit", (code) => {
        if (code !== 0) pool.fail(new Error(`backup worker exited with code ${code}`));
      });
      pool.workers.push(worker);
    }
    return pool;
  }

  /** Rejects when a worker or the repository fails; never resolves. */
  failure(): Promise<never> {
    const p = new Promise<never>((_, reject) => {
      if (this.failed) reject(this.failed);
      else this.failListeners.push(reject);
    });
    p.catch(() => undefined); // a failure after the backup settled is nobody's business
    return p;
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    for (const f of this.failListeners.splice(0)) f(error);
  }

  private pick(): PoolWorker {
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.load < best.load) best = w;
    return best;
  }

  private submit<T extends WorkerMessage>(weight: number, request: (job: number) => WorkerRequest): Promise<T> {
    if (this.failed) {
      // The walk may still be submitting while the pool closes after a failure or an abort:
      // whoever awaits this sees the failure; nobody awaiting it is not an unhandled rejection.
      const refused = Promise.reject(this.failed);
      refused.catch(() => undefined);
      return refused;
    }
    const worker = this.pick();
    const job = this.nextJob++;
    worker.load += weight;
    return new Promise<T>((resolve) => {
      this.jobs.set(job, { worker, weight, saves: [], resolve: resolve as (m: WorkerMessage) => void });
      worker.queue.push(request(job));
      this.scheduleFlush();
    });
  }

  /** Lists a directory (readdir + lstat + xattrs) on some worker. */
  list(path: BinaryPath, cacheTag: boolean): Promise<ListedMessage> {
    return this.submit(16 * 1024, (job) => ({ op: "list", job, path, cacheTag }));
  }

  /** Reads, chunks, hashes and compresses files of `dir`; resolves once their blobs are with the pack writer. */
  readFiles(dir: BinaryPath, files: readonly FileToRead[]): Promise<ReadMessage> {
    let weight = 0;
    for (const f of files) weight += 64 * 1024 + f.size;
    return this.submit(weight, (job) => ({ op: "files", job, dir, files }));
  }

  private handle(worker: PoolWorker, m: WorkerMessage): void {
    switch (m.op) {
      case "blob": {
        const save = this.save(worker, m.id, m.codec, m.stored, m.rawLength);
        this.jobs.get(m.job)?.saves.push(save);
        break;
      }
      case "query":
        void Promise.all(m.ids.map((id) => this.repo.hasBlob(id as BlobId)))
          .then((have) => {
            worker.queue.push({ op: "answer", query: m.query, have });
            this.scheduleFlush();
          })
          .catch((error: unknown) => this.fail(error as Error));
        break;
      case "listed":
      case "read": {
        const job = this.jobs.get(m.job);
        if (m.op === "read" && job) for (const b of m.blobs) job.saves.push(this.save(worker, b.id, b.codec, m.slab!.subarray(b.offset, b.offset + b.length), b.rawLength));
        if (!job) break;
        this.jobs.delete(m.job);
        job.worker.load -= job.weight;
        if (job.saves.length === 0) job.resolve(m);
        else void Promise.all(job.saves).then(() => job.resolve(m), () => undefined);
        break;
      }
      case "fatal":
        this.fail(new Error(m.message));
        break;
      case "stopped":
        worker.stopped?.();
        break;
    }
  }

  /** Hands one blob to the pack writer; acknowledges its bytes to `worker` once packed. */
  private save(worker: PoolWorker, id: string, codec: number, stored: Uint8Array, rawLength: number): Promise<void> {
    const save = this.repo
      // The ID is the hex digest our own worker computed (no need to re-validate its spelling).
      .saveEncodedBlob({ id: id as BlobId, type: "data", codec, stored, rawLength })
      .then((saved) => {
        if (saved.added) {
          this.stats.dataBlobsAdded++;
          this.stats.bytesAdded += rawLength;
          this.stats.bytesStored += saved.storedLength;
        }
      })
      .finally(() => {
        worker.ackBytes += stored.length;
        this.scheduleFlush();
      });
    save.catch((error: unknown) => this.fail(error as Error));
    return save;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const w of this.workers) {
        if (w.ackBytes > 0) {
          w.queue.push({ op: "ack", bytes: w.ackBytes });
          w.ackBytes = 0;
        }
        if (w.queue.length === 0) continue;
        const requests = w.queue;
        w.queue = [];
        w.thread.postMessage({ requests });
      }
    });
  }

  /**
   * Stops every worker: each first lets the reads it started ahead finish (at most a few seconds
   * of a slow disk; then it is terminated anyway), so no descriptor opened for it is lost.
   * Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.stopAll();
    return this.closing;
  }

  private async stopAll(): Promise<void> {
    this.failed ??= new Error("worker pool closed");
    await Promise.all(
      this.workers.map(async (w) => {
        const stopped = new Promise<void>((resolve) => {
          w.stopped = resolve;
          w.thread.once("exit", () => resolve());
          setTimeout(resolve, 10_000).unref();
        });
        w.thread.postMessage({ requests: [{ op: "stop" }] });
        await stopped;
        await w.thread.terminate();
      }),
    );
  }
}
