// Activities (spec §3.3, §2.9): the read-only projection of backups, restores and cleanups.
// Filters `type`, `state`, `agent_ids`, `configuration_ids` come from the WADL.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { pagingQueryProperties } from "../http/pagination.js";
import { defineRoute } from "../http/route.js";
import { pageActivities } from "../services/listing.js";
import { loadAgent, loadConfiguration } from "../services/lookup.js";
import { JOB_STATES, type ActivityKind } from "../state/machines.js";
import { activityView } from "../views/jobView.js";

const KINDS: ActivityKind[] = ["backup", "restore", "cleanup"];
const list = (v: unknown): string[] | undefined => (typeof v === "string" && v.length > 0 ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined);
const typeFilter = { type: "string", enum: KINDS } as const;
const stateFilter = { type: "string", enum: JOB_STATES } as const;
const idList = { type: "string", maxLength: 10_000, description: "Comma-separated ids" } as const;
const activityList = { type: "object", properties: { activities: { type: "array", items: { $ref: "#/components/schemas/Activity" } }, links: { $ref: "#/components/schemas/Links" } } };

/** Registers the activity routes. */
export function registerActivityRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "GET",
    path: "/activities",
    operationId: "listActivities",
    summary: "All backups, restores and cleanups of the project as activities (newest first)",
    tag: "activities",
    role: "observer",
    status: 200,
    querystring: { type: "object", properties: { ...pagingQueryProperties, type: typeFilter, state: stateFilter, agent_ids: idList, configuration_ids: idList } },
    response: activityList,
    async handler({ auth, query, hrefs }) {
      const agentIds = list(query.agent_ids);
      const configurationIds = list(query.configuration_ids);
      const page = await pageActivities(
        ctx,
        {
          projectId: auth.projectId,
          kinds: typeof query.type === "string" ? [query.type as ActivityKind] : KINDS,
          ...(typeof query.state === "string" ? { states: [query.state] } : {}),
          ...(agentIds === undefined ? {} : { agentIds }),
          ...(configurationIds === undefined ? {} : { configurationIds }),
        },
        query,
        hrefs.project("activities"),
      );
      return { activities: page.items.map((j) => activityView(hrefs, j)), links: page.links };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/activities",
    operationId: "listAgentActivities",
    summary: "The agent's backups, cleanups and the restores it is the destination of",
    tag: "activities",
    role: "observer",
    agent: "own",
    status: 200,
    querystring: { type: "object", properties: { ...pagingQueryProperties, type: typeFilter, state: stateFilter, configuration_ids: idList } },
    response: activityList,
    async handler({ auth, params, query, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const configurationIds = list(query.configuration_ids);
      const page = await pageActivities(
        ctx,
        {
          projectId: auth.projectId,
          agentId: agent.id,
          kinds: typeof query.type === "string" ? [query.type as ActivityKind] : KINDS,
          ...(typeof query.state === "string" ? { states: [query.state] } : {}),
          ...(configurationIds === undefined ? {} : { configurationIds }),
        },
        query,
        hrefs.project("agents", agent.id, "activities"),
      );
      return { activities: page.items.map((j) => activityView(hrefs, j)), links: page.links };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/configurations/:configuration_id/activities",
    operationId: "listConfigurationActivities",
    summary: "Backups of the configuration and restores of those backups",
    tag: "activities",
    role: "observer",
    agent: "own",
    status: 200,
    querystring: { type: "object", properties: { ...pagingQueryProperties, state: stateFilter } },
    response: activityList,
    async handler({ auth, params, query, hrefs }) {
      const c = await loadConfiguration(ctx, auth, params.configuration_id as string);
      const page = await pageActivities(
        ctx,
        { projectId: auth.projectId, configurationId: c.id, kinds: KINDS, ...(typeof query.state === "string" ? { states: [query.state] } : {}) },
        query,
        hrefs.project("configurations", c.id, "activities"),
      );
      return { activities: page.items.map((j) => activityView(hrefs, j)), links: page.links };
    },
  });
}
