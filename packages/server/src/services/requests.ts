// Agent requests: record one, emit its command event, answer 202 with Location; look one up.
import type { FastifyReply } from "fastify";
import type { Auth } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { notFound } from "../errors.js";
import type { Hrefs } from "../http/links.js";
import { newId } from "../ids.js";
import type { AgentRequestRecord, RequestKind } from "../store/model.js";

/** Records a request for `agentId`, emits `eventType` to `targetAgentId`, sets Location; returns the 202 body. */
export async function openRequest(
  ctx: AppContext,
  reply: FastifyReply,
  hrefs: Hrefs,
  r: { projectId: string; agentId: string; targetAgentId: string; kind: RequestKind; backupId?: string | null; eventType: string; eventDoc: Record<string, unknown>; location: string[] },
): Promise<Record<string, unknown>> {
  const id = newId();
  const eventDoc = { agent: { id: r.targetAgentId }, request_id: id, ...r.eventDoc };
  await ctx.stores.requests.insert({
    id,
    projectId: r.projectId,
    agentId: r.agentId,
    kind: r.kind,
    backupId: r.backupId ?? null,
    createdAt: ctx.clock.now(),
    doc: { ...r.eventDoc, target_agent_id: r.targetAgentId, event: { type: r.eventType, doc: eventDoc } },
    result: null,
  });
  await ctx.emit({ projectId: r.projectId, agentId: r.targetAgentId, jobId: r.backupId ?? null, type: r.eventType, doc: eventDoc });
  const location = hrefs.project(...r.location, id);
  void reply.header("Location", location);
  return { id, links: [{ href: location, rel: "self" }] };
}

/**
 * The request `id` of `agentId` (and kind), or 404.
 * @throws HttpError 404 "Request not found." for an unknown id, another agent's or another kind's request.
 */
export async function findRequest(ctx: AppContext, auth: Auth, agentId: string, id: string, kinds: readonly RequestKind[], backupId?: string): Promise<AgentRequestRecord> {
  const r = await ctx.stores.requests.get(auth.projectId, id);
  if (r === undefined || r.agentId !== agentId || !kinds.includes(r.kind) || (backupId !== undefined && r.backupId !== backupId)) throw notFound("Request");
  return r;
}

/** The stored result, or 404 until the agent has answered (spec: "404 until ready"). */
export function resultOrNotReady(r: AgentRequestRecord): Record<string, unknown> {
  if (r.result === null) throw notFound("Result (the agent has not answered yet)");
  return r.result;
}
