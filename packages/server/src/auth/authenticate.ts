// Turns X-Auth-Token into an {@link Auth} for the project in the path, enforcing the route's
// role and the agent-token rules: an agent token acts as `creator` in its own project, only on
// routes open to agents, and only on its own agent.
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { badRequest, forbidden, unauthorized } from "../errors.js";
import { allows, type Requirement, type Role } from "./roles.js";

/** The caller of an authenticated request. */
export interface Auth {
  projectId: string;
  role: Role;
  userId: string | null;
  /** Set when the caller is an agent (agent token). */
  agentId: string | null;
}

/** How a route treats agent tokens. */
export type AgentAccess = "own" | "deny";

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Rejects a path/header project mismatch (spec §1.1 [our choice]: 400). */
export function checkProjectHeader(request: FastifyRequest, projectId: string): void {
  const h = header(request, "x-project-id");
  if (h !== undefined && h !== projectId) throw badRequest(`X-Project-Id (${h}) does not match the project in the path (${projectId}).`);
}

/**
 * Authenticates and authorises a request.
 * @throws HttpError 401 (no/unknown/expired token), 403 (not a member, role too low, agent rules).
 */
export async function authenticate(ctx: AppContext, request: FastifyRequest, required: Requirement, agentAccess: AgentAccess): Promise<Auth> {
  const params = request.params as Record<string, string | undefined>;
  const projectId = params.project_id ?? "";
  checkProjectHeader(request, projectId);
  const token = header(request, "x-auth-token");
  if (token === undefined || token.length === 0) throw unauthorized();
  const identity = await ctx.stores.identity.resolveToken(token);
  if (identity === undefined) throw unauthorized("The token is unknown or has expired; authenticate again.");
  if (identity.agentId !== null) {
    if (identity.projectId !== projectId) throw forbidden(`This token is not valid for project ${projectId}.`);
    if (agentAccess !== "own" || !allows("creator", required)) throw forbidden("Agent tokens may not use this operation.");
    if (params.agent_id !== undefined && params.agent_id !== identity.agentId) throw forbidden("An agent token may only act on its own agent.");
    return { projectId, role: "creator", userId: null, agentId: identity.agentId };
  }
  if (identity.userId === null) throw unauthorized();
  const role = await ctx.stores.identity.roleIn(identity.userId, projectId);
  if (role === undefined) throw forbidden(`You have no role in project ${projectId}.`);
  if (!allows(role, required)) throw forbidden(`This operation requires the ${required} role; you are ${role}.`);
  return { projectId, role, userId: identity.userId, agentId: null };
}

/**
 * For agent callers: the resource must belong to their agent.
 * @throws HttpError 403 otherwise.
 */
export function assertAgentScope(auth: Auth, agentId: string | null | undefined): void {
  if (auth.agentId !== null && auth.agentId !== agentId) throw forbidden("An agent token may only act on its own agent.");
}
