// Reports the server must receive even if it is away when they are made: job state changes and
// final reports (JSON Patch on /backups|restores|cleanups/{id}) and request results. They are
// appended to <data dir>/outbox.json before sending and removed once the server has answered,
// and sent strictly in order, so a backup's `completed` never overtakes its `in_progress` and
// a report made while the server was down (or just before the agent was killed) is delivered
// after it comes back. A 409 (the job is already terminal) or another 4xx drops the report.
import { ApiError, type CairnClient, type PatchOperation } from "@cairn/api-client";
import { join } from "node:path";
import { readJson, writeJson } from "../state/jsonFile.js";
import type { Logger } from "../log.js";
import { Backoff, pause } from "./backoff.js";

export type Report =
  | { readonly type: "patch"; readonly kind: "backup" | "restore" | "cleanup"; readonly id: string; readonly operations: readonly PatchOperation[] }
  | { readonly type: "encryption"; readonly requestId: string; readonly action: "enabled" | "changed"; readonly succeeded: boolean }
  | { readonly type: "verification"; readonly requestId: string; readonly verified: boolean }
  | { readonly type: "logfile"; readonly logfileId: string; readonly state: "started" | "completed" };

export class Outbox {
  #queue: Report[] = [];
  #wake: (() => void) | undefined;
  #idle: (() => void)[] = [];
  readonly #path: string;

  private constructor(
    dataDir: string,
    private readonly client: () => CairnClient,
    private readonly agentId: string,
    private readonly log: Logger,
  ) {
    this.#path = join(dataDir, "outbox.json");
  }

  static async load(dataDir: string, client: () => CairnClient, agentId: string, log: Logger): Promise<Outbox> {
    const box = new Outbox(dataDir, client, agentId, log);
    box.#queue = (await readJson<Report[]>(box.#path)) ?? [];
    return box;
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Queues a report (persisted before this resolves). */
  async add(report: Report): Promise<void> {
    this.#queue.push(report);
    await writeJson(this.#path, this.#queue);
    this.#wake?.();
  }

  /** Resolves when everything queued so far has been delivered (or dropped). */
  drained(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Delivers reports until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(500, 15_000);
    while (!signal.aborted) {
      const next = this.#queue[0];
      if (next === undefined) {
        for (const resolve of this.#idle.splice(0)) resolve();
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
        this.#wake = undefined;
        continue;
      }
      try {
        await this.#deliver(next);
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429) {
          this.log.warn("report refused by the server; dropped", { report: describe(next), status: error.status, message: error.serverMessage });
        } else {
          this.log.warn("report not delivered; will retry", { report: describe(next), error: (error as Error).message });
          await pause(backoff.next(), signal);
          continue;
        }
      }
      backoff.reset();
      this.#queue.shift();
      await writeJson(this.#path, this.#queue);
    }
  }

  async #deliver(r: Report): Promise<void> {
    const c = this.client();
    switch (r.type) {
      case "patch":
        return r.kind === "backup" ? c.backups.update(r.id, r.operations) : r.kind === "restore" ? c.restores.update(r.id, r.operations) : c.cleanups.update(r.id, r.operations);
      case "encryption":
        return c.agentRequests.reportEncryption(this.agentId, r.requestId, { action: r.action, succeeded: r.succeeded });
      case "verification":
        return c.agentRequests.reportPasswordVerification(this.agentId, r.requestId, { verified: r.verified });
      case "logfile":
        return c.agentRequests.updateLogfile(this.agentId, r.logfileId, [{ op: "replace", path: "/state", value: r.state }]);
    }
  }
}

function describe(r: Report): string {
  if (r.type === "patch") {
    const state = r.operations.find((o) => o.path === "/state")?.value;
    return `${r.kind} ${r.id}${state === undefined ? "" : ` → ${String(state)}`}`;
  }
  return r.type;
}
