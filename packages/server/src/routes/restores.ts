// POST /restores (spec §3.9, §4.4): restore a backup, whole or in part, in place or elsewhere,
// on the same or another agent. The destination agent receives `restore_start_request` with
// the source vault's id and encryption, and the (RSA-encrypted) vault password.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { badRequest, conflict, forbidden, notFound } from "../errors.js";
import { newId } from "../ids.js";
import { defineRoute } from "../http/route.js";
import { encryptedPasswordSchema, pathRulesSchema, text } from "../http/schemas.js";
import { newJob } from "../services/jobFactory.js";
import { loadAgent } from "../services/lookup.js";
import { checkPathRules } from "../services/pathRules.js";
import { isRestorable } from "../state/machines.js";
import type { PathRule } from "../store/model.js";
import { jobView } from "../views/jobView.js";

interface CreateRestoreBody {
  backup_id: string;
  destination_agent_id: string;
  destination_path?: string | null;
  overwrite_files?: boolean;
  encrypted_password_hex?: string | null;
  inclusions?: PathRule[];
  exclusions?: PathRule[];
}

/** Registers POST /restores. */
export function registerRestoreRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/restores",
    operationId: "createRestore",
    summary: "Restore a backup (destination_path null = original locations; inclusions empty = everything)",
    tag: "restores",
    role: "creator",
    status: 201,
    statuses: [409],
    body: {
      type: "object",
      required: ["backup_id", "destination_agent_id"],
      properties: {
        backup_id: text(64),
        destination_agent_id: text(64),
        destination_path: { type: ["string", "null"], minLength: 1, maxLength: 4096 },
        overwrite_files: { type: "boolean" },
        encrypted_password_hex: { anyOf: [encryptedPasswordSchema, { type: "null" }] },
        inclusions: pathRulesSchema,
        exclusions: pathRulesSchema,
      },
    },
    response: { $ref: "#/components/schemas/Restore" },
    async handler({ reply, auth, body, hrefs }) {
      const b = body as CreateRestoreBody;
      const inclusions = b.inclusions ?? [];
      const exclusions = b.exclusions ?? [];
      // No inclusions = the whole backup, so exclusions need not lie beneath an inclusion.
      const problems = checkPathRules(inclusions, exclusions).filter((p) => inclusions.length > 0 || !p.includes("does not lie beneath any inclusion"));
      if (problems.length > 0) throw badRequest(`Validation failed: ${problems[0]}`, problems);
      const now = ctx.clock.now();
      const job = await ctx.transaction(async (stores, emit) => {
        const backup = await stores.jobs.get(auth.projectId, b.backup_id, "backup");
        if (backup === undefined) throw notFound("Backup");
        if (!isRestorable(backup.state)) throw conflict(`The backup is not restorable (state ${backup.state}).`);
        const destination = await loadAgent(ctx, auth, b.destination_agent_id, stores);
        if (!destination.doc.enabled) throw forbidden("The destination agent is disabled.");
        const source = await stores.agents.get(auth.projectId, backup.agentId);
        const vaultEncrypted = source?.doc.vault?.id === backup.vaultId ? source?.doc.vault?.encrypted === true : false;
        const password = b.encrypted_password_hex ?? null;
        if (vaultEncrypted && password === null) throw badRequest("encrypted_password_hex is required: the source vault is encrypted.");
        const record = newJob({
          kind: "restore",
          projectId: auth.projectId,
          agentId: destination.id,
          configurationId: backup.configurationId,
          backupId: backup.id,
          vaultId: backup.vaultId,
          state: "start_requested",
          now,
          doc: { destination_path: b.destination_path ?? null, overwrite_files: b.overwrite_files ?? false, inclusions, exclusions },
        });
        const stored = { ...record, seq: await stores.jobs.insert(record) };
        await emit({
          projectId: auth.projectId,
          agentId: destination.id,
          jobId: stored.id,
          configurationId: backup.configurationId,
          type: "restore_start_request",
          doc: {
            agent: { id: destination.id },
            restore: { id: stored.id, destination_path: b.destination_path ?? null, overwrite_files: b.overwrite_files ?? false, inclusions, exclusions, encrypted_password_hex: password },
            backup: { id: backup.id, snapshot_id: backup.doc.snapshot_id ?? null },
            configuration: { id: backup.configurationId },
            source_agent: { id: backup.agentId, vault: { id: backup.vaultId, encrypted: vaultEncrypted } },
            request_id: newId(),
          },
        });
        return stored;
      });
      void reply.header("Location", hrefs.project("restores", job.id));
      return jobView(hrefs, job);
    },
  });
}
