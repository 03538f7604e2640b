// Builds the OpenAPI 3.1 document from the routes actually registered (their JSON schemas and
// metadata), so the document cannot drift from the server. `scripts/write-openapi.mjs` writes
// it to packages/server/openapi.json; a test checks that file against a live server.
import type { RegisteredRoute } from "../http/routeMatcher.js";
import type { RouteSpec } from "../http/route.js";
import { componentSchemas } from "./components.js";

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  400: "Invalid request (validation failure, malformed JSON, bad patch)",
  401: "Missing, unknown or expired token",
  403: "Role too low, another project, or a forbidden business rule",
  404: "Not found (or not in this project)",
  405: "Method not allowed",
  406: "Not acceptable (JSON only)",
  409: "State conflict",
  413: "Request body too large",
  415: "Unsupported content type",
  500: "Internal error",
  503: "Unavailable",
};

const errorResponse = (status: number): Record<string, unknown> => ({ description: STATUS_TEXT[status] ?? "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

function operation(route: RegisteredRoute, spec: RouteSpec): Record<string, unknown> {
  const schema = route.schema ?? {};
  const parameters: Record<string, unknown>[] = [];
  const params = (schema.params as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const [name, s] of Object.entries(params)) parameters.push({ name, in: "path", required: true, schema: s });
  const query = (schema.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const [name, s] of Object.entries(query)) {
    const { description, ...rest } = s as { description?: string };
    parameters.push({ name, in: "query", required: false, schema: rest, ...(description === undefined ? {} : { description }) });
  }
  const responses: Record<string, unknown> = {
    [String(spec.status)]: {
      description: STATUS_TEXT[spec.status] ?? "Success",
      ...(spec.response === undefined ? {} : { content: { "application/json": { schema: spec.response } } }),
    },
  };
  const errors = new Set<number>([400, 500, ...(spec.statuses ?? [])]);
  if (spec.role !== "public") [401, 403].forEach((s) => errors.add(s));
  if (route.url.includes("/:")) errors.add(404);
  if (schema.body !== undefined) [413, 415].forEach((s) => errors.add(s));
  for (const s of [...errors].sort()) if (String(s) !== String(spec.status)) responses[String(s)] = errorResponse(s);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(schema.body === undefined
      ? {}
      : { requestBody: { required: spec.method !== "POST" || !route.url.endsWith("/logfiles"), content: { [spec.bodyType ?? "application/json"]: { schema: schema.body } } } }),
    responses,
    security: spec.role === "public" ? [] : [{ authToken: [] }],
    "x-cairn-role": spec.role,
    ...(spec.agent === "own" ? { "x-cairn-agent-token": "own agent only" } : {}),
  };
}

/** The OpenAPI 3.1 document of `routes`. */
export function buildOpenApi(routes: readonly RegisteredRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const spec = (route.config as { cairn?: RouteSpec } | undefined)?.cairn;
    if (spec === undefined) continue;
    const path = route.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route, spec);
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: "3.1.0",
    info: {
      title: "Cairn Cloud Backup API v2",
      version,
      description:
        "Wire-compatible implementation of the Cloud Backup API v2. Every /v2/{project_id}/… route is also served as /v2/… with an X-Project-Id header. " +
        "Decisions where the v2 guide is silent are listed in docs/api.md.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    paths: sorted,
    components: {
      schemas: componentSchemas,
      securitySchemes: { authToken: { type: "apiKey", in: "header", name: "X-Auth-Token", description: "Token from POST /v2.0/tokens or POST /v2/{project_id}/agents/tokens" } },
    },
  };
}
