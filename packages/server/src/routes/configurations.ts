// Backup configurations (spec §3.7): create, list, get, patch, soft delete; and the agent's
// list of its configurations (§3.4).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { conflict } from "../errors.js";
import type { Auth } from "../auth/authenticate.js";
import { newId } from "../ids.js";
import { isBoolean, isCount, isText, PATCH_BODY_SCHEMA, readPatch } from "../http/jsonPatch.js";
import { schemaCheck } from "../http/validation.js";
import { defineRoute } from "../http/route.js";
import { pathRulesSchema, text } from "../http/schemas.js";
import { anchoredSchedule, assertValidConfiguration, notificationsSchema, scheduleSchema } from "../services/configurationInput.js";
import { loadAgent, loadConfiguration } from "../services/lookup.js";
import type { ConfigurationDoc, ConfigurationRecord } from "../store/model.js";
import type { Stores } from "../store/stores.js";
import type { NewEvent } from "../events/eventBus.js";
import { configurationSummaryView, configurationView } from "../views/configurationView.js";

interface CreateBody extends Omit<ConfigurationDoc, "schedule"> {
  agent_id: string;
  schedule: { recurrence: string[]; time_zone: string } | null;
}

const PATCH_RULES = {
  ops: ["replace"],
  paths: {
    "/name": isText(255),
    "/enabled": isBoolean,
    "/schedule": schemaCheck(scheduleSchema),
    "/retention/days": isCount,
    "/inclusions": schemaCheck(pathRulesSchema),
    "/exclusions": schemaCheck(pathRulesSchema),
    "/notifications": schemaCheck(notificationsSchema),
  },
};

const changed = (c: ConfigurationRecord): NewEvent => ({
  projectId: c.projectId,
  agentId: c.agentId,
  configurationId: c.id,
  type: "configuration_changed",
  doc: { agent: { id: c.agentId }, configuration: { id: c.id }, request_id: newId() },
});

async function othersOfAgent(stores: Stores, auth: Auth, agentId: string, exceptId: string | undefined): Promise<ConfigurationDoc[]> {
  return (await stores.configurations.list(auth.projectId, { agentId })).filter((c) => c.id !== exceptId).map((c) => c.doc);
}

