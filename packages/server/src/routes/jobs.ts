// Routes shared by backups, restores and cleanups: list, get, patch, errors, events
// (spec §3.5, §3.6, §3.9). Creation differs per kind and lives in backups/restores/cleanups.ts.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { PATCH_BODY_SCHEMA, readPatch } from "../http/jsonPatch.js";
import { pagingQueryProperties } from "../http/pagination.js";
import { defineRoute } from "../http/route.js";
import { text } from "../http/schemas.js";
import { pageEvents, pageJobs } from "../services/listing.js";
import { applyJobPatch, jobPatchRules } from "../services/jobPatch.js";
import { loadJob } from "../services/lookup.js";
import { isRestorable, type ActivityKind } from "../state/machines.js";
import { errorReportView, jobView } from "../views/jobView.js";

const TITLE: Record<ActivityKind, string> = { backup: "Backup", restore: "Restore", cleanup: "Cleanup" };
const SCHEMA: Record<ActivityKind, string> = { backup: "#/components/schemas/Backup", restore: "#/components/schemas/Restore", cleanup: "#/components/schemas/Cleanup" };

/** Registers list/get/patch/errors/events for one job kind. */
export function registerJobRoutes(app: FastifyInstance, ctx: AppContext, kind: ActivityKind): void {
  const plural = `${kind}s`;
  const idParam = `${kind}_id`;
  const title = TITLE[kind];
  const rules = jobPatchRules(kind);

  defineRoute(app, ctx, {
    method: "GET",
    path: `/${plural}`,
    operationId: `list${title}s`,
    summary: `List ${plural}, newest first by default`,
    tag: plural,
    role: "observer",
    status: 200,
    querystring: {
      type: "object",
      properties: {
        ...pagingQueryProperties,
        ...(kind === "backup" ? { restorable: { type: "boolean" }, configuration_id: text(64) } : {}),
      },
    },
    response: { type: "object", properties: { [plural]: { type: "array", items: { $ref: SCHEMA[kind] } }, links: { $ref: "#/components/schemas/Links" } } },
    async handler({ auth, query, hrefs }) {
      const page = await pageJobs(
        ctx,
        {
          projectId: auth.projectId,
          kinds: [kind],
          ...(query.restorable === true ? { restorable: true } : {}),
          ...(typeof query.configuration_id === "string" ? { configurationId: query.configuration_id } : {}),
        },
        query,
        hrefs.project(plural),
      );
      return { [plural]: page.items.map((j) => jobView(hrefs, j, true)), links: page.links };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: `/${plural}/:${idParam}`,
    operationId: `get${title}`,
    summary: `${title} details`,
    tag: plural,
    role: "observer",
    agent: "own",
    status: 200,
    response: { $ref: SCHEMA[kind] },
    async handler({ auth, params, hrefs }) {
      return jobView(hrefs, await loadJob(ctx, auth, kind, params[idParam] as string));
    },
  });

  defineRoute(app, ctx, {
    method: "PATCH",
    path: `/${plural}/:${idParam}`,
    operationId: `patch${title}`,
    summary: `Report ${kind} progress or result (agent), or request a stop (JSON Patch); 409 once terminal`,
    tag: plural,
    role: "creator",
    agent: "own",
    status: 204,
    statuses: [409],
    body: PATCH_BODY_SCHEMA,
    bodyType: "application/json-patch+json",
    async handler({ auth, params, body }) {
      const changes = readPatch(body, rules);
      await ctx.transaction(async (stores, emit) => {
        const job = await loadJob(ctx, auth, kind, params[idParam] as string, stores);
        const event = applyJobPatch(job, changes, ctx.clock.now());
        await stores.jobs.update(job, isRestorable(job.state) && kind === "backup");
        if (event !== undefined) await emit(event);
      });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: `/${plural}/:${idParam}/errors`,
    operationId: `get${title}Errors`,
    summary: `The ${kind}'s error report`,
    tag: plural,
    role: "observer",
    agent: "own",
    status: 200,
    response: { $ref: "#/components/schemas/ErrorReport" },
    async handler({ auth, params, hrefs }) {
      return errorReportView(hrefs, await loadJob(ctx, auth, kind, params[idParam] as string));
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: `/${plural}/:${idParam}/events`,
    operationId: `list${title}Events`,
    summary: `The ${kind}'s events (marker = last event id seen; oldest first by default)`,
    tag: plural,
    role: "observer",
    agent: "own",
    status: 200,
    querystring: { type: "object", properties: pagingQueryProperties },
    response: { $ref: "#/components/schemas/EventList" },
    async handler({ auth, params, query, hrefs }) {
      const job = await loadJob(ctx, auth, kind, params[idParam] as string);
      const page = await pageEvents(ctx, { projectId: auth.projectId, jobId: job.id }, query, hrefs.project(plural, job.id, "events"), "asc");
      return { events: page.events, links: page.links };
    },
  });
}
