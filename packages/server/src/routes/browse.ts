// Browse requests (spec §3.4, §3.5, §4.6): list files on the agent's host, or inside a backup.
// The agent answers with `POST /agents/{id}/events {event: host_browsed|backup_browsed}`
// ([our choice]); until then GET answers 404.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import { defineRoute } from "../http/route.js";
import { encryptedPasswordSchema, text } from "../http/schemas.js";
import { loadAgent, loadJob } from "../services/lookup.js";
import { findRequest, openRequest, resultOrNotReady } from "../services/requests.js";
import { isRestorable } from "../state/machines.js";

const pathFields = { path: { type: "string", minLength: 1, maxLength: 4096 }, path_encoded: { type: ["string", "null"], maxLength: 16384 } } as const;

/** Registers the browse routes. */
export function registerBrowseRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/browse-requests",
    operationId: "createHostBrowseRequest",
    summary: "Ask the agent to list a folder of its host (answer at the Location once ready)",
    tag: "browse",
    role: "creator",
    status: 202,
    body: { type: "object", required: ["path"], properties: pathFields },
    response: { $ref: "#/components/schemas/RequestAccepted" },
    async handler({ auth, params, body, reply, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const b = body as { path: string; path_encoded?: string | null };
      return openRequest(ctx, reply, hrefs, {
        projectId: auth.projectId,
        agentId: agent.id,
        targetAgentId: agent.id,
        kind: "host_browse",
        eventType: "host_browse",
        eventDoc: { path: b.path, path_encoded: b.path_encoded ?? null },
        location: ["agents", agent.id, "browse-requests"],
      });
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/browse-requests/:request_id",
    operationId: "getHostBrowseResult",
    summary: "Host browse result (404 until the agent answers)",
    tag: "browse",
    role: "creator",
    agent: "own",
    status: 200,
    response: { $ref: "#/components/schemas/BrowseResult" },
    async handler({ auth, params }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      return resultOrNotReady(await findRequest(ctx, auth, agent.id, params.request_id as string, ["host_browse"]));
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/backups/:backup_id/browse-requests",
    operationId: "createBackupBrowseRequest",
    summary: "Ask an agent to list a folder inside a backup (encrypted vaults need encrypted_password_hex)",
    tag: "browse",
    role: "observer",
    status: 202,
    statuses: [409],
    body: {
      type: "object",
      required: ["agent_id", "path"],
      properties: { agent_id: text(64), encrypted_password_hex: { anyOf: [encryptedPasswordSchema, { type: "null" }] }, ...pathFields },
    },
    response: { $ref: "#/components/schemas/RequestAccepted" },
    async handler({ auth, params, body, reply, hrefs }) {
      const b = body as { agent_id: string; encrypted_password_hex?: string | null; path: string; path_encoded?: string | null };
      const backup = await loadJob(ctx, auth, "backup", params.backup_id as string);
      if (!isRestorable(backup.state)) throw conflict(`The backup has no snapshot to browse (state ${backup.state}).`);
      const worker = await ctx.stores.agents.get(auth.projectId, b.agent_id);
      if (worker === undefined) throw notFound("Agent");
      const source = await ctx.stores.agents.get(auth.projectId, backup.agentId);
      const encrypted = source?.doc.vault?.id === backup.vaultId && source?.doc.vault?.encrypted === true;
      if (encrypted && (b.encrypted_password_hex ?? null) === null) throw badRequest("encrypted_password_hex is required: the backup's vault is encrypted.");
      return openRequest(ctx, reply, hrefs, {
        projectId: auth.projectId,
        agentId: worker.id,
        targetAgentId: worker.id,
        kind: "backup_browse",
        backupId: backup.id,
        eventType: "backup_browse",
        eventDoc: {
          backup: { id: backup.id, snapshot_id: backup.doc.snapshot_id ?? null },
          vault: { id: backup.vaultId, encrypted },
          path: b.path,
          path_encoded: b.path_encoded ?? null,
          encrypted_password_hex: b.encrypted_password_hex ?? null,
        },
        location: ["backups", backup.id, "browse-requests"],
      });
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/backups/:backup_id/browse-requests/:request_id",
    operationId: "getBackupBrowseResult",
    summary: "Backup browse result (404 until the agent answers)",
    tag: "browse",
    role: "observer",
    status: 200,
    response: { $ref: "#/components/schemas/BrowseResult" },
    async handler({ auth, params }) {
      const backup = await loadJob(ctx, auth, "backup", params.backup_id as string);
      const r = await ctx.stores.requests.get(auth.projectId, params.request_id as string);
      if (r === undefined || r.kind !== "backup_browse" || r.backupId !== backup.id) throw notFound("Request");
      return resultOrNotReady(r);
    },
  });
}
