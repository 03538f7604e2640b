// One helper registers every API route: it prefixes `/v2/:project_id`, attaches JSON schemas
// (validation and OpenAPI), runs authentication first, before the body is even parsed (so a bad token is a 401
// whatever the body), sets the success status, and records the route's metadata
// (operationId, role, documented responses) for the OpenAPI generator.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authenticate, checkProjectHeader, type AgentAccess, type Auth } from "../auth/authenticate.js";
import type { Requirement } from "../auth/roles.js";
import type { AppContext } from "../context.js";
import { badRequest } from "../errors.js";
import { Hrefs, rootUrl } from "./links.js";
import { COLLECTIONS, MISSING_PROJECT, PROJECT_ID_PATTERN } from "../projectIds.js";

/** JSON schema of a project id in the path. */
export const PROJECT_ID_SCHEMA = { type: "string", minLength: 1, maxLength: 64, pattern: PROJECT_ID_PATTERN } as const;

/** JSON schema of a resource id in the path. */
export const ID_SCHEMA = { type: "string", minLength: 1, maxLength: 64 } as const;

/** What a handler receives. */
export interface RouteInput {
  request: FastifyRequest;
  reply: FastifyReply;
  auth: Auth;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  hrefs: Hrefs;
}

/** A route of the API. */
export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path under `/v2/{project_id}` (or an absolute path with `absolute: true`). */
  path: string;
  absolute?: boolean;
  operationId: string;
  summary: string;
  tag: string;
  role: Requirement;
  agent?: AgentAccess;
  /** Success status. */
  status: number;
  /** Extra documented statuses besides the common ones. */
  statuses?: number[];
  params?: Record<string, unknown>;
  querystring?: Record<string, unknown>;
  body?: Record<string, unknown>;
  /** Request content type of the body (default application/json). */
  bodyType?: string;
  /** OpenAPI schema (or `$ref`) of the success body. */
  response?: Record<string, unknown>;
  handler(input: RouteInput): Promise<unknown>;
}

declare module "fastify" {
  interface FastifyRequest {
    cairnAuth: Auth | null;
  }
}

/** Registers `spec` on `app`. */
export function defineRoute(app: FastifyInstance, ctx: AppContext, spec: RouteSpec): void {
  const url = spec.absolute === true ? spec.path : `/v2/:project_id${spec.path}`;
  const paramNames = [...url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1] as string);
  const params =
    paramNames.length === 0
      ? undefined
      : {
          type: "object",
          required: paramNames,
          properties: Object.fromEntries(paramNames.map((n) => [n, n === "project_id" ? PROJECT_ID_SCHEMA : (spec.params?.[n] ?? ID_SCHEMA)])),
        };
  const publicRoute = spec.role === "public";
  app.route({
    method: spec.method,
    url,
    schema: {
      ...(params === undefined ? {} : { params }),
      ...(spec.querystring === undefined ? {} : { querystring: spec.querystring }),
      ...(spec.body === undefined ? {} : { body: spec.body }),
    },
    config: { cairn: spec },
    onRequest: async (request) => {
      const project = (request.params as Record<string, string | undefined>).project_id;
      // `/v2/agents/…` without X-Project-Id: the collection name landed in the project slot.
      if (project !== undefined && COLLECTIONS.has(project)) throw badRequest(MISSING_PROJECT);
      if (publicRoute) {
        const p = project;
        if (p !== undefined) checkProjectHeader(request, p);
        request.cairnAuth = null;
        return;
      }
      request.cairnAuth = await authenticate(ctx, request, spec.role, spec.agent ?? "deny");
    },
    handler: async (request, reply) => {
      const params = request.params as Record<string, string>;
      const auth = request.cairnAuth ?? { projectId: params.project_id ?? "", role: "observer", userId: null, agentId: null };
      const hrefs = new Hrefs(rootUrl(request, ctx.settings.publicUrl), auth.projectId);
      const result = await spec.handler({ request, reply, auth, params, query: (request.query ?? {}) as Record<string, unknown>, body: request.body, hrefs });
      if (reply.sent) return reply;
      void reply.code(spec.status);
      if (result === undefined) return reply.send();
      return reply.type("application/json").send(result);
    },
  });
}
