// Vault operations (spec §3.4, §4.7, §4.9): encryption requests and their results, password
// verification requests and their results, and moving a vault to another agent.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { conflict, forbidden, notFound } from "../errors.js";
import { isoTime } from "../clock.js";
import { defineRoute } from "../http/route.js";
import { encryptedPasswordSchema, text } from "../http/schemas.js";
import { loadAgent } from "../services/lookup.js";
import { findRequest, openRequest, resultOrNotReady } from "../services/requests.js";

const nullablePassword = { anyOf: [encryptedPasswordSchema, { type: "null" }] } as const;

/** Registers the vault routes. */
export function registerVaultRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/vault-encryption-requests",
    operationId: "createVaultEncryptionRequest",
    summary: "Enable (old null) or change (old set) the vault's encryption password; passwords RSA-encrypted to the agent's key, hex",
    tag: "vault",
    role: "creator",
    status: 202,
    body: {
      type: "object",
      required: ["old_encrypted_password_hex", "new_encrypted_password_hex"],
      properties: { old_encrypted_password_hex: nullablePassword, new_encrypted_password_hex: encryptedPasswordSchema },
    },
    response: { $ref: "#/components/schemas/RequestAccepted" },
    async handler({ auth, params, body, reply, hrefs }) {
      const b = body as { old_encrypted_password_hex: string | null; new_encrypted_password_hex: string };
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const vault = agent.doc.vault;
      if (vault === null) throw forbidden("The agent has no vault.");
      if (!vault.encrypted && b.old_encrypted_password_hex !== null) throw forbidden("An old password was supplied but the vault is not encrypted.");
      if (vault.encrypted && b.old_encrypted_password_hex === null) throw forbidden("The vault is encrypted: old_encrypted_password_hex is required to change its password.");
      const enable = !vault.encrypted;
      return openRequest(ctx, reply, hrefs, {
        projectId: auth.projectId,
        agentId: agent.id,
        targetAgentId: agent.id,
        kind: "vault_encryption",
        eventType: enable ? "vault_encryption_enable" : "vault_encryption_change",
        eventDoc: enable
          ? { encrypted_password_hex: b.new_encrypted_password_hex }
          : { old_encrypted_password_hex: b.old_encrypted_password_hex, new_encrypted_password_hex: b.new_encrypted_password_hex },
        location: ["agents", agent.id, "vault-encryption-requests"],
      });
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/vault-encryption-requests/:request_id",
    operationId: "reportVaultEncryption",
    summary: "Agent reports the outcome of an encryption request",
    tag: "vault",
    role: "creator",
    agent: "own",
    status: 204,
    statuses: [409],
    body: { type: "object", required: ["action", "succeeded"], properties: { action: { type: "string", enum: ["enabled", "changed"] }, succeeded: { type: "boolean" } } },
    async handler({ auth, params, body }) {
      const b = body as { action: "enabled" | "changed"; succeeded: boolean };
      await ctx.transaction(async (stores, emit) => {
        const agent = await loadAgent(ctx, auth, params.agent_id as string, stores);
        const r = await findRequest(ctx, auth, agent.id, params.request_id as string, ["vault_encryption"]);
        if (r.result !== null) throw conflict("This request has already been answered.");
        if (b.action === "enabled" && b.succeeded && agent.doc.vault !== null) {
          agent.doc.vault.encrypted = true;
          await stores.agents.updateDoc(agent.id, agent.doc);
        }
        const type = b.action === "enabled" ? "vault_encryption_enabled" : "vault_encryption_changed";
        const doc = { agent: { id: agent.id }, request_id: r.id, succeeded: b.succeeded };
        const id = await emit({ projectId: auth.projectId, agentId: agent.id, type, doc });
        await stores.requests.setResult(r.id, { id: String(id), time: isoTime(ctx.clock.now()), event: type, ...doc });
      });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/vault-encryption-requests/:request_id",
    operationId: "getVaultEncryptionResult",
    summary: "Encryption request result (404 until the agent reports)",
    tag: "vault",
    role: "creator",
    status: 200,
    response: { $ref: "#/components/schemas/RequestResult" },
    async handler({ auth, params }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      return resultOrNotReady(await findRequest(ctx, auth, agent.id, params.request_id as string, ["vault_encryption"]));
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/vault-password-verification-requests",
    operationId: "createVaultPasswordVerificationRequest",
    summary: "Check a vault password (agent_id null: this agent checks its own vault; else that agent checks this vault)",
    tag: "vault",
    role: "observer",
    status: 202,
    body: { type: "object", required: ["encrypted_password_hex"], properties: { encrypted_password_hex: encryptedPasswordSchema, agent_id: { type: ["string", "null"], maxLength: 64 } } },
    response: { $ref: "#/components/schemas/RequestAccepted" },
    async handler({ auth, params, body, reply, hrefs }) {
      const b = body as { encrypted_password_hex: string; agent_id?: string | null };
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      if (agent.doc.vault === null || !agent.doc.vault.encrypted) throw forbidden("Encryption is not enabled for this vault.");
      const worker = b.agent_id === undefined || b.agent_id === null ? agent : await ctx.stores.agents.get(auth.projectId, b.agent_id);
      if (worker === undefined) throw notFound("Agent");
      return openRequest(ctx, reply, hrefs, {
        projectId: auth.projectId,
        agentId: agent.id,
        targetAgentId: worker.id,
        kind: "vault_password_verify",
        eventType: "vault_password_verify",
        eventDoc: { encrypted_password_hex: b.encrypted_password_hex, vault: { id: agent.doc.vault.id, encrypted: true }, source_agent: { id: agent.id } },
        location: ["agents", agent.id, "vault-password-verification-requests"],
      });
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/vault-password-verification-requests/:request_id",
    operationId: "reportVaultPasswordVerification",
    summary: "Agent reports whether the password was right",
    tag: "vault",
    role: "creator",
    agent: "own",
    status: 204,
    statuses: [409],
    body: { type: "object", required: ["verified"], properties: { verified: { type: "boolean" } } },
    async handler({ auth, params, body }) {
      const b = body as { verified: boolean };
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const r = await findRequest(ctx, auth, agent.id, params.request_id as string, ["vault_password_verify"]);
      if (r.result !== null) throw conflict("This request has already been answered.");
      const doc = { agent: { id: agent.id }, request_id: r.id, valid: b.verified };
      const id = await ctx.bus.append(ctx.stores.events, { projectId: auth.projectId, agentId: agent.id, type: "vault_password_verified", doc });
      ctx.bus.wake(auth.projectId, agent.id);
      await ctx.stores.requests.setResult(r.id, { id: String(id), time: isoTime(ctx.clock.now()), event: "vault_password_verified", ...doc });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/vault-password-verification-requests/:request_id",
    operationId: "getVaultPasswordVerificationResult",
    summary: "Password verification result (404 until the agent reports)",
    tag: "vault",
    role: "observer",
    status: 200,
    response: { $ref: "#/components/schemas/RequestResult" },
    async handler({ auth, params }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      return resultOrNotReady(await findRequest(ctx, auth, agent.id, params.request_id as string, ["vault_password_verify"]));
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/vault",
    operationId: "moveVault",
    summary: "Move source_agent_id's vault to this agent (source unencrypted, this agent's vault empty)",
    tag: "vault",
    role: "admin",
    status: 204,
    body: { type: "object", required: ["source_agent_id"], properties: { source_agent_id: text(64) } },
    async handler({ auth, params, body }) {
      const b = body as { source_agent_id: string };
      await ctx.transaction(async (stores) => {
        const destination = await stores.agents.get(auth.projectId, params.agent_id as string);
        const source = await stores.agents.get(auth.projectId, b.source_agent_id);
        if (destination === undefined || source === undefined) throw forbidden("Both agents must exist in this project.");
        if (destination.id === source.id) throw forbidden("An agent's vault cannot be moved to itself.");
        if (source.doc.vault === null) throw forbidden("The source agent has no vault.");
        if (source.doc.vault.encrypted) throw forbidden("An encrypted vault cannot be moved.");
        if (destination.doc.vault !== null && (await stores.jobs.vaultHasData(destination.doc.vault.id))) throw forbidden("The destination agent's vault already contains data.");
        destination.doc.vault = source.doc.vault;
        source.doc.vault = null;
        await stores.agents.updateDoc(source.id, source.doc);
        await stores.agents.updateDoc(destination.id, destination.doc);
      });
      return undefined;
    },
  });
}
