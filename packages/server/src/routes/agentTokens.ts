// Agent authentication (spec §3.4 POST /agents/tokens): anonymous; agent id + password +
// fingerprint. [our choice] The token is an agent-scoped token (creator rights on its own agent
// only), not the registering user's identity token.
import type { FastifyInstance } from "fastify";
import { verifySecret } from "../auth/passwords.js";
import { isoTime } from "../clock.js";
import type { AppContext } from "../context.js";
import { badRequest, conflict, unauthorized } from "../errors.js";
import { sameDigest, sha256Hex } from "../ids.js";
import { defineRoute } from "../http/route.js";
import { text } from "../http/schemas.js";
import { hostSchema } from "./agents.js";

interface TokenBody {
  project_id?: string;
  id: string;
  password: string;
  name?: string;
  version?: string;
  host: { fingerprint: string; os?: { name: string; version: string; architecture: string }; addresses?: { version: 4 | 6; addr: string }[] };
}

/** Registers POST /agents/tokens. */
export function registerAgentTokenRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/tokens",
    operationId: "createAgentToken",
    summary: "Agent login: agent id, password and host fingerprint → token (409 on fingerprint mismatch)",
    tag: "agents",
    role: "public",
    status: 200,
    statuses: [401, 409],
    body: {
      type: "object",
      required: ["id", "password", "host"],
      properties: {
        project_id: text(64),
        id: text(64),
        password: text(256),
        name: text(255),
        version: text(64),
        host: { ...hostSchema, required: ["fingerprint"] },
      },
    },
    response: { $ref: "#/components/schemas/AgentToken" },
    async handler({ params, body }) {
      const b = body as TokenBody;
      const projectId = params.project_id as string;
      if (b.project_id !== undefined && b.project_id !== projectId) throw badRequest("body.project_id does not match the project in the path.");
      const found = await ctx.stores.agents.getCredentials(projectId, b.id);
      if (found === undefined || !(await verifySecret(b.password, found.passwordHash))) throw unauthorized("Invalid agent id or password.");
      if (!sameDigest(found.fingerprintHash, sha256Hex(b.host.fingerprint))) {
        throw conflict("The host fingerprint does not match the registered one: this looks like a copy of another server. Register this host as a new agent.");
      }
      const doc = found.agent.doc;
      if (b.name !== undefined) doc.name = b.name;
      if (b.version !== undefined) doc.version = b.version;
      if (b.host.os !== undefined) doc.host.os = b.host.os;
      if (b.host.addresses !== undefined) doc.host.addresses = b.host.addresses;
      await ctx.stores.agents.updateDoc(found.agent.id, doc);
      const { token, expiresAt } = await ctx.stores.identity.issueToken({ userId: null, agentId: found.agent.id, projectId }, ctx.settings.agentTokenTtlMs);
      return { token: { id: token, expires: isoTime(expiresAt) } };
    },
  });
}
