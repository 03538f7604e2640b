// Request bodies and small workflows shared by the route tests.
import { expect } from "vitest";
import type { Harness, TestProject } from "./harness.js";

export const MODULUS = "C0FFEE".repeat(40);

/** A valid agent registration body. */
export function agentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Web Server",
    version: "1.23.008344",
    host: {
      flavor: "nova",
      region: "DFW",
      machine: { id: "b5a8e0f4-0000-4000-8000-000000000001" },
      os: { name: "Ubuntu", version: "24.04", architecture: "64-bit" },
      fingerprint: "fp-1",
      addresses: [{ version: 4, addr: "10.0.0.5" }],
    },
    rsa_public_key: { modulus: MODULUS, exponent: 10001 },
    vault: { use_internal: true },
    ...overrides,
  };
}

/** A valid configuration body for `agentId`. */
export function configurationBody(agentId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    agent_id: agentId,
    name: "Every Other Hour",
    enabled: true,
    schedule: { recurrence: ["RRULE:FREQ=HOURLY;INTERVAL=2"], time_zone: "US/Central" },
    retention: { days: 30 },
    inclusions: [
      { type: "folder", path: "/web/" },
      { type: "file", path: "/etc/web/app.conf" },
    ],
    exclusions: [
      { type: "folder", path: "/web/cache/" },
      { type: "file", path: "/web/cache.jpg" },
    ],
    notifications: [{ type: "email", destination: "ops@example.com", on_success: true, on_failure: true }],
    ...overrides,
  };
}

/** Registered agent: id, password, and an agent token. */
export interface TestAgent {
  id: string;
  password: string;
  token: string;
  vaultId: string;
}

/** Registers an agent in `project` and logs it in. */
export async function registerAgent(h: Harness, project: TestProject, overrides: Record<string, unknown> = {}): Promise<TestAgent> {
  const reg = await h.call("POST", `/v2/${project.id}/agents`, { token: project.tokens.creator, body: agentBody(overrides) });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const fingerprint = ((overrides.host as { fingerprint?: string } | undefined)?.fingerprint ?? "fp-1") as string;
  const login = await h.call("POST", `/v2/${project.id}/agents/tokens`, { body: { id: reg.body.id, password: reg.body.password, host: { fingerprint } } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { id: reg.body.id, password: reg.body.password, token: login.body.token.id, vaultId: reg.body.vault.id };
}

/** Creates a configuration; returns its id. */
export async function createConfiguration(h: Harness, project: TestProject, agentId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await h.call("POST", `/v2/${project.id}/configurations`, { token: project.tokens.creator, body: configurationBody(agentId, overrides) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Starts a manual backup; returns its id. */
export async function startBackup(h: Harness, project: TestProject, configurationId: string): Promise<string> {
  const res = await h.call("POST", `/v2/${project.id}/backups`, { token: project.tokens.creator, body: { configuration_id: configurationId, state: "start_requested" } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Drives a backup to `completed` as its agent; returns the backup id. */
export async function completedBackup(h: Harness, project: TestProject, agent: TestAgent, configurationId: string): Promise<string> {
  const id = await startBackup(h, project, configurationId);
  const res = await h.call("PATCH", `/v2/${project.id}/backups/${id}`, {
    token: agent.token,
    body: [
      { op: "replace", path: "/state", value: "completed" },
      { op: "add", path: "/snapshot_id", value: 1 },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(204);
  return id;
}
