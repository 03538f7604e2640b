import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { completedBackup, createConfiguration, registerAgent, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

const HEX = "ab".repeat(128);

describeDrivers("agent requests, vaults, log files, settings, health", (driver) => {
  let h: Harness;
  let agent: TestAgent;
  beforeAll(async () => {
    h = await startHarness(driver);
    agent = await registerAgent(h, h.a);
  });
  afterAll(async () => h?.close());

  const agentUrl = (suffix = "") => `/v2/${h.a.id}/agents/${agent.id}${suffix}`;
  const signal = (body: unknown) => h.call("POST", agentUrl("/events"), { token: agent.token, headers: { "x-agent-id": agent.id }, body });

  it("host browse: 202 + Location, 404 until the agent answers, then the result", async () => {
    const res = await h.call("POST", agentUrl("/browse-requests"), { token: h.a.tokens.creator, body: { path: "/etc", path_encoded: null } });
    expect(res.status).toBe(202);
    const location = res.headers.location as string;
    expect(location).toBe(`http://cairn.test${agentUrl(`/browse-requests/${res.body.id}`)}`);
    const path = new URL(location).pathname;
    expect((await h.call("GET", path, { token: h.a.tokens.creator })).status).toBe(404);
    const singular = path.replace("browse-requests", "browse-request");
    expect((await h.call("GET", singular, { token: h.a.tokens.creator })).status).toBe(404);
    const events = await h.call("GET", agentUrl("/events"), { token: agent.token });
    expect(events.body.events.find((e: { event: string }) => e.event === "host_browse")).toMatchObject({ request_id: res.body.id, path: "/etc" });
    const answer = await signal({ event: "host_browsed", request_id: res.body.id, succeeded: true, path: "/etc", items: [{ name: "hosts", name_encoded: null, bytes: 120, mime_type: "text/plain" }] });
    expect(answer.status).toBe(202);
    const result = await h.call("GET", singular, { token: h.a.tokens.creator });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ event: "host_browsed", agent: { id: agent.id }, request_id: res.body.id, succeeded: true, items: [{ name: "hosts", bytes: 120 }] });
    expect(result.body.id).toMatch(/^\d+$/);
    expect((await h.call("GET", path, { token: h.a.tokens.observer })).status).toBe(403);
    expect((await h.call("POST", agentUrl("/browse-requests"), { token: h.a.tokens.observer, body: { path: "/" } })).status).toBe(403);
  });

  it("backup browse: needs a snapshot; result under the backup", async () => {
    const cfg = await createConfiguration(h, h.a, agent.id);
    const backup = await completedBackup(h, h.a, agent, cfg);
    const res = await h.call("POST", `/v2/${h.a.id}/backups/${backup}/browse-requests`, { token: h.a.tokens.observer, body: { agent_id: agent.id, encrypted_password_hex: null, path: "/web", path_encoded: null } });
    expect(res.status).toBe(202);
    expect(res.headers.location).toContain(`/backups/${backup}/browse-requests/`);
    await signal({ event: "backup_browsed", request_id: res.body.id, succeeded: true, path: "/web", items: [] });
    const result = await h.call("GET", new URL(res.headers.location as string).pathname, { token: h.a.tokens.observer });
    expect(result.body).toMatchObject({ event: "backup_browsed", succeeded: true });
    expect((await signal({ event: "backup_browsed", request_id: "nope", succeeded: true })).status).toBe(404);
  });

  it("vault encryption: enable, report, change; 403 rules; password verification", async () => {
    expect((await h.call("POST", agentUrl("/vault-password-verification-requests"), { token: h.a.tokens.observer, body: { encrypted_password_hex: HEX, agent_id: null } })).status).toBe(403);
    const bad = await h.call("POST", agentUrl("/vault-encryption-requests"), { token: h.a.tokens.creator, body: { old_encrypted_password_hex: HEX, new_encrypted_password_hex: HEX } });
    expect(bad.status).toBe(403);
    expect(bad.body.message).toMatch(/not encrypted/);
    expect((await h.call("POST", agentUrl("/vault-encryption-requests"), { token: h.a.tokens.creator, body: { old_encrypted_password_hex: null, new_encrypted_password_hex: "xyz" } })).status).toBe(400);
    const req = await h.call("POST", agentUrl("/vault-encryption-requests"), { token: h.a.tokens.creator, body: { old_encrypted_password_hex: null, new_encrypted_password_hex: HEX } });
    expect(req.status).toBe(202);
    const resultUrl = new URL(req.headers.location as string).pathname;
    expect((await h.call("GET", resultUrl, { token: h.a.tokens.creator })).status).toBe(404);
    const events = await h.call("GET", agentUrl("/events?sort_dir=desc&limit=1"), { token: agent.token });
    expect(events.body.events[0]).toMatchObject({ event: "vault_encryption_enable", encrypted_password_hex: HEX });
    expect((await h.call("POST", resultUrl, { token: agent.token, body: { action: "enabled", succeeded: true } })).status).toBe(204);
    expect((await h.call("POST", resultUrl, { token: agent.token, body: { action: "enabled", succeeded: true } })).status).toBe(409);
    const result = await h.call("GET", resultUrl, { token: h.a.tokens.creator });
    expect(result.body).toMatchObject({ event: "vault_encryption_enabled", succeeded: true, request_id: req.body.id });
    expect((await h.call("GET", resultUrl, { token: h.a.tokens.observer })).status).toBe(403);
    expect((await h.call("GET", agentUrl(), { token: h.a.tokens.observer })).body.vault.encrypted).toBe(true);
    expect((await h.call("POST", agentUrl("/vault-encryption-requests"), { token: h.a.tokens.creator, body: { old_encrypted_password_hex: null, new_encrypted_password_hex: HEX } })).status).toBe(403);
    const change = await h.call("POST", agentUrl("/vault-encryption-requests"), { token: h.a.tokens.creator, body: { old_encrypted_password_hex: HEX, new_encrypted_password_hex: HEX } });
    expect(change.status).toBe(202);
    const verify = await h.call("POST", agentUrl("/vault-password-verification-requests"), { token: h.a.tokens.observer, body: { encrypted_password_hex: HEX, agent_id: null } });
    expect(verify.status).toBe(202);
    const vUrl = new URL(verify.headers.location as string).pathname;
    expect((await h.call("GET", vUrl.replace("-requests/", "-request/"), { token: h.a.tokens.observer })).status).toBe(404);
    expect((await h.call("POST", vUrl, { token: h.a.tokens.observer, body: { verified: true } })).status).toBe(403);
    expect((await h.call("POST", vUrl, { token: agent.token, body: { verified: false } })).status).toBe(204);
    expect((await h.call("GET", vUrl, { token: h.a.tokens.observer })).body).toMatchObject({ event: "vault_password_verified", valid: false });
  });

  it("restores and backup browsing of an encrypted vault need the password", async () => {
    const enc = await registerAgent(h, h.a, { host: { flavor: "nova", region: null, machine: { id: "enc" }, os: { name: "x", version: "1", architecture: "x" }, fingerprint: "fp-e", addresses: [] } });
    const req = await h.call("POST", `/v2/${h.a.id}/agents/${enc.id}/vault-encryption-requests`, { token: h.a.tokens.creator, body: { old_encrypted_password_hex: null, new_encrypted_password_hex: HEX } });
    await h.call("POST", new URL(req.headers.location as string).pathname, { token: enc.token, body: { action: "enabled", succeeded: true } });
    const cfg = await createConfiguration(h, h.a, enc.id);
    const backup = await completedBackup(h, h.a, enc, cfg);
    const noPw = await h.call("POST", `/v2/${h.a.id}/restores`, { token: h.a.tokens.creator, body: { backup_id: backup, destination_agent_id: enc.id, destination_path: null, overwrite_files: false, encrypted_password_hex: null } });
    expect(noPw.status).toBe(400);
    const ok = await h.call("POST", `/v2/${h.a.id}/restores`, { token: h.a.tokens.creator, body: { backup_id: backup, destination_agent_id: enc.id, destination_path: null, overwrite_files: true, encrypted_password_hex: HEX } });
    expect(ok.status).toBe(201);
    expect((await h.call("POST", `/v2/${h.a.id}/backups/${backup}/browse-requests`, { token: h.a.tokens.observer, body: { agent_id: enc.id, path: "/" } })).status).toBe(400);
    // Encrypted vaults cannot be moved.
    const dest = await registerAgent(h, h.a, { host: { flavor: "nova", region: null, machine: { id: "dest" }, os: { name: "x", version: "1", architecture: "x" }, fingerprint: "fp-d", addresses: [] } });
    const move = await h.call("POST", `/v2/${h.a.id}/agents/${dest.id}/vault`, { token: h.a.tokens.admin, body: { source_agent_id: enc.id } });
    expect(move.status).toBe(403);
  });

  it("vault move: admin only, source loses its vault", async () => {
    const src = await registerAgent(h, h.a, { host: { flavor: "nova", region: null, machine: { id: "src" }, os: { name: "x", version: "1", architecture: "x" }, fingerprint: "fp-s", addresses: [] } });
    const dst = await registerAgent(h, h.a, { host: { flavor: "nova", region: null, machine: { id: "dst" }, os: { name: "x", version: "1", architecture: "x" }, fingerprint: "fp-t", addresses: [] } });
    expect((await h.call("POST", `/v2/${h.a.id}/agents/${dst.id}/vault`, { token: h.a.tokens.creator, body: { source_agent_id: src.id } })).status).toBe(403);
    expect((await h.call("POST", `/v2/${h.a.id}/agents/${dst.id}/vault`, { token: h.a.tokens.admin, body: { source_agent_id: "nope" } })).status).toBe(403);
    expect((await h.call("POST", `/v2/${h.a.id}/agents/${dst.id}/vault`, { token: h.a.tokens.admin, body: { source_agent_id: src.id } })).status).toBe(204);
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${dst.id}`, { token: h.a.tokens.admin })).body.vault.id).toBe(src.vaultId);
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${src.id}`, { token: h.a.tokens.admin })).body.vault).toBeNull();
  });

  it("log files: admin requests, agent patches state, links once completed, delete", async () => {
    expect((await h.call("POST", agentUrl("/logfiles"), { token: h.a.tokens.creator })).status).toBe(403);
    const res = await h.call("POST", agentUrl("/logfiles"), { token: h.a.tokens.admin });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ state: "requested" });
    const url = agentUrl(`/logfiles/${res.body.id}`);
    expect(res.headers.location).toBe(`http://cairn.test${url}`);
    expect((await h.call("PATCH", url, { token: agent.token, body: [{ op: "add", path: "/state", value: "started" }] })).status).toBe(400);
    expect((await h.call("PATCH", url, { token: agent.token, body: [{ op: "replace", path: "/state", value: "started" }] })).status).toBe(204);
    expect((await h.call("PATCH", url, { token: agent.token, body: [{ op: "replace", path: "/state", value: "completed" }] })).status).toBe(204);
    expect((await h.call("PATCH", url, { token: agent.token, body: [{ op: "replace", path: "/state", value: "started" }] })).status).toBe(409);
    const got = await h.call("GET", url, { token: h.a.tokens.admin });
    expect(got.body.links.map((l: { rel: string }) => l.rel)).toEqual(["self", "logfile", "logfile_temp_url"]);
    expect((await h.call("GET", agentUrl("/logfiles"), { token: h.a.tokens.admin })).body.logfiles).toHaveLength(1);
    expect((await h.call("GET", agentUrl("/logfiles"), { token: h.a.tokens.observer })).status).toBe(403);
    expect((await h.call("DELETE", url, { token: h.a.tokens.admin })).status).toBe(204);
    expect((await h.call("GET", url, { token: h.a.tokens.admin })).status).toBe(404);
  });

  it("summary settings: defaults, PUT, validation", async () => {
    const url = `/v2/${h.a.id}/settings/summaries`;
    expect((await h.call("GET", url, { token: h.a.tokens.observer })).body).toEqual({ daily: false, weekly: false, notifications: [] });
    expect((await h.call("PUT", url, { token: h.a.tokens.creator, body: { weekly: true, notifications: [{ type: "email", destination: "a@b.example" }] } })).status).toBe(204);
    expect((await h.call("GET", url, { token: h.a.tokens.observer })).body).toEqual({ daily: false, weekly: true, notifications: [{ type: "email", destination: "a@b.example" }] });
    expect((await h.call("PUT", url, { token: h.a.tokens.creator, body: { daily: true } })).status).toBe(400);
    expect((await h.call("PUT", url, { token: h.a.tokens.observer, body: { notifications: [] } })).status).toBe(403);
    expect((await h.call("GET", `/v2/${h.b.id}/settings/summaries`, { token: h.b.tokens.observer })).body.weekly).toBe(false);
  });

  it("health, ping and versions need no token", async () => {
    const health = await h.call("GET", `/v2/${h.a.id}/health`);
    expect(health.status).toBe(200);
    expect(health.body.storage.database).toMatchObject({ online: true, dialect: driver.name });
    expect((await h.call("GET", `/v2/${h.a.id}/health/database`)).body.online).toBe(true);
    expect((await h.call("GET", `/v2/${h.a.id}/health/cassandra`)).status).toBe(200);
    expect((await h.call("GET", `/v2/${h.a.id}/health/warp-drive`)).status).toBe(404);
    const ping = await h.call("GET", `/v2/${h.a.id}/ping`);
    expect(ping.status).toBe(204);
    expect(ping.raw).toBe("");
    const versions = await h.call("GET", "/");
    expect(versions.body.versions[0]).toMatchObject({ id: "v2", status: "CURRENT" });
    expect(versions.body.versions[0].links).toContainEqual({ rel: "self", href: "http://cairn.test/v2/" });
    // The self link resolves (with and without the trailing slash).
    for (const url of ["/v2/", "/v2"]) {
      const v2 = await h.call("GET", url);
      expect(v2.status, url).toBe(200);
      expect(v2.body.version).toMatchObject({ id: "v2", status: "CURRENT" });
    }
  });
});
