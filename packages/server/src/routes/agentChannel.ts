// The agent's channel: its settings document, its event feed (the command channel, with
// long-polling: [our choice] `?wait=<seconds>` holds the request until an event newer than
// `marker` exists or the wait ends) and the signals it posts (heartbeat, progress, results).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { defineRoute } from "../http/route.js";
import { pagingQueryProperties } from "../http/pagination.js";
import { text } from "../http/schemas.js";
import { MIN_HEARTBEAT_TIMEOUT_MS } from "../services/agentPolicy.js";
import { handleAgentSignal, type AgentSignal } from "../services/agentSignals.js";
import { pageEvents } from "../services/listing.js";
import { loadAgent } from "../services/lookup.js";
import { agentConfigurationView } from "../views/agentConfigurationView.js";

const SIGNALS = ["startup", "shutdown", "heartbeat", "agent_activate", "backup_progress", "restore_progress", "cleanup_progress", "host_browsed", "backup_browsed"];
const jobRef = { type: "object", required: ["id"], properties: { id: text(64) } } as const;
const byteCount = { type: "integer", minimum: 0 } as const;

/** Registers the agent channel routes. */
export function registerAgentChannelRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/configuration",
    operationId: "getAgentConfiguration",
    summary: "The agent's settings: polling/heartbeat policy, vault, configurations with next run times",
    tag: "agents",
    role: "observer",
    agent: "own",
    status: 200,
    response: { $ref: "#/components/schemas/AgentConfiguration" },
    async handler({ auth, params, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const configurations = await ctx.stores.configurations.list(auth.projectId, { agentId: agent.id });
      return agentConfigurationView(hrefs, agent, configurations, ctx.clock.now());
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/events",
    operationId: "listAgentEvents",
    summary: "The agent's event feed (its command channel). marker = last event id seen; wait = seconds to long-poll for new events",
    tag: "events",
    role: "observer",
    agent: "own",
    status: 200,
    querystring: {
      type: "object",
      properties: { ...pagingQueryProperties, wait: { type: "integer", minimum: 0, maximum: 300, description: "Long-poll: seconds to hold the request while no event is newer than marker" } },
    },
    response: { $ref: "#/components/schemas/EventList" },
    async handler({ auth, params, query, hrefs, reply }) {
      // An agent polling its own feed needs no agent lookup: its token exists only while the
      // agent does (deleting an agent revokes its tokens), and the feed query is scoped anyway.
      const agent = auth.agentId !== null && auth.agentId === params.agent_id ? { id: auth.agentId } : await loadAgent(ctx, auth, params.agent_id as string);
      const base = hrefs.project("agents", agent.id, "events");
      const filter = { projectId: auth.projectId, agentId: agent.id };
      const waitMs = Math.min(((query.wait as number | undefined) ?? 0) * 1000, ctx.settings.longPollMaxMs);
      // Mark before every read: a wake between the read and the wait then ends the wait at once.
      let mark = ctx.bus.mark(auth.projectId, agent.id);
      let page = await pageEvents(ctx, filter, query, base, "asc");
      if (page.records.length > 0 || waitMs === 0 || query.sort_dir === "desc") return { events: page.events, links: page.links };
      const deadline = Date.now() + waitMs;
      const aborted = new AbortController();
      const onClose = (): void => aborted.abort();
      reply.raw.once("close", onClose);
      try {
        while (page.records.length === 0) {
          const remaining = deadline - Date.now();
          if (remaining <= 0 || aborted.signal.aborted) break;
          const woken = await ctx.bus.wait(auth.projectId, agent.id, remaining, aborted.signal, mark);
          if (aborted.signal.aborted) break;
          mark = ctx.bus.mark(auth.projectId, agent.id);
          page = await pageEvents(ctx, filter, query, base, "asc");
          if (!woken) break;
        }
      } finally {
        reply.raw.removeListener("close", onClose);
      }
      return { events: page.events, links: page.links };
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/events",
    operationId: "postAgentEvent",
    summary:
      "Agent signals (needs X-Agent-Id): startup, shutdown, heartbeat, <kind>_progress, host_browsed/backup_browsed results; users: agent_activate {mode}",
    tag: "events",
    role: "observer",
    agent: "own",
    status: 202,
    body: {
      type: "object",
      required: ["event"],
      properties: {
        event: { type: "string", enum: SIGNALS },
        mode: { type: "string", enum: ["idle", "active", "real_time"] },
        backup: jobRef,
        restore: jobRef,
        cleanup: jobRef,
        bytes_completed: byteCount,
        bytes_remaining: byteCount,
        total_bytes: byteCount,
        request_id: text(64),
        succeeded: { type: "boolean" },
        path: { type: "string", maxLength: 4096 },
        path_encoded: { type: ["string", "null"], maxLength: 16384 },
        items: {
          type: "array",
          maxItems: 100_000,
          items: {
            type: "object",
            required: ["name"],
            properties: { name: { type: "string", maxLength: 4096 }, name_encoded: { type: ["string", "null"] }, bytes: byteCount, mime_type: { type: "string", maxLength: 255 } },
          },
        },
      },
    },
    async handler({ auth, params, body, request }) {
      const h = request.headers["x-agent-id"];
      const header = Array.isArray(h) ? h[0] : h;
      const signal = body as AgentSignal;
      // The hot path: an online agent's own heartbeat is one UPDATE (see recordHeartbeat).
      if (signal.event === "heartbeat" && auth.agentId !== null && auth.agentId === params.agent_id && header === auth.agentId) {
        if (await ctx.stores.agents.heartbeatIfOnline(auth.projectId, auth.agentId, ctx.clock.now(), MIN_HEARTBEAT_TIMEOUT_MS)) return undefined;
      }
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      await handleAgentSignal(ctx, auth, agent, signal, header);
      return undefined;
    },
  });
}
