// Everything the table-driven tests need to call any route: a populated project (one of each
// resource), a valid body per operation, and the spec's role per operation (§5 matrix).
import type { RouteSpec } from "../../src/index.js";
import { completedBackup, configurationBody, createConfiguration, registerAgent, type TestAgent } from "./fixtures.js";
import type { Harness, TestProject } from "./harness.js";

/** Ids of one resource of each kind in a project. */
export interface Population {
  agent: TestAgent;
  ids: Record<string, string>;
}

const HEX = "ab".repeat(16);

/** Creates one of everything in `project`. */
export async function populate(h: Harness, project: TestProject): Promise<Population> {
  const agent = await registerAgent(h, project);
  const base = `/v2/${project.id}`;
  const tok = project.tokens.admin;
  const configuration = await createConfiguration(h, project, agent.id);
  const backup = await completedBackup(h, project, agent, configuration);
  const restore = (await h.call("POST", `${base}/restores`, { token: tok, body: { backup_id: backup, destination_agent_id: agent.id } })).body.id as string;
  const cleanup = (await h.call("POST", `${base}/cleanups`, { token: tok, body: { agent_id: agent.id, state: "start_requested" } })).body.id as string;
  const logfile = (await h.call("POST", `${base}/agents/${agent.id}/logfiles`, { token: tok })).body.id as string;
  const hostBrowse = (await h.call("POST", `${base}/agents/${agent.id}/browse-requests`, { token: tok, body: { path: "/" } })).body.id as string;
  const backupBrowse = (await h.call("POST", `${base}/backups/${backup}/browse-requests`, { token: tok, body: { agent_id: agent.id, path: "/" } })).body.id as string;
  const encryption = (await h.call("POST", `${base}/agents/${agent.id}/vault-encryption-requests`, { token: tok, body: { old_encrypted_password_hex: null, new_encrypted_password_hex: HEX } })).body.id as string;
  const user = (await h.call("POST", `${base}/users`, { token: tok, body: { username: `member-${project.id}`, password: "member-password", role: "observer" } })).body.id as string;
  return { agent, ids: { agent_id: agent.id, configuration_id: configuration, backup_id: backup, restore_id: restore, cleanup_id: cleanup, logfile_id: logfile, user_id: user, hostBrowse, backupBrowse, encryption, verification: encryption } };
}

/** Fills a route pattern with `projectId` and the population's ids. */
export function fillUrl(url: string, projectId: string, pop: Population): string {
  const requestId = url.includes("/backups/") ? pop.ids.backupBrowse : url.includes("browse") ? pop.ids.hostBrowse : url.includes("encryption") ? pop.ids.encryption : pop.ids.verification;
  return url
    .replace(":project_id", projectId)
    .replace(":dependent_system", "database")
    .replace(/\/\*$/, "/config") // vault object routes: the key is a wildcard
    .replace(":request_id", requestId as string)
    .replace(/:([a-z_]+)/g, (_m, name: string) => pop.ids[name] ?? "missing");
}

/** A valid body for each operation (ids taken from `pop`). */
export function bodyFor(op: string, pop: Population): unknown {
  const stop = [{ op: "replace", path: "/state", value: "stop_requested" }];
  const bodies: Record<string, unknown> = {
    createToken: { auth: { passwordCredentials: { username: "x", password: "y" } } },
    createAgentToken: { id: pop.agent.id, password: "x", host: { fingerprint: "fp-1" } },
    registerAgent: { name: "n", version: "1", host: { flavor: "nova", region: null, machine: { id: "m" }, os: { name: "o", version: "1", architecture: "a" }, fingerprint: "f", addresses: [] }, rsa_public_key: { modulus: "AB", exponent: "10001" } },
    patchAgent: [{ op: "replace", path: "/enabled", value: true }],
    createHostBrowseRequest: { path: "/" },
    createBackupBrowseRequest: { agent_id: pop.agent.id, path: "/" },
    createVaultEncryptionRequest: { old_encrypted_password_hex: null, new_encrypted_password_hex: HEX },
    reportVaultEncryption: { action: "enabled", succeeded: true },
    createVaultPasswordVerificationRequest: { encrypted_password_hex: HEX, agent_id: null },
    reportVaultPasswordVerification: { verified: true },
    moveVault: { source_agent_id: pop.agent.id },
    patchLogfile: [{ op: "replace", path: "/state", value: "started" }],
    postAgentEvent: { event: "agent_activate", mode: "active" },
    activateAgents: { event: "agent_activate", mode: "active" },
    createConfiguration: configurationBody(pop.agent.id),
    patchConfiguration: [{ op: "replace", path: "/name", value: "renamed" }],
    createBackup: { configuration_id: pop.ids.configuration_id, state: "start_requested" },
    createRestore: { backup_id: pop.ids.backup_id, destination_agent_id: pop.agent.id },
    createCleanup: { agent_id: pop.agent.id, state: "start_requested" },
    patchBackup: stop,
    patchRestore: stop,
    patchCleanup: stop,
    putSummarySettings: { notifications: [] },
    createUser: { username: `new-${Math.random().toString(36).slice(2)}`, role: "observer" },
    patchUser: [{ op: "replace", path: "/role", value: "observer" }],
  };
  return bodies[op];
}

