// Agents (spec §3.4): registration, details, patch, delete, status, the agent's settings
// document, its configurations, activities and event feed, and the signals agents post.
import type { Core, Query, TailOptions } from "../internal/core.js";
import type { CallOptions } from "../internal/transport.js";
import type { PatchOperation } from "../patch.js";
import type { Activity, ActivationMode, Agent, AgentConfiguration, AgentStatus, BrowseItem, ConfigurationSummary, FeedEvent, JobKind, JobState, Page, PageQuery, RegisterAgentInput } from "../types.js";

/** Body of `POST /agents/{id}/events` (signals; see docs/api.md). */
export type AgentSignal =
  | { event: "startup" | "shutdown" | "heartbeat" }
  | { event: "agent_activate"; mode: ActivationMode }
  | ({ event: "backup_progress" | "restore_progress" | "cleanup_progress"; bytes_completed?: number; bytes_remaining?: number; total_bytes?: number } & Partial<Record<JobKind, { id: string }>>)
  | { event: "host_browsed" | "backup_browsed"; request_id: string; succeeded: boolean; path?: string; path_encoded?: string | null; items?: BrowseItem[] };

/** Filters of an agent's activities. */
export interface AgentActivityQuery extends PageQuery {
  type?: JobKind;
  state?: JobState;
  configuration_ids?: readonly string[];
}

/** `client.agents`. */
export class Agents {
  constructor(private readonly core: Core) {}

  /** Registers an agent; the response carries its password (shown only here). */
  register(input: RegisterAgentInput, options?: CallOptions): Promise<Agent> {
    return this.core.post(["agents"], input, options);
  }

  async list(filter: { host_machine_id?: string } = {}, options?: CallOptions): Promise<Agent[]> {
    return (await this.core.get<{ agents: Agent[] }>(["agents"], filter, options)).agents;
  }

  get(agentId: string, options?: CallOptions): Promise<Agent> {
    return this.core.get(["agents", agentId], undefined, options);
  }

  /** JSON Patch: `/enabled`, `/vault/region`, `/vault/use_internal`, `/log_level`. */
  update(agentId: string, operations: readonly PatchOperation[], options?: CallOptions): Promise<void> {
    return this.core.patch(["agents", agentId], operations, options);
  }

  delete(agentId: string, options?: CallOptions): Promise<void> {
    return this.core.delete(["agents", agentId], options);
  }

  status(agentId: string, options?: CallOptions): Promise<AgentStatus> {
    return this.core.get(["agents", agentId, "status"], undefined, options);
  }

  /** The agent's own settings document (policy, vault, configurations with next run times). */
  configuration(agentId: string, options?: CallOptions): Promise<AgentConfiguration> {
    return this.core.get(["agents", agentId, "configuration"], undefined, options);
  }

  async configurations(agentId: string, options?: CallOptions): Promise<ConfigurationSummary[]> {
    return (await this.core.get<{ configurations: ConfigurationSummary[] }>(["agents", agentId, "configurations"], undefined, options)).configurations;
  }

  activities(agentId: string, query: AgentActivityQuery = {}, options?: CallOptions): Promise<Page<Activity>> {
    return this.core.page(["agents", agentId, "activities"], "activities", query as Query, options);
  }

  iterateActivities(agentId: string, query: AgentActivityQuery = {}, options?: CallOptions): AsyncGenerator<Activity> {
    return this.core.iterate(["agents", agentId, "activities"], "activities", query as Query, options);
  }

  /** One page of the agent's feed (`wait` seconds: long-poll). */
  events(agentId: string, query: PageQuery & { wait?: number } = {}, options?: CallOptions): Promise<Page<FeedEvent>> {
    const timeoutMs = query.wait === undefined ? options?.timeoutMs : Math.max(options?.timeoutMs ?? 0, query.wait * 1000 + 10_000);
    return this.core.page(["agents", agentId, "events"], "events", query as Query, { ...options, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  }

  /** Follows the agent's feed, long-polling (`wait`, default 30 s) until `signal` aborts. */
  tailEvents(agentId: string, options: TailOptions = {}): AsyncGenerator<FeedEvent> {
    return this.core.tail(["agents", agentId, "events"], { wait: 30, ...options });
  }

  /** Posts a signal; agent signals carry `X-Agent-Id` automatically. */
  signal(agentId: string, signal: AgentSignal, options: CallOptions = {}): Promise<void> {
    const headers = signal.event === "agent_activate" ? options.headers : { ...options.headers, "x-agent-id": agentId };
    return this.core.post<void>(["agents", agentId, "events"], signal, { ...options, ...(headers === undefined ? {} : { headers }) });
  }
}
