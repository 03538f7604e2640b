// Project-wide events (spec §3.8) and a configuration's events (§3.7).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { newId } from "../ids.js";
import { pagingQueryProperties } from "../http/pagination.js";
import { defineRoute } from "../http/route.js";
import { pageEvents } from "../services/listing.js";
import { loadConfiguration } from "../services/lookup.js";

/** Registers POST/GET /events and GET /configurations/{id}/events. */
export function registerEventRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/events",
    operationId: "activateAgents",
    summary: "Tell every agent of the project how often to poll and heartbeat (agent_activate: idle | active | real_time)",
    tag: "events",
    role: "observer",
    status: 202,
    body: {
      type: "object",
      required: ["event", "mode"],
      properties: { event: { type: "string", enum: ["agent_activate"] }, mode: { type: "string", enum: ["idle", "active", "real_time"] } },
    },
    async handler({ auth, body }) {
      const { mode } = body as { mode: "idle" | "active" | "real_time" };
      const now = ctx.clock.now();
      await ctx.stores.agents.setMode(auth.projectId, null, mode, mode === "idle" ? null : now + ctx.settings.activationMs);
      await ctx.emit({ projectId: auth.projectId, agentId: null, type: "agent_activate", doc: { mode, request_id: newId() } });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/events",
    operationId: "listProjectEvents",
    summary: "Events of every agent of the project (newest first by default)",
    tag: "events",
    role: "observer",
    status: 200,
    querystring: { type: "object", properties: pagingQueryProperties },
    response: { $ref: "#/components/schemas/EventList" },
    async handler({ auth, query, hrefs }) {
      const page = await pageEvents(ctx, { projectId: auth.projectId }, query, hrefs.project("events"), "desc");
      return { events: page.events, links: page.links };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/configurations/:configuration_id/events",
    operationId: "listConfigurationEvents",
    summary: "Backup and restore events of the configuration (newest first by default)",
    tag: "events",
    role: "observer",
    agent: "own",
    status: 200,
    querystring: { type: "object", properties: pagingQueryProperties },
    response: { $ref: "#/components/schemas/EventList" },
    async handler({ auth, params, query, hrefs }) {
      const c = await loadConfiguration(ctx, auth, params.configuration_id as string);
      const page = await pageEvents(ctx, { projectId: auth.projectId, configurationId: c.id }, query, hrefs.project("configurations", c.id, "events"), "desc");
      return { events: page.events, links: page.links };
    },
  });
}
