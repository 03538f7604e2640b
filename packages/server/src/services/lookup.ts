// Loading resources of the caller's project, with the spec's 404 messages and the agent-token
// scope check. A resource of another project is indistinguishable from a missing one.
import { assertAgentScope, type Auth } from "../auth/authenticate.js";
import type { AppContext } from "../context.js";
import { notFound } from "../errors.js";
import type { ActivityKind } from "../state/machines.js";
import type { AgentRecord, ConfigurationRecord, JobRecord } from "../store/model.js";
import type { Stores } from "../store/stores.js";

const KIND_NAME: Record<ActivityKind, string> = { backup: "Backup", restore: "Restore", cleanup: "Cleanup" };

/** @throws HttpError 404 "Agent not found." / 403 for another agent's token. */
export async function loadAgent(ctx: AppContext, auth: Auth, id: string, stores: Stores = ctx.stores): Promise<AgentRecord> {
  const agent = await stores.agents.get(auth.projectId, id);
  if (agent === undefined) throw notFound("Agent");
  assertAgentScope(auth, agent.id);
  return agent;
}

/** @throws HttpError 404 "Configuration not found." / 403 for another agent's token. */
export async function loadConfiguration(ctx: AppContext, auth: Auth, id: string, stores: Stores = ctx.stores): Promise<ConfigurationRecord> {
  const configuration = await stores.configurations.get(auth.projectId, id);
  if (configuration === undefined) throw notFound("Configuration");
  assertAgentScope(auth, configuration.agentId);
  return configuration;
}

/** @throws HttpError 404 "<Kind> not found." / 403 for another agent's token. */
export async function loadJob(ctx: AppContext, auth: Auth, kind: ActivityKind, id: string, stores: Stores = ctx.stores): Promise<JobRecord> {
  const job = await stores.jobs.get(auth.projectId, id, kind);
  if (job === undefined) throw notFound(KIND_NAME[kind]);
  assertAgentScope(auth, job.agentId);
  return job;
}
