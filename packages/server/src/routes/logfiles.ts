// Agent log files (spec §3.4, §4.8): requested by an admin, uploaded by the agent, which
// reports `started` and `completed` by PATCH.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { isoTime } from "../clock.js";
import { conflict, notFound } from "../errors.js";
import type { Hrefs } from "../http/links.js";
import { isOneOf, PATCH_BODY_SCHEMA, readPatch } from "../http/jsonPatch.js";
import { defineRoute } from "../http/route.js";
import { newId } from "../ids.js";
import { loadAgent } from "../services/lookup.js";
import type { LogfileRecord, LogfileState } from "../store/model.js";

const ORDER: Record<LogfileState, number> = { requested: 0, started: 1, completed: 2 };

function logfileView(hrefs: Hrefs, l: LogfileRecord): Record<string, unknown> {
  const links = [hrefs.link("self", "agents", l.agentId, "logfiles", l.id)];
  if (l.state === "completed") {
    // [our choice] placeholder storage URLs until the storage service lands (see docs/api.md).
    const object = `${hrefs.root}/storage/${encodeURIComponent(hrefs.projectId)}/CloudBackupLogs/v2/${l.agentId}/${encodeURIComponent(isoTime(l.createdAt))}.gz`;
    links.push({ href: object, rel: "logfile" }, { href: `${object}?temp_url_sig=unsigned&temp_url_expires=0`, rel: "logfile_temp_url" });
  }
  return { id: l.id, date: isoTime(l.createdAt), state: l.state, links };
}

/** Registers the log-file routes. */
export function registerLogfileRoutes(app: FastifyInstance, ctx: AppContext): void {
  const load = async (agentId: string, id: string): Promise<LogfileRecord> => {
    const l = await ctx.stores.logfiles.get(agentId, id);
    if (l === undefined) throw notFound("Log file");
    return l;
  };

  defineRoute(app, ctx, {
    method: "POST",
    path: "/agents/:agent_id/logfiles",
    operationId: "requestLogfile",
    summary: "Ask the agent to upload its logs",
    tag: "logfiles",
    role: "admin",
    status: 202,
    response: { $ref: "#/components/schemas/Logfile" },
    async handler({ auth, params, reply, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const now = ctx.clock.now();
      const l: LogfileRecord = { id: newId(), projectId: auth.projectId, agentId: agent.id, state: "requested", createdAt: now, updatedAt: now };
      await ctx.stores.logfiles.insert(l);
      const target = `${hrefs.root}/storage/${encodeURIComponent(auth.projectId)}/CloudBackupLogs/v2/${agent.id}/${encodeURIComponent(isoTime(now))}.gz`;
      await ctx.emit({ projectId: auth.projectId, agentId: agent.id, type: "logfile_upload", doc: { agent: { id: agent.id }, request_id: l.id, links: [{ href: target, rel: "logfile" }] } });
      void reply.header("Location", hrefs.project("agents", agent.id, "logfiles", l.id));
      return logfileView(hrefs, l);
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/logfiles",
    operationId: "listLogfiles",
    summary: "List the agent's log files",
    tag: "logfiles",
    role: "admin",
    status: 200,
    response: { type: "object", properties: { logfiles: { type: "array", items: { $ref: "#/components/schemas/Logfile" } }, links: { $ref: "#/components/schemas/Links" } } },
    async handler({ auth, params, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      return { logfiles: (await ctx.stores.logfiles.list(agent.id)).map((l) => logfileView(hrefs, l)), links: [hrefs.link("self", "agents", agent.id, "logfiles")] };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/agents/:agent_id/logfiles/:logfile_id",
    operationId: "getLogfile",
    summary: "Log file details (links once uploaded)",
    tag: "logfiles",
    role: "admin",
    status: 200,
    response: { $ref: "#/components/schemas/Logfile" },
    async handler({ auth, params, hrefs }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      return logfileView(hrefs, await load(agent.id, params.logfile_id as string));
    },
  });

  defineRoute(app, ctx, {
    method: "PATCH",
    path: "/agents/:agent_id/logfiles/:logfile_id",
    operationId: "patchLogfile",
    summary: "Agent reports upload progress: replace /state with started or completed",
    tag: "logfiles",
    role: "creator",
    agent: "own",
    status: 204,
    statuses: [409],
    body: PATCH_BODY_SCHEMA,
    bodyType: "application/json-patch+json",
    async handler({ auth, params, body }) {
      const changes = readPatch(body, { ops: ["replace"], paths: { "/state": isOneOf(["started", "completed"]) } });
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const l = await load(agent.id, params.logfile_id as string);
      for (const { value } of changes) {
        const to = value as LogfileState;
        if (ORDER[to] < ORDER[l.state]) throw conflict(`The log file is already ${l.state}.`);
        if (to === l.state) continue;
        l.state = to;
        await ctx.stores.logfiles.setState(l.id, to, ctx.clock.now());
        await ctx.emit({ projectId: auth.projectId, agentId: agent.id, type: `logfile_${to}`, doc: { agent: { id: agent.id }, request_id: l.id } });
      }
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "DELETE",
    path: "/agents/:agent_id/logfiles/:logfile_id",
    operationId: "deleteLogfile",
    summary: "Delete a log file",
    tag: "logfiles",
    role: "admin",
    status: 204,
    async handler({ auth, params }) {
      const agent = await loadAgent(ctx, auth, params.agent_id as string);
      const l = await load(agent.id, params.logfile_id as string);
      await ctx.stores.logfiles.delete(l.id);
      return undefined;
    },
  });
}
