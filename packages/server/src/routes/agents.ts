// Agents (spec §3.4): register, list, get, patch, delete, status.
import type { FastifyInstance } from "fastify";
import { hashSecret } from "../auth/passwords.js";
import type { AppContext } from "../context.js";
import { badRequest, forbidden } from "../errors.js";
import { newId, newSecret, sha256Hex } from "../ids.js";
import { isBoolean, isOneOf, isText, PATCH_BODY_SCHEMA, readPatch } from "../http/jsonPatch.js";
import { defineRoute } from "../http/route.js";
import { LOG_LEVELS, text } from "../http/schemas.js";
import { isOnline } from "../services/agentPolicy.js";
import { loadAgent } from "../services/lookup.js";
import type { AgentDoc, AgentRecord } from "../store/model.js";
import { agentView } from "../views/agentView.js";

const FLAVORS = ["nova", "rackspace_dedicated", "rackspace_private_cloud"] as const;
const USE_INTERNAL_DEFAULT: Record<AgentDoc["host"]["flavor"], boolean> = { nova: true, rackspace_dedicated: false, rackspace_private_cloud: true };

/** Host facts sent at registration and refreshed at agent login. */
export const hostSchema = {
  type: "object",
  properties: {
    flavor: { type: "string", enum: FLAVORS },
    region: { type: ["string", "null"], maxLength: 64 },
    machine: { type: "object", required: ["id"], properties: { id: text(255) } },
    os: { type: "object", required: ["name", "version", "architecture"], properties: { name: text(255), version: text(255), architecture: text(64) } },
    fingerprint: text(1024),
    addresses: {
      type: "array",
      maxItems: 64,
      items: { type: "object", required: ["version", "addr"], properties: { version: { type: "integer", enum: [4, 6] }, addr: text(64) } },
    },
  },
} as const;

interface RegisterBody {
  name: string;
  version: string;
  host: AgentDoc["host"] & { fingerprint: string };
  rsa_public_key: { modulus: string; exponent: string | number };
  vault?: { use_internal?: boolean };
}

const PATCH_RULES = {
  ops: ["replace", "add"],
  paths: { "/enabled": isBoolean, "/vault/region": isText(64), "/vault/use_internal": isBoolean, "/log_level": isOneOf(LOG_LEVELS) },
  aliases: { "/log-level": "/log_level" },
};

