// Appends events and wakes long-polling readers of agent feeds.
//
// Wake-ups are in-process: a server instance wakes the waiters it holds. With several
// instances on one PostgreSQL database, a waiter on another instance still sees the event
// when its wait re-checks (every `recheckMs`) or times out — correct, only later.
//
// No lost wake-ups: a long-poll takes a `mark` (a per-feed counter bumped by every wake)
// *before* it reads its feed, and passes it to `wait`, which returns at once when the counter
// has moved — so an event committed between the read and the wait is not left for the next
// re-check.
import type { Clock } from "../clock.js";
import { isoTime } from "../clock.js";
import type { EventStore } from "../store/eventStore.js";

/** An event to record. `doc` holds the type-specific wire fields (agent, backup, request_id…). */
export interface NewEvent {
  projectId: string;
  /** null = project-wide (reaches every agent's feed). */
  agentId: string | null;
  jobId?: string | null;
  configurationId?: string | null;
  type: string;
  doc: Record<string, unknown>;
}

interface Waiter {
  agentId: string;
  wake: () => void;
}

/** Event appending plus long-poll wake-ups. */
export class EventBus {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Wake counters: per project (project-wide events) and per `project\0agent`. */
  private readonly versions = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly recheckMs = 5_000,
  ) {}

  /** Appends `event` through `store` (maybe a transaction's); call {@link wake} after commit. */
  async append(store: EventStore, event: NewEvent): Promise<number> {
    return store.append({
      projectId: event.projectId,
      agentId: event.agentId,
      jobId: event.jobId ?? null,
      configurationId: event.configurationId ?? null,
      type: event.type,
      createdAt: this.clock.now(),
      doc: event.doc,
    });
  }

  /** The feed's wake counter now; pass it to {@link wait} to catch wakes that happen in between. */
  mark(projectId: string, agentId: string): number {
    return (this.versions.get(projectId) ?? 0) + (this.versions.get(`${projectId}\0${agentId}`) ?? 0);
  }

  /** Wakes waiters of `agentId` in `projectId` (all of the project's when null). */
  wake(projectId: string, agentId: string | null): void {
    const key = agentId === null ? projectId : `${projectId}\0${agentId}`;
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    const set = this.waiters.get(projectId);
    if (set === undefined) return;
    for (const w of [...set]) if (agentId === null || w.agentId === agentId) w.wake();
  }

  /**
   * Waits until an event for `agentId` may have arrived, `timeoutMs` passes, `signal` aborts or
   * the bus closes. Resolves `true` on a wake-up or re-check tick (at once when the feed was
   * woken since `since`, a {@link mark}), `false` on timeout/abort/close.
   */
  wait(projectId: string, agentId: string, timeoutMs: number, signal?: AbortSignal, since?: number): Promise<boolean> {
    if (this.closed || timeoutMs <= 0 || signal?.aborted === true) return Promise.resolve(false);
    if (since !== undefined && this.mark(projectId, agentId) !== since) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let set = this.waiters.get(projectId);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(projectId, set);
      }
      const finish = (woken: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        set.delete(waiter);
        if (set.size === 0) this.waiters.delete(projectId);
        resolve(woken);
      };
      const onAbort = (): void => finish(false);
      const waiter: Waiter = { agentId, wake: () => finish(true) };
      const recheck = Math.min(timeoutMs, this.recheckMs);
      const timer = setTimeout(() => finish(recheck < timeoutMs), recheck);
      set.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Number of requests currently held (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** Releases every waiter (graceful shutdown). */
  close(): void {
    this.closed = true;
    for (const set of this.waiters.values()) for (const w of [...set]) w.wake();
  }
}

/** Renders a stored event as wire JSON: `{id, time, event, …fields}`. */
export function eventView(e: { id: number; type: string; createdAt: number; doc: Record<string, unknown> }): Record<string, unknown> {
  return { id: String(e.id), time: isoTime(e.createdAt), event: e.type, ...e.doc };
}
