// POST /cleanups (spec §3.6): vault maintenance requested by a user or scheduled by the agent.
// [our choice] one active cleanup per agent (409 for another manual one).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { conflict, forbidden } from "../errors.js";
import { newId } from "../ids.js";
import { defineRoute } from "../http/route.js";
import { text } from "../http/schemas.js";
import { newJob, requireAgentHeader } from "../services/jobFactory.js";
import { loadAgent } from "../services/lookup.js";
import { stateEvent } from "../services/jobPatch.js";
import { jobView } from "../views/jobView.js";

interface CreateCleanupBody {
  agent_id: string;
  state: "start_requested" | "start_scheduled";
}

/** Registers POST /cleanups. */
export function registerCleanupRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/cleanups",
    operationId: "createCleanup",
    summary: "Start a vault cleanup: start_requested (user) or start_scheduled (agent, needs X-Agent-Id)",
    tag: "cleanups",
    role: "creator",
    agent: "own",
    status: 201,
    statuses: [409],
    body: {
      type: "object",
      required: ["agent_id", "state"],
      properties: { agent_id: text(64), state: { type: "string", enum: ["start_requested", "start_scheduled"] } },
    },
    response: { $ref: "#/components/schemas/Cleanup" },
    async handler({ request, reply, auth, body, hrefs }) {
      const b = body as CreateCleanupBody;
      const now = ctx.clock.now();
      const job = await ctx.transaction(async (stores, emit) => {
        const agent = await loadAgent(ctx, auth, b.agent_id, stores);
        if (b.state === "start_scheduled") requireAgentHeader(request, agent.id);
        if (!agent.doc.enabled) throw forbidden("The agent is disabled.");
        if (agent.doc.vault === null) throw forbidden("The agent has no vault.");
        const active = (await stores.jobs.activeForAgent(agent.id)).find((j) => j.kind === "cleanup");
        if (active !== undefined) throw conflict(`A cleanup of this agent's vault is already running (${active.id}).`);
        const record = newJob({ kind: "cleanup", projectId: auth.projectId, agentId: agent.id, vaultId: agent.doc.vault.id, state: b.state, now, doc: { snapshot_ids: [] } });
        const stored = { ...record, seq: await stores.jobs.insert(record) };
        if (b.state === "start_requested") {
          await emit({
            projectId: auth.projectId,
            agentId: agent.id,
            jobId: stored.id,
            type: "cleanup_start_request",
            doc: { agent: { id: agent.id, vault: { id: agent.doc.vault.id, encrypted: agent.doc.vault.encrypted } }, cleanup: { id: stored.id }, request_id: newId() },
          });
        } else {
          await emit(stateEvent(stored));
        }
        return stored;
      });
      void reply.header("Location", hrefs.project("cleanups", job.id));
      return jobView(hrefs, job);
    },
  });
}
