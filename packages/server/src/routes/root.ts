// Unauthenticated operational routes: the version list (GET /), the OpenAPI document, health
// and ping ([our choice]: no token for these, a load balancer cannot send one).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { notFound } from "../errors.js";
import { rootUrl } from "../http/links.js";
import { defineRoute } from "../http/route.js";

/** Names accepted by `GET /health/{dependent_system}` → the component they report. */
const SYSTEMS: Record<string, "database" | "events" | "http"> = {
  database: "database",
  storage: "database",
  cassandra: "database",
  events: "events",
  rse: "events",
  http: "http",
  transport: "http",
  pecan: "http",
};

async function databaseOnline(ctx: AppContext): Promise<boolean> {
  try {
    await ctx.db.get("SELECT 1 AS ok");
    return true;
  } catch {
    return false;
  }
}

/** The v2 entry of the version list (spec §3.2 [our choice]: OpenStack style). */
function v2(root: string): Record<string, unknown> {
  return {
    id: "v2",
    status: "CURRENT",
    updated: "2016-06-30T00:00:00Z",
    "media-types": [{ base: "application/json", type: "application/json" }],
    links: [
      { href: `${root}/v2/`, rel: "self" },
      { href: `${root}/openapi.json`, rel: "describedby" },
    ],
  };
}

/** Registers GET /, GET /v2, GET /openapi.json, health and ping. */
export function registerRootRoutes(app: FastifyInstance, ctx: AppContext, openapi: () => unknown, version: string): void {
  defineRoute(app, ctx, {
    method: "GET",
    path: "/",
    absolute: true,
    operationId: "listVersions",
    summary: "List API versions",
    tag: "meta",
    role: "public",
    status: 200,
    response: { $ref: "#/components/schemas/Versions" },
    async handler({ request }) {
      return { versions: [v2(rootUrl(request, ctx.settings.publicUrl))], server: { name: "cairn", version } };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/v2",
    absolute: true,
    operationId: "getVersion",
    summary: "The v2 version document (where GET / links to)",
    tag: "meta",
    role: "public",
    status: 200,
    response: { $ref: "#/components/schemas/Version" },
    async handler({ request }) {
      return { version: v2(rootUrl(request, ctx.settings.publicUrl)) };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/openapi.json",
    absolute: true,
    operationId: "getOpenApi",
    summary: "This API's OpenAPI 3.1 document",
    tag: "meta",
    role: "public",
    status: 200,
    response: { type: "object" },
    async handler() {
      return openapi();
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/health",
    operationId: "getHealth",
    summary: "Health of the service and its dependencies (503 when degraded)",
    tag: "health",
    role: "public",
    status: 200,
    statuses: [503],
    response: { $ref: "#/components/schemas/Health" },
    async handler({ reply, hrefs }) {
      const db = await databaseOnline(ctx);
      const body = {
        event: { rse: { online: true, regions: { [ctx.settings.region]: { online: true } }, links: [hrefs.link("self", "health", "events")] } },
        storage: { database: { online: db, dialect: ctx.db.dialect, links: [hrefs.link("self", "health", "database")] } },
        transport: { http: { online: true, node: process.version, links: [hrefs.link("self", "health", "http")] } },
      };
      if (!db) void reply.code(503);
      return reply.send(body);
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/health/:dependent_system",
    operationId: "getDependentHealth",
    summary: "Health of one dependency: database (alias storage, cassandra), events (rse), http (transport, pecan)",
    tag: "health",
    role: "public",
    status: 200,
    statuses: [503, 404],
    response: { $ref: "#/components/schemas/DependentHealth" },
    async handler({ reply, params, hrefs }) {
      const system = SYSTEMS[params.dependent_system?.toLowerCase() ?? ""];
      if (system === undefined) throw notFound("Dependent system");
      const online = system === "database" ? await databaseOnline(ctx) : true;
      if (!online) void reply.code(503);
      return reply.send({ online, links: [hrefs.link("self", "health", params.dependent_system ?? system)] });
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/ping",
    operationId: "ping",
    summary: "Liveness check for load balancers",
    tag: "health",
    role: "public",
    status: 204,
    async handler() {
      return undefined;
    },
  });
}
