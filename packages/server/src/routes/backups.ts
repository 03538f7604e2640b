// POST /backups (spec §3.5): a user's manual run (`start_requested`) or an agent's scheduled
// run (`start_scheduled`, with X-Agent-Id). [our choice] 403 when the agent or configuration is
// disabled/deleted; a manual run while one is active is a 409, a scheduled one is recorded as
// `skipped` (spec §4.2).
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { conflict, forbidden } from "../errors.js";
import { newId } from "../ids.js";
import { defineRoute } from "../http/route.js";
import { text } from "../http/schemas.js";
import { matchOccurrence, newJob, requireAgentHeader } from "../services/jobFactory.js";
import { loadConfiguration } from "../services/lookup.js";
import { stateEvent } from "../services/jobPatch.js";
import type { JobRecord } from "../store/model.js";
import { jobView } from "../views/jobView.js";

interface CreateBackupBody {
  configuration_id: string;
  state: "start_requested" | "start_scheduled";
}

/** Registers POST /backups. */
export function registerBackupRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/backups",
    operationId: "createBackup",
    summary: "Start a backup: start_requested (user, manual) or start_scheduled (agent, needs X-Agent-Id)",
    tag: "backups",
    role: "creator",
    agent: "own",
    status: 201,
    statuses: [409],
    body: {
      type: "object",
      required: ["configuration_id", "state"],
      properties: { configuration_id: text(64), state: { type: "string", enum: ["start_requested", "start_scheduled"] } },
    },
    response: { $ref: "#/components/schemas/Backup" },
    async handler({ request, reply, auth, body, hrefs }) {
      const b = body as CreateBackupBody;
      const now = ctx.clock.now();
      const job = await ctx.transaction(async (stores, emit) => {
        const configuration = await loadConfiguration(ctx, auth, b.configuration_id, stores);
        if (b.state === "start_scheduled") requireAgentHeader(request, configuration.agentId);
        if (configuration.deleted) throw forbidden("The configuration has been deleted.");
        if (!configuration.doc.enabled) throw forbidden("The configuration is disabled.");
        const agent = await stores.agents.get(auth.projectId, configuration.agentId);
        if (agent === undefined) throw forbidden("The configuration's agent no longer exists.");
        if (!agent.doc.enabled) throw forbidden("The agent is disabled.");
        if (agent.doc.vault === null) throw forbidden("The agent has no vault.");
        const active = await stores.jobs.activeBackup(configuration.id);
        if (active !== undefined && b.state === "start_requested") throw conflict(`A backup of this configuration is already running (${active.id}).`);
        const scheduledFor = b.state === "start_scheduled" ? matchOccurrence(configuration, now, ctx.settings.missedGraceMs) : null;
        const record = newJob({
          kind: "backup",
          projectId: auth.projectId,
          agentId: agent.id,
          configurationId: configuration.id,
          vaultId: agent.doc.vault.id,
          state: active === undefined ? b.state : "skipped",
          scheduledFor,
          now,
          doc: { snapshot_id: null },
        });
        const seq = await stores.jobs.insert(record);
        const stored: JobRecord = { ...record, seq };
        if (stored.state === "start_requested") {
          await emit({
            projectId: auth.projectId,
            agentId: agent.id,
            jobId: stored.id,
            configurationId: configuration.id,
            type: "backup_start_request",
            doc: { agent: { id: agent.id }, backup: { id: stored.id }, configuration: { id: configuration.id }, request_id: newId() },
          });
        } else {
          await emit(stateEvent(stored)); // backup_start_scheduled, or backup_skipped
        }
        return stored;
      });
      void reply.header("Location", hrefs.project("backups", job.id));
      return jobView(hrefs, job);
    },
  });
}
