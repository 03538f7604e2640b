// What agents report through `POST /agents/{id}/events` ([our choice] extension, spec §4.1 and
// §7 item 1): startup (re-deliver pending work), shutdown, heartbeat, job progress and browse
// results. Users may also send `agent_activate` there for a single agent.
import type { Auth } from "../auth/authenticate.js";
import { isoTime } from "../clock.js";
import type { AppContext } from "../context.js";
import { badRequest, conflict, forbidden, notFound } from "../errors.js";
import { newId } from "../ids.js";
import { isTerminal, type ActivityKind } from "../state/machines.js";
import type { AgentRecord } from "../store/model.js";
import { isOnline } from "./agentPolicy.js";
import { stateEvent } from "./jobPatch.js";

/** Body of `POST /agents/{id}/events`. */
export interface AgentSignal {
  event: string;
  mode?: "idle" | "active" | "real_time";
  backup?: { id: string };
  restore?: { id: string };
  cleanup?: { id: string };
  bytes_completed?: number;
  bytes_remaining?: number;
  total_bytes?: number;
  request_id?: string;
  succeeded?: boolean;
  path?: string;
  path_encoded?: string | null;
  items?: { name: string; name_encoded?: string | null; bytes: number; mime_type: string }[];
}

/** Re-sends the command events of work the agent has not finished (on startup). */
async function redeliver(ctx: AppContext, agent: AgentRecord): Promise<void> {
  for (const job of await ctx.stores.jobs.activeForAgent(agent.id)) {
    if (job.state === "start_requested" || job.state === "stop_requested") {
      const e = stateEvent(job);
      if (job.state === "start_requested") e.type = `${job.kind}_start_request`;
      await ctx.emit(e);
    }
  }
  for (const r of await ctx.stores.requests.pending(agent.id)) {
    const e = r.doc.event as { type: string; doc: Record<string, unknown> } | undefined;
    if (e !== undefined) await ctx.emit({ projectId: agent.projectId, agentId: agent.id, type: e.type, doc: e.doc });
  }
}

async function progress(ctx: AppContext, agent: AgentRecord, kind: ActivityKind, signal: AgentSignal): Promise<void> {
  const id = signal[kind]?.id;
  if (id === undefined) throw badRequest(`body.${kind}.id is required for ${signal.event}.`);
  const job = await ctx.stores.jobs.get(agent.projectId, id, kind);
  if (job === undefined || job.agentId !== agent.id) throw notFound(kind === "backup" ? "Backup" : kind === "restore" ? "Restore" : "Cleanup");
  if (isTerminal(job.state)) throw conflict(`The ${kind} is already in a terminal state (${job.state}).`);
  const bytes = Object.fromEntries(["bytes_completed", "bytes_remaining", "total_bytes"].filter((k) => typeof signal[k as keyof AgentSignal] === "number").map((k) => [k, signal[k as keyof AgentSignal]]));
  await ctx.emit({ projectId: agent.projectId, agentId: agent.id, jobId: job.id, configurationId: job.configurationId, type: `${kind}_progress`, doc: { agent: { id: agent.id }, [kind]: { id: job.id }, ...bytes } });
}

async function browseResult(ctx: AppContext, agent: AgentRecord, signal: AgentSignal): Promise<void> {
  if (signal.request_id === undefined || typeof signal.succeeded !== "boolean") throw badRequest(`${signal.event} needs request_id and succeeded.`);
  const request = await ctx.stores.requests.get(agent.projectId, signal.request_id);
  const expected = signal.event === "host_browsed" ? "host_browse" : "backup_browse";
  if (request === undefined || request.agentId !== agent.id || request.kind !== expected) throw notFound("Browse request");
  if (request.result !== null) throw conflict("This request has already been answered.");
  const doc = {
    agent: { id: agent.id },
    request_id: request.id,
    succeeded: signal.succeeded,
    path: signal.path ?? (request.doc.path as string),
    path_encoded: signal.path_encoded ?? null,
    items: signal.items ?? [],
  };
  const id = await ctx.bus.append(ctx.stores.events, { projectId: agent.projectId, agentId: agent.id, jobId: request.backupId, type: signal.event, doc });
  ctx.bus.wake(agent.projectId, agent.id);
  await ctx.stores.requests.setResult(request.id, { id: String(id), time: isoTime(ctx.clock.now()), event: signal.event, ...doc });
}

const AGENT_ONLY = new Set(["startup", "shutdown", "heartbeat", "backup_progress", "restore_progress", "cleanup_progress", "host_browsed", "backup_browsed"]);

/**
 * Handles one signal from (or, for agent_activate, about) `agent`.
 * @throws HttpError 400/403/404/409 as described per signal.
 */
export async function handleAgentSignal(ctx: AppContext, auth: Auth, agent: AgentRecord, signal: AgentSignal, agentHeader: string | undefined): Promise<void> {
  const now = ctx.clock.now();
  if (AGENT_ONLY.has(signal.event)) {
    if (auth.agentId === null && auth.role === "observer") throw forbidden(`Only the agent (or a creator) may send ${signal.event}.`);
    if (agentHeader === undefined) throw badRequest("X-Agent-Id header is required for agent events.");
    if (agentHeader !== agent.id) throw badRequest("X-Agent-Id does not match the agent in the path.");
  }
  switch (signal.event) {
    case "heartbeat":
    case "startup": {
      const wasOnline = isOnline(agent, now);
      await ctx.stores.agents.heartbeat(agent.id, now);
      if (!wasOnline) await ctx.emit({ projectId: agent.projectId, agentId: agent.id, type: "agent_heartbeat", doc: { agent: { id: agent.id } } });
      if (signal.event === "startup") await redeliver(ctx, agent);
      return;
    }
    case "shutdown":
      await ctx.stores.agents.heartbeat(agent.id, null);
      await ctx.emit({ projectId: agent.projectId, agentId: agent.id, type: "agent_shutdown", doc: { agent: { id: agent.id }, request_id: newId() } });
      return;
    case "agent_activate": {
      const mode = signal.mode ?? "active";
      await ctx.stores.agents.setMode(agent.projectId, agent.id, mode, mode === "idle" ? null : now + ctx.settings.activationMs);
      await ctx.emit({ projectId: agent.projectId, agentId: agent.id, type: "agent_activate", doc: { agent: { id: agent.id }, mode, request_id: newId() } });
      return;
    }
    case "backup_progress":
      return progress(ctx, agent, "backup", signal);
    case "restore_progress":
      return progress(ctx, agent, "restore", signal);
    case "cleanup_progress":
      return progress(ctx, agent, "cleanup", signal);
    case "host_browsed":
    case "backup_browsed":
      return browseResult(ctx, agent, signal);
    default:
      throw badRequest(`Unknown event "${signal.event}".`);
  }
}