/**
 * The §5 permission matrix: least role per operation. Observers: every GET except agent browse
 * results, encryption results and log files, plus POST project/agent events, backup browse and
 * password verification. Admin only: delete agent, delete configuration, move vault, log-file
 * request/list/get/delete. Everything else: creator.
 */
export const EXPECTED_ROLE: Record<string, RouteSpec["role"]> = {
  listVersions: "public",
  getVersion: "public",
  getOpenApi: "public",
  getHealth: "public",
  getDependentHealth: "public",
  ping: "public",
  createToken: "public",
  createAgentToken: "public",
  listActivities: "observer",
  listAgentActivities: "observer",
  listConfigurationActivities: "observer",
  registerAgent: "creator",
  listAgents: "observer",
  getAgent: "observer",
  patchAgent: "creator",
  deleteAgent: "admin",
  getAgentStatus: "observer",
  getAgentConfiguration: "observer",
  listAgentConfigurations: "observer",
  postAgentEvent: "observer",
  listAgentEvents: "observer",
  createHostBrowseRequest: "creator",
  getHostBrowseResult: "creator",
  requestLogfile: "admin",
  listLogfiles: "admin",
  getLogfile: "admin",
  patchLogfile: "creator",
  deleteLogfile: "admin",
  moveVault: "admin",
  createVaultEncryptionRequest: "creator",
  reportVaultEncryption: "creator",
  getVaultEncryptionResult: "creator",
  createVaultPasswordVerificationRequest: "observer",
  reportVaultPasswordVerification: "creator",
  getVaultPasswordVerificationResult: "observer",
  createBackup: "creator",
  listBackups: "observer",
  getBackup: "observer",
  patchBackup: "creator",
  createBackupBrowseRequest: "observer",
  getBackupBrowseResult: "observer",
  getBackupErrors: "observer",
  listBackupEvents: "observer",
  createCleanup: "creator",
  listCleanups: "observer",
  getCleanup: "observer",
  patchCleanup: "creator",
  getCleanupErrors: "observer",
  listCleanupEvents: "observer",
  createConfiguration: "creator",
  listConfigurations: "observer",
  getConfiguration: "observer",
  patchConfiguration: "creator",
  deleteConfiguration: "admin",
  listConfigurationEvents: "observer",
  activateAgents: "observer",
  listProjectEvents: "observer",
  createRestore: "creator",
  listRestores: "observer",
  getRestore: "observer",
  patchRestore: "creator",
  getRestoreErrors: "observer",
  listRestoreEvents: "observer",
  getSummarySettings: "observer",
  putSummarySettings: "creator",
  listUsers: "admin",
  createUser: "admin",
  getUser: "admin",
  patchUser: "admin",
  deleteUser: "admin",
  createApiKey: "observer",
  // Vault data (routes/vaultData.ts): agents on their own vault; users read with creator, write with admin (checked in the handler).
  listAgentVaultObjects: "creator",
  getAgentVaultObject: "creator",
  putAgentVaultObject: "creator",
  deleteAgentVaultObject: "creator",
  listRestoreVaultObjects: "creator",
  getRestoreVaultObject: "creator",
};
