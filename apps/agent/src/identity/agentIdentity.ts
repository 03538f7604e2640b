// The agent's identity in its data directory: `agent.json` (server, project, agent id and
// password, written once at registration, mode 0600) and `agent-key.pem` (its RSA private key).
// First start registers with the user's credentials (CAIRN_USER/CAIRN_PASSWORD or
// CAIRN_USER/CAIRN_API_KEY); later starts only log in as the agent and never need them.
import { join } from "node:path";
import type { KeyObject } from "node:crypto";
import { createClient, type Credentials } from "@cairn/api-client";
import { readJson, writeJson } from "../state/jsonFile.js";
import { fingerprintFor, hostFacts } from "./hostInfo.js";
import { loadOrCreateKey, wirePublicKey } from "./rsaKey.js";

export interface StoredIdentity {
  serverUrl: string;
  projectId: string;
  agentId: string;
  password: string;
  registeredAt: string;
}

export interface AgentIdentity extends StoredIdentity {
  fingerprint: string;
  privateKey: KeyObject;
}

/** The registration could not be done (no user credentials on first start, or the server refused). */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
}

/** User credentials for the first registration, from the environment. */
export function userCredentialsFromEnv(env: Record<string, string | undefined>): Credentials | undefined {
  const username = env.CAIRN_USER;
  if (username === undefined || username === "") return undefined;
  const projectId = env.CAIRN_PROJECT_ID || undefined;
  if (env.CAIRN_API_KEY) return { username, apiKey: env.CAIRN_API_KEY, ...(projectId ? { projectId } : {}) };
  if (env.CAIRN_PASSWORD) return { username, password: env.CAIRN_PASSWORD, ...(projectId ? { projectId } : {}) };
  return undefined;
}

/**
 * Loads the identity from `dataDir`, registering this agent first if there is none.
 * @throws {RegistrationError} when registration is needed but impossible.
 */
export async function loadOrRegister(options: { dataDir: string; serverUrl: string; name?: string; version: string; credentials: Credentials | undefined; fetch?: typeof fetch }): Promise<AgentIdentity> {
  const privateKey = await loadOrCreateKey(join(options.dataDir, "agent-key.pem"));
  const fingerprint = fingerprintFor(options.dataDir);
  const path = join(options.dataDir, "agent.json");
  const stored = await readJson<StoredIdentity>(path);
  if (stored !== undefined) {
    if (stored.serverUrl.replace(/\/+$/, "") !== options.serverUrl.replace(/\/+$/, "")) {
      throw new RegistrationError(`this data directory belongs to an agent of ${stored.serverUrl}, not ${options.serverUrl}; use another --data-dir`);
    }
    return { ...stored, fingerprint, privateKey };
  }
  if (options.credentials === undefined) {
    throw new RegistrationError("first start: set CAIRN_USER and CAIRN_PASSWORD (or CAIRN_API_KEY) so the agent can register itself; they are used once and not stored");
  }
  const facts = hostFacts();
  const user = createClient({ endpoint: options.serverUrl, credentials: options.credentials, ...(options.fetch ? { fetch: options.fetch } : {}) });
  let agent;
  try {
    agent = await user.agents.register({
      name: options.name ?? facts.name,
      version: options.version,
      host: { flavor: "nova", region: null, machine: { id: facts.machineId.slice(0, 64) }, os: facts.os, fingerprint, addresses: facts.addresses },
      rsa_public_key: wirePublicKey(privateKey),
    });
  } catch (error) {
    throw new RegistrationError(`registration failed: ${(error as Error).message}`);
  }
  if (typeof agent.password !== "string") throw new RegistrationError("the server did not return the agent's password");
  const identity: StoredIdentity = { serverUrl: options.serverUrl.replace(/\/+$/, ""), projectId: agent.project_id, agentId: agent.id, password: agent.password, registeredAt: new Date().toISOString() };
  await writeJson(path, identity);
  return { ...identity, fingerprint, privateKey };
}
