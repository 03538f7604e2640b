// Scheduled backups (spec §4.2): the server expands each configuration's RRULE into upcoming
// `times`; at each time the agent itself starts the run (POST /backups start_scheduled with
// X-Agent-Id). The server answers `skipped` when a backup of the configuration is still active,
// and records `missed` for a time no run was started for (the agent was down), so the agent
// fires only times that are at most `graceMs` old and never fires one twice (the last fired
// time per configuration is kept in <data dir>/schedule.json). While the server is
// unreachable, a due run is retried on every tick until it gets through or its grace ends.
// The clock is injected: tests move it, not the wall.
import { join } from "node:path";
import type { AgentConfiguration } from "@cairn/api-client";
import type { Clock } from "../clock.js";
import { readJson, writeJson } from "../state/jsonFile.js";

type ConfigurationEntry = AgentConfiguration["configurations"][number];

export interface SchedulerHooks {
  /** The current configurations (refreshed by the agent). */
  configurations(): readonly ConfigurationEntry[];
  /** Starts the scheduled run for `time`; rejects if the server could not be reached. */
  fire(configuration: ConfigurationEntry, time: number): Promise<void>;
}

export class Scheduler {
  #lastFired: Record<string, number> = {};
  readonly #path: string;

  private constructor(
    dataDir: string,
    private readonly clock: Clock,
    private readonly hooks: SchedulerHooks,
    private readonly graceMs: number,
  ) {
    this.#path = join(dataDir, "schedule.json");
  }

  static async load(dataDir: string, clock: Clock, hooks: SchedulerHooks, graceMs = 9 * 60_000): Promise<Scheduler> {
    const s = new Scheduler(dataDir, clock, hooks, graceMs);
    s.#lastFired = (await readJson<Record<string, number>>(s.#path)) ?? {};
    return s;
  }

  /** The due time of `configuration` now, if any: the newest time ≤ now, within grace, not yet fired. */
  due(configuration: ConfigurationEntry, now: number): number | undefined {
    if (!configuration.enabled || configuration.times === null) return undefined;
    const last = this.#lastFired[configuration.id] ?? -Infinity;
    const due = configuration.times.map((t) => Date.parse(t)).filter((t) => Number.isFinite(t) && t <= now && t > last && now - t <= this.graceMs);
    return due.length === 0 ? undefined : Math.max(...due);
  }

  /** One pass: fires every due run. Returns how many were started. */
  async tick(): Promise<number> {
    const now = this.clock.now();
    let fired = 0;
    for (const c of this.hooks.configurations()) {
      const time = this.due(c, now);
      if (time === undefined) continue;
      try {
        await this.hooks.fire(c, time);
      } catch {
        continue; // the server is away: try again next tick, within the grace period
      }
      this.#lastFired[c.id] = time;
      await writeJson(this.#path, this.#lastFired);
      fired++;
    }
    return fired;
  }
}
