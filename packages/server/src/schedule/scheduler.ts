// The server's periodic work:
// - missed runs (spec §4.2): a schedule occurrence for which the agent started no backup within
//   `missedGraceMs` is recorded as a backup in state `missed` (event `backup_missed`);
//   occurrences while the configuration or agent was disabled are not missed runs;
// - retention of transient data: events, answered/unanswered requests, expired tokens.
// Runs every `intervalMs` on a timer (unref'd); tests call `tick()` with a manual clock.
import { isoTime } from "../clock.js";
import type { AppContext } from "../context.js";
import { occurrencesBetween } from "./rrule.js";
import { scheduleOf } from "../services/schedules.js";
import { newJob } from "../services/jobFactory.js";
import { stateEvent } from "../services/jobPatch.js";

/** What one tick did. */
export interface TickReport {
  missed: number;
  purgedEvents: number;
}

/** Periodic scheduler of one server. */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickReport> | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.ctx.log.error({ err: { message: (error as Error).message } }, "scheduler tick failed"));
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs one pass (concurrent calls share the pass in progress). */
  tick(): Promise<TickReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<TickReport> {
    const { stores, clock, settings } = this.ctx;
    const now = clock.now();
    let missed = 0;
    for (const c of await stores.configurations.listScheduled()) {
      const schedule = scheduleOf(c.doc.schedule);
      if (schedule === undefined) continue;
      const cursor = c.scheduleCursor ?? c.createdAt;
      const until = now - settings.missedGraceMs;
      if (until <= cursor) continue;
      const agent = await stores.agents.get(c.projectId, c.agentId);
      for (const at of occurrencesBetween(schedule, cursor, until, 100)) {
        if (agent === undefined || !agent.doc.enabled || agent.doc.vault === null) break;
        if (await stores.jobs.hasScheduledRun(c.id, at)) continue;
        const job = newJob({ kind: "backup", projectId: c.projectId, agentId: agent.id, configurationId: c.id, vaultId: agent.doc.vault.id, state: "missed", scheduledFor: at, now, doc: { snapshot_id: null } });
        await this.ctx.transaction(async (tx, emit) => {
          const seq = await tx.jobs.insert(job);
          const event = stateEvent({ ...job, seq });
          event.doc.scheduled_time = isoTime(at);
          await emit(event);
        });
        missed += 1;
      }
      await stores.configurations.setCursor(c.id, until);
    }
    const purgedEvents = await stores.events.purge(now - settings.eventRetentionMs);
    await stores.requests.purge(now - settings.requestRetentionMs);
    await stores.identity.purgeExpiredTokens();
    return { missed, purgedEvents };
  }
}
