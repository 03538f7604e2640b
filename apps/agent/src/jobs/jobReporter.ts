// Reporting one job to the server: every state transition and the final report go through the
// outbox (ordered, persisted, retried); progress is a best-effort `<kind>_progress` signal, at
// most every two seconds. The journal entry is added at the first transition and removed once
// the final report is safely queued.
import { add, jobReport, replace } from "@cairn/api-client";
import type { JobContext } from "./jobContext.js";

export type JobKind = "backup" | "restore" | "cleanup";

export interface ErrorListItem {
  path: string;
  type: string;
  exception: { code: number; description: string; details: string } | null;
}

export interface ErrorSummary {
  reason: string;
  diagnostics: string | null;
  list: ErrorListItem[];
  /** Total count (the list may be cut short). */
  count?: number;
}

const PROGRESS_INTERVAL_MS = 2_000;

export class JobReporter {
  #lastProgress = 0;
  #journaled = false;

  constructor(
    private readonly ctx: JobContext,
    readonly kind: JobKind,
    readonly id: string,
  ) {}

  /** Reports a non-final state (queued, preparing, in_progress), with extra fields. */
  async state(state: "queued" | "preparing" | "in_progress", fields: Record<string, unknown> = {}): Promise<void> {
    if (!this.#journaled) {
      await this.ctx.journal.add({ kind: this.kind, id: this.id, startedAt: new Date(this.ctx.clock.now()).toISOString() });
      this.#journaled = true;
    }
    await this.ctx.outbox.add({ type: "patch", kind: this.kind, id: this.id, operations: [replace("/state", state), ...Object.entries(fields).map(([k, v]) => add(`/${k}`, v))] });
    this.ctx.log.info(`${this.kind} ${state}`, { id: this.id });
  }

  /** Sends progress if the last one was long enough ago (never fails the job). */
  progress(bytesCompleted: number, totalBytes: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.#lastProgress < PROGRESS_INTERVAL_MS) return;
    this.#lastProgress = now;
    const completed = Math.max(0, Math.round(bytesCompleted));
    const total = Math.max(completed, Math.round(totalBytes));
    this.ctx.session.client.agents
      .signal(this.ctx.session.agentId, { event: `${this.kind}_progress`, [this.kind]: { id: this.id }, bytes_completed: completed, bytes_remaining: total - completed, total_bytes: total })
      .catch((error: unknown) => this.ctx.log.debug("progress not delivered", { id: this.id, error: (error as Error).message }));
  }

  /** Queues the final report and forgets the job. */
  async finish(state: "completed" | "completed_with_errors" | "failed" | "stopped", fields: Record<string, unknown>, errors?: ErrorSummary): Promise<void> {
    const report: Record<string, unknown> = { ended_time: new Date(this.ctx.clock.now()).toISOString(), ...fields };
    if (errors !== undefined) {
      report.errors = {
        count: errors.count ?? errors.list.length,
        reason: errors.reason.slice(0, 1024),
        diagnostics: errors.diagnostics === null ? null : errors.diagnostics.slice(0, 65_536),
        list: errors.list.slice(0, 10_000).map((e, index) => ({ index, path: e.path.slice(0, 4096), type: e.type, exception: e.exception })),
      };
    }
    await this.ctx.outbox.add({ type: "patch", kind: this.kind, id: this.id, operations: jobReport(state, report) });
    await this.ctx.journal.remove(this.id);
    this.ctx.log.info(`${this.kind} ${state}`, { id: this.id, ...fields, errors: errors?.count ?? errors?.list.length ?? 0 });
  }
}

/** The diagnostics text of an unexpected failure: its type and message, no stack. */
export function diagnosticsOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
