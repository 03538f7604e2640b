// Backups, restores, cleanups and vault re-keying run one at a time, in arrival order: they
// all work on the vault, and one job at a time keeps the agent's footprint (CPU, memory, disk
// reads) predictable on the server it protects. A stop request aborts the running job or drops
// a queued one; a job id seen twice (re-delivered on reconnect) is run once.
import { StopRequested } from "./backupJob.js";

export interface QueuedJob {
  readonly id: string;
  readonly kind: string;
  /** Runs the job; must report its own outcome and never throw. */
  run(signal: AbortSignal): Promise<void>;
  /** Called instead of `run` when the job is stopped before it started. */
  cancelled(): Promise<void>;
}

export class JobQueue {
  readonly #waiting: QueuedJob[] = [];
  readonly #seen = new Set<string>();
  #current: { job: QueuedJob; controller: AbortController } | undefined;
  #wake: (() => void) | undefined;
  #closed = false;

  /** True if the job is queued, running or was already run by this process. */
  has(id: string): boolean {
    return this.#seen.has(id);
  }

  get busy(): boolean {
    return this.#current !== undefined || this.#waiting.length > 0;
  }

  get runningId(): string | undefined {
    return this.#current?.job.id;
  }

  /** Queues `job` unless its id was seen; returns whether it was queued. */
  push(job: QueuedJob): boolean {
    if (this.#seen.has(job.id) || this.#closed) return false;
    this.#seen.add(job.id);
    this.#waiting.push(job);
    this.#wake?.();
    return true;
  }

  /** Stops job `id`: aborts it if running, drops it if waiting. Returns whether it was found. */
  async stop(id: string): Promise<boolean> {
    if (this.#current?.job.id === id) {
      this.#current.controller.abort(new StopRequested());
      return true;
    }
    const at = this.#waiting.findIndex((j) => j.id === id);
    if (at < 0) return false;
    const [job] = this.#waiting.splice(at, 1);
    await job?.cancelled();
    return true;
  }

  /** Aborts the running job with `reason` and stops taking jobs. */
  close(reason: unknown): void {
    this.#closed = true;
    this.#current?.controller.abort(reason);
    this.#wake?.();
  }

  /** Runs jobs until closed; resolves once the running job has finished. */
  async run(): Promise<void> {
    while (!this.#closed) {
      const job = this.#waiting.shift();
      if (job === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      const controller = new AbortController();
      this.#current = { job, controller };
      try {
        await job.run(controller.signal);
      } finally {
        this.#current = undefined;
      }
    }
  }
}
