// Project-wide operations: activities (§3.3), events (§3.8), summary settings (§3.10), health
// and ping (§3.2).
import type { Core, Query, TailOptions } from "../internal/core.js";
import type { CallOptions } from "../internal/transport.js";
import type { Activity, ActivationMode, FeedEvent, JobKind, JobState, Page, PageQuery, SummarySettings } from "../types.js";

/** Filters of the project's activities. */
export interface ActivityQuery extends PageQuery {
  type?: JobKind;
  state?: JobState;
  agent_ids?: readonly string[];
  configuration_ids?: readonly string[];
}

/** `client.activities`. */
export class Activities {
  constructor(private readonly core: Core) {}

  list(query: ActivityQuery = {}, options?: CallOptions): Promise<Page<Activity>> {
    return this.core.page(["activities"], "activities", query as Query, options);
  }

  iterate(query: ActivityQuery = {}, options?: CallOptions): AsyncGenerator<Activity> {
    return this.core.iterate(["activities"], "activities", query as Query, options);
  }
}

/** `client.events`. */
export class Events {
  constructor(private readonly core: Core) {}

  /** Tells every agent how often to poll and heartbeat. */
  activate(mode: ActivationMode, options?: CallOptions): Promise<void> {
    return this.core.post(["events"], { event: "agent_activate", mode }, options);
  }

  /** One page of the project feed (newest first by default). */
  list(query: PageQuery = {}, options?: CallOptions): Promise<Page<FeedEvent>> {
    return this.core.page(["events"], "events", query as Query, options);
  }

  /** Follows the project feed (plain polling) until `signal` aborts. */
  tail(options: TailOptions = {}): AsyncGenerator<FeedEvent> {
    return this.core.tail(["events"], { ...options, wait: 0 });
  }
}

/** `client.settings`. */
export class Settings {
  constructor(private readonly core: Core) {}

  summaries(options?: CallOptions): Promise<SummarySettings> {
    return this.core.get(["settings", "summaries"], undefined, options);
  }

  updateSummaries(settings: Partial<SummarySettings> & Pick<SummarySettings, "notifications">, options?: CallOptions): Promise<void> {
    return this.core.put(["settings", "summaries"], settings, options);
  }
}

/** `client.health`. */
export class Health {
  constructor(private readonly core: Core) {}

  /** The composite health document (an ApiError 503 carries it when degraded). */
  get(options?: CallOptions): Promise<Record<string, unknown>> {
    return this.core.get(["health"], undefined, options);
  }

  system(name: string, options?: CallOptions): Promise<{ online: boolean }> {
    return this.core.get(["health", name], undefined, options);
  }

  /** Resolves when the server answers 204. */
  async ping(options?: CallOptions): Promise<void> {
    await this.core.get(["ping"], undefined, options);
  }
}
