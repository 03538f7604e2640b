// @cairn/api-client: a typed, fetch-based client for the Cloud Backup API v2. Browser-safe.
export { createClient, type CairnClient, type ClientOptions } from "./client.js";
export type { Credentials } from "./internal/session.js";
export type { CallOptions } from "./internal/transport.js";
export type { Query, TailOptions } from "./internal/core.js";
export { ApiError, NetworkError, TimeoutError } from "./errors.js";
export { add, jobReport, replace, replaceAll, type PatchOperation } from "./patch.js";
export { waitForResult, AgentRequests } from "./resources/agentRequests.js";
export { Agents, type AgentActivityQuery, type AgentSignal } from "./resources/agents.js";
export { Configurations } from "./resources/configurations.js";
export { Backups, Cleanups, Restores } from "./resources/jobs.js";
export { Activities, Events, Health, Settings, type ActivityQuery } from "./resources/project.js";
export { Users } from "./resources/users.js";
export type * from "./types.js";
