// Backups, restores and cleanups (spec §3.5, §3.6, §3.9): shared list/get/patch/errors/events,
// plus each kind's creation and (backups) browsing.
import type { Core, Query, TailOptions } from "../internal/core.js";
import type { CallOptions } from "../internal/transport.js";
import type { PatchOperation } from "../patch.js";
import type { Backup, BrowseResult, Cleanup, ErrorReport, FeedEvent, Page, PageQuery, RequestAccepted, Restore, RestoreInput } from "../types.js";

/** Operations common to every job kind. */
class Jobs<T> {
  constructor(
    protected readonly core: Core,
    private readonly plural: "backups" | "restores" | "cleanups",
  ) {}

  /** One page (newest first by default). */
  list(query: PageQuery & Query = {}, options?: CallOptions): Promise<Page<T>> {
    return this.core.page([this.plural], this.plural, query, options);
  }

  /** Every item, page after page. */
  iterate(query: PageQuery & Query = {}, options?: CallOptions): AsyncGenerator<T> {
    return this.core.iterate([this.plural], this.plural, query, options);
  }

  get(id: string, options?: CallOptions): Promise<T> {
    return this.core.get([this.plural, id], undefined, options);
  }

  /** JSON Patch: progress/final report (agent) or `stop_requested` (user); see `jobReport`. */
  update(id: string, operations: readonly PatchOperation[], options?: CallOptions): Promise<void> {
    return this.core.patch([this.plural, id], operations, options);
  }

  /** Asks the agent to stop. */
  stop(id: string, options?: CallOptions): Promise<void> {
    return this.update(id, [{ op: "replace", path: "/state", value: "stop_requested" }], options);
  }

  errors(id: string, options?: CallOptions): Promise<ErrorReport> {
    return this.core.get([this.plural, id, "errors"], undefined, options);
  }

  events(id: string, query: PageQuery = {}, options?: CallOptions): Promise<Page<FeedEvent>> {
    return this.core.page([this.plural, id, "events"], "events", query as Query, options);
  }

  /** Follows the job's events (plain polling) until `signal` aborts. */
  tailEvents(id: string, options: TailOptions = {}): AsyncGenerator<FeedEvent> {
    return this.core.tail([this.plural, id, "events"], { ...options, wait: 0 });
  }
}

/** `client.backups`. */
export class Backups extends Jobs<Backup> {
  constructor(core: Core) {
    super(core, "backups");
  }

  /** Manual run (`start_requested`), or, from an agent, a scheduled one (`start_scheduled`, sends X-Agent-Id). */
  start(configurationId: string, options: CallOptions & { scheduledBy?: string } = {}): Promise<Backup> {
    const { scheduledBy, ...call } = options;
    const state = scheduledBy === undefined ? "start_requested" : "start_scheduled";
    const headers = scheduledBy === undefined ? call.headers : { ...call.headers, "x-agent-id": scheduledBy };
    return this.core.post(["backups"], { configuration_id: configurationId, state }, { ...call, ...(headers === undefined ? {} : { headers }) });
  }

  /** Lists restorable backups (optionally of one configuration). */
  restorable(configurationId?: string, query: PageQuery = {}, options?: CallOptions): Promise<Page<Backup>> {
    return this.list({ ...query, restorable: true, configuration_id: configurationId }, options);
  }

  browse(backupId: string, input: { agent_id: string; path: string; path_encoded?: string | null; encrypted_password_hex?: string | null }, options?: CallOptions): Promise<RequestAccepted> {
    return this.core.post(["backups", backupId, "browse-requests"], input, options);
  }

  /** 404 (ApiError) until the agent has answered. */
  browseResult(backupId: string, requestId: string, options?: CallOptions): Promise<BrowseResult> {
    return this.core.get(["backups", backupId, "browse-requests", requestId], undefined, options);
  }
}

/** `client.restores`. */
export class Restores extends Jobs<Restore> {
  constructor(core: Core) {
    super(core, "restores");
  }

  start(input: RestoreInput, options?: CallOptions): Promise<Restore> {
    return this.core.post(["restores"], input, options);
  }
}

/** `client.cleanups`. */
export class Cleanups extends Jobs<Cleanup> {
  constructor(core: Core) {
    super(core, "cleanups");
  }

  /** User-requested cleanup, or (with `scheduledBy`) an agent-scheduled one. */
  start(agentId: string, options: CallOptions & { scheduledBy?: string } = {}): Promise<Cleanup> {
    const { scheduledBy, ...call } = options;
    const headers = scheduledBy === undefined ? call.headers : { ...call.headers, "x-agent-id": scheduledBy };
    return this.core.post(["cleanups"], { agent_id: agentId, state: scheduledBy === undefined ? "start_requested" : "start_scheduled" }, { ...call, ...(headers === undefined ? {} : { headers }) });
  }
}