/** Registers the agent resource routes. */
export function registerAgentRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents",
    operationId: "registerAgent",
    summary: "Register an agent (the response is the only time its password is shown)",
    tag: "agents",
    role: "creator",
    status: 201,
    body: {
      type: "object",
      required: ["name", "version", "host", "rsa_public_key"],
      properties: {
        name: text(255),
        version: text(64),
        host: { ...hostSchema, required: ["flavor", "machine", "os", "fingerprint", "addresses"] },
        rsa_public_key: {
          type: "object",
          required: ["modulus", "exponent"],
          properties: { modulus: { type: "string", minLength: 2, maxLength: 4096, pattern: "^[0-9A-Fa-f]+$" }, exponent: { type: ["string", "integer"] } },
        },
        vault: { type: "object", properties: { use_internal: { type: "boolean" } } },
      },
    },
    response: { $ref: "#/components/schemas/Agent" },
    async handler({ auth, body, hrefs, reply }) {
      const b = body as RegisterBody;
      const problems: string[] = [];
      if (b.host.flavor !== "nova" && (b.host.region === null || b.host.region === undefined)) problems.push(`body.host.region is required for flavor ${b.host.flavor}`);
      if (!/^[0-9A-Fa-f]+$/.test(String(b.rsa_public_key.exponent))) problems.push("body.rsa_public_key.exponent must be hex digits (number or string)");
      if (problems.length > 0) throw badRequest(`Validation failed: ${problems[0]}`, problems);
      const password = newSecret();
      const id = newId();
      const vaultId = newId();
      const agent: AgentRecord = {
        id,
        projectId: auth.projectId,
        registeredAt: ctx.clock.now(),
        lastHeartbeatAt: null,
        mode: "idle",
        modeUntil: null,
        doc: {
          name: b.name,
          version: b.version,
          host: { flavor: b.host.flavor, region: b.host.region ?? null, machine: { id: b.host.machine.id }, os: b.host.os, addresses: b.host.addresses },
          rsa_public_key: b.rsa_public_key,
          vault: {
            id: vaultId,
            name: `phoenix_${vaultId}`,
            state: "created",
            flavor: "swift",
            encrypted: false,
            region: b.host.region ?? ctx.settings.region,
            use_internal: b.vault?.use_internal ?? USE_INTERNAL_DEFAULT[b.host.flavor],
          },
          enabled: true,
          log_level: "info",
        },
      };
      const passwordHash = hashSecret(password);
      await ctx.transaction(async (stores, emit) => {
        await stores.agents.insert(agent, { passwordHash, fingerprintHash: sha256Hex(b.host.fingerprint), ownerUserId: auth.userId });
        await emit({
          projectId: auth.projectId,
          agentId: id,
          type: "agent_registered",
          doc: { agent: { id, name: b.name, host: { os: b.host.os } }, request_id: newId() },
        });
      });
      void reply.header("Location", hrefs.project("agents", id));
      return { ...agentView(hrefs, agent), password };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents",
    operationId: "listAgents",
    summary: "List the project's agents",
    tag: "agents",
    role: "observer",
    status: 200,
    querystring: { type: "object", properties: { host_machine_id: text(255) } },
    response: { type: "object", properties: { agents: { type: "array", items: { $ref: "#/components/schemas/Agent" } }, links: { $ref: "#/components/schemas/Links" } } },
    async handler({ auth, query, hrefs }) {
      const agents = await ctx.stores.agents.list(auth.projectId, query.host_machine_id as string | undefined);
      return { agents: agents.map((a) => agentView(hrefs, a)), links: [hrefs.link("self", "agents")] };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id",
    operationId: "getAgent",
    summary: "Agent details",
    tag: "agents",
    role: "observer",
    agent: "own",
    status: 200,
    response: { $ref: "#/components/schemas/Agent" },
    async handler({ auth, params, hrefs }) {
      return agentView(hrefs, await loadAgent(ctx, auth, params.agent_id as string));
    },
  });

  defineRoute(app, ctx, {
    method: "PATCH",
    path: "/agents/:agent_id",
    operationId: "patchAgent",
    summary: "Update enabled, vault region (empty vault only), vault use_internal or log level (JSON Patch)",
    tag: "agents",
    role: "creator",
    status: 204,
    body: PATCH_BODY_SCHEMA,
    bodyType: "application/json-patch+json",
    async handler({ auth, params, body }) {
      const changes = readPatch(body, PATCH_RULES);
      await ctx.transaction(async (stores, emit) => {
        const agent = await loadAgent(ctx, auth, params.agent_id as string, stores);
        const doc = agent.doc;
        for (const { path, value } of changes) {
          if (path === "/enabled") doc.enabled = value as boolean;
          else if (path === "/log_level") doc.log_level = value as string;
          else {
            if (doc.vault === null) throw forbidden("The agent has no vault.");
            if (path === "/vault/use_internal") doc.vault.use_internal = value as boolean;
            else if (doc.vault.region !== value) {
              if (await stores.jobs.vaultHasData(doc.vault.id)) throw forbidden("The vault region cannot be updated because the vault is not empty.");
              doc.vault.region = value as string;
            }
          }
        }
        await stores.agents.updateDoc(agent.id, doc);
        await emit({ projectId: auth.projectId, agentId: agent.id, type: "configuration_changed", doc: { agent: { id: agent.id }, request_id: newId() } });
      });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "DELETE",
    path: "/agents/:agent_id",
    operationId: "deleteAgent",
    summary: "Delete an agent; its configurations are soft-deleted and its vault marked for deletion",
    tag: "agents",
    role: "admin",
    status: 204,
    async handler({ auth, params }) {
      await ctx.transaction(async (stores) => {
        const agent = await loadAgent(ctx, auth, params.agent_id as string, stores);
        if (agent.doc.vault !== null) {
          agent.doc.vault.state = "deleted";
          await stores.agents.updateDoc(agent.id, agent.doc);
        }
        await stores.agents.markDeleted(agent.id);
        await stores.configurations.softDeleteForAgent(agent.id, ctx.clock.now());
        await stores.identity.revokeAgentTokens(agent.id);
      });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/status",
    operationId: "getAgentStatus",
    summary: "Whether the agent is busy (running a job) and online (recent heartbeat)",
    tag: "agents",
    role: "observer",
    agent: "own",
    status: 200,
    response: { type: "object", required: ["busy", "online"], properties: { busy: { type: "boolean" }, online: { type: "boolean" } } },
    async handler({ auth, params }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const active = await ctx.stores.jobs.activeForAgent(agent.id);
      return { busy: active.some((j) => j.state !== "start_requested" && j.state !== "start_scheduled"), online: isOnline(agent, ctx.clock.now()) };
    },
  });
}