/** Registers the configuration routes. */
export function registerConfigurationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const lastCompleted = (id: string) => ctx.stores.jobs.lastCompleted(id);

  defineRoute(app, ctx, {
    method: "POST",
    path: "/configurations",
    operationId: "createConfiguration",
    summary: "Create a backup configuration (schedule null = manual backups only)",
    tag: "configurations",
    role: "creator",
    status: 201,
    body: {
      type: "object",
      required: ["agent_id", "name", "enabled", "schedule", "retention", "inclusions", "exclusions", "notifications"],
      properties: {
        agent_id: text(64),
        name: text(255),
        enabled: { type: "boolean" },
        schedule: scheduleSchema,
        retention: { type: "object", required: ["days"], properties: { days: { type: "integer", minimum: 0, maximum: 36_500 } } },
        inclusions: pathRulesSchema,
        exclusions: pathRulesSchema,
        notifications: notificationsSchema,
      },
    },
    response: { $ref: "#/components/schemas/Configuration" },
    async handler({ auth, body, hrefs, reply }) {
      const b = body as CreateBody;
      const now = ctx.clock.now();
      const record = await ctx.transaction(async (stores, emit) => {
        const agent = await loadAgent(ctx, auth, b.agent_id, stores);
        const doc: ConfigurationDoc = {
          name: b.name,
          enabled: b.enabled,
          schedule: anchoredSchedule(b.schedule, now),
          retention: { days: b.retention.days },
          inclusions: b.inclusions,
          exclusions: b.exclusions,
          notifications: b.notifications,
        };
        assertValidConfiguration(doc, await othersOfAgent(stores, auth, agent.id, undefined));
        const c: ConfigurationRecord = { id: newId(), projectId: auth.projectId, agentId: agent.id, deleted: false, createdAt: now, updatedAt: now, scheduleCursor: now, doc };
        await stores.configurations.insert(c);
        await emit(changed(c));
        return c;
      });
      void reply.header("Location", hrefs.project("configurations", record.id));
      return configurationView(hrefs, record, undefined, now);
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/configurations",
    operationId: "listConfigurations",
    summary: "List configurations (restorable=true: only those with restorable backups, deleted ones included)",
    tag: "configurations",
    role: "observer",
    status: 200,
    querystring: { type: "object", properties: { restorable: { type: "boolean" } } },
    response: { type: "object", properties: { configurations: { type: "array", items: { $ref: "#/components/schemas/ConfigurationSummary" } }, links: { $ref: "#/components/schemas/Links" } } },
    async handler({ auth, query, hrefs }) {
      const now = ctx.clock.now();
      let list: ConfigurationRecord[];
      if (query.restorable === true) {
        const withBackups = await ctx.stores.jobs.configurationsWithRestorable(auth.projectId);
        list = (await ctx.stores.configurations.list(auth.projectId, { includeDeleted: true })).filter((c) => withBackups.has(c.id));
      } else {
        list = await ctx.stores.configurations.list(auth.projectId);
      }
      const items = await Promise.all(list.map(async (c) => configurationSummaryView(hrefs, c, await lastCompleted(c.id), now)));
      return { configurations: items, links: [hrefs.link("self", "configurations")] };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/configurations",
    operationId: "listAgentConfigurations",
    summary: "List an agent's configurations",
    tag: "configurations",
    role: "observer",
    agent: "own",
    status: 200,
    response: { type: "object", properties: { configurations: { type: "array", items: { $ref: "#/components/schemas/ConfigurationSummary" } }, links: { $ref: "#/components/schemas/Links" } } },
    async handler({ auth, params, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const now = ctx.clock.now();
      const list = await ctx.stores.configurations.list(auth.projectId, { agentId: agent.id });
      return {
        configurations: await Promise.all(list.map(async (c) => configurationSummaryView(hrefs, c, await lastCompleted(c.id), now))),
        links: [hrefs.link("self", "agents", agent.id, "configurations")],
      };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/configurations/:configuration_id",
    operationId: "getConfiguration",
    summary: "Configuration details (soft-deleted ones show deleted: true)",
    tag: "configurations",
    role: "observer",
    agent: "own",
    status: 200,
    response: { $ref: "#/components/schemas/Configuration" },
    async handler({ auth, params, hrefs }) {
      const c = await loadConfiguration(ctx, auth, params.configuration_id as string);
      return configurationView(hrefs, c, await lastCompleted(c.id), ctx.clock.now());
    },
  });

  defineRoute(app, ctx, {
    method: "PATCH",
    path: "/configurations/:configuration_id",
    operationId: "patchConfiguration",
    summary: "Replace name, enabled, schedule, retention days, inclusions, exclusions or notifications (JSON Patch)",
    tag: "configurations",
    role: "creator",
    status: 204,
    statuses: [409],
    body: PATCH_BODY_SCHEMA,
    bodyType: "application/json-patch+json",
    async handler({ auth, params, body }) {
      const changes = readPatch(body, PATCH_RULES);
      const now = ctx.clock.now();
      await ctx.transaction(async (stores, emit) => {
        const c = await loadConfiguration(ctx, auth, params.configuration_id as string, stores);
        if (c.deleted) throw conflict("The configuration has been deleted; it cannot be modified.");
        const doc: ConfigurationDoc = structuredClone(c.doc);
        let cursor = c.scheduleCursor;
        for (const { path, value } of changes) {
          if (path === "/name") doc.name = value as string;
          else if (path === "/enabled") {
            if (!doc.enabled && value === true) cursor = now; // runs while disabled are not "missed"
            doc.enabled = value as boolean;
          } else if (path === "/schedule") {
            doc.schedule = anchoredSchedule(value as { recurrence: string[]; time_zone: string } | null, now);
            cursor = now;
          } else if (path === "/retention/days") doc.retention = { days: value as number };
          else if (path === "/inclusions") doc.inclusions = value as ConfigurationDoc["inclusions"];
          else if (path === "/exclusions") doc.exclusions = value as ConfigurationDoc["exclusions"];
          else if (path === "/notifications") doc.notifications = value as ConfigurationDoc["notifications"];
        }
        assertValidConfiguration(doc, await othersOfAgent(stores, auth, c.agentId, c.id));
        await stores.configurations.update(c.id, doc, now, cursor);
        await emit(changed(c));
      });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "DELETE",
    path: "/configurations/:configuration_id",
    operationId: "deleteConfiguration",
    summary: "Soft-delete a configuration (GET still returns it, with deleted: true)",
    tag: "configurations",
    role: "admin",
    status: 204,
    async handler({ auth, params }) {
      await ctx.transaction(async (stores, emit) => {
        const c = await loadConfiguration(ctx, auth, params.configuration_id as string, stores);
        if (c.deleted) return;
        await stores.configurations.softDelete(c.id, ctx.clock.now());
        await emit(changed(c));
      });
      return undefined;
    },
  });
}
