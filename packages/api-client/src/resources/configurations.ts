// Backup configurations (spec §3.7).
import type { Core, Query } from "../internal/core.js";
import type { CallOptions } from "../internal/transport.js";
import type { PatchOperation } from "../patch.js";
import type { Activity, Configuration, ConfigurationInput, ConfigurationSummary, FeedEvent, JobState, Page, PageQuery } from "../types.js";

/** `client.configurations`. */
export class Configurations {
  constructor(private readonly core: Core) {}

  create(input: ConfigurationInput, options?: CallOptions): Promise<Configuration> {
    return this.core.post(["configurations"], input, options);
  }

  /** `restorable: true` lists configurations with restorable backups (deleted ones included). */
  async list(filter: { restorable?: boolean } = {}, options?: CallOptions): Promise<ConfigurationSummary[]> {
    return (await this.core.get<{ configurations: ConfigurationSummary[] }>(["configurations"], filter, options)).configurations;
  }

  get(configurationId: string, options?: CallOptions): Promise<Configuration> {
    return this.core.get(["configurations", configurationId], undefined, options);
  }

  /** JSON Patch (replace only): name, enabled, schedule, retention/days, inclusions, exclusions, notifications. */
  update(configurationId: string, operations: readonly PatchOperation[], options?: CallOptions): Promise<void> {
    return this.core.patch(["configurations", configurationId], operations, options);
  }

  /** Soft delete. */
  delete(configurationId: string, options?: CallOptions): Promise<void> {
    return this.core.delete(["configurations", configurationId], options);
  }

  activities(configurationId: string, query: PageQuery & { state?: JobState } = {}, options?: CallOptions): Promise<Page<Activity>> {
    return this.core.page(["configurations", configurationId, "activities"], "activities", query as Query, options);
  }

  iterateActivities(configurationId: string, query: PageQuery & { state?: JobState } = {}, options?: CallOptions): AsyncGenerator<Activity> {
    return this.core.iterate(["configurations", configurationId, "activities"], "activities", query as Query, options);
  }

  events(configurationId: string, query: PageQuery = {}, options?: CallOptions): Promise<Page<FeedEvent>> {
    return this.core.page(["configurations", configurationId, "events"], "events", query as Query, options);
  }
}
