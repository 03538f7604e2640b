import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { agentBody, completedBackup, createConfiguration, registerAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("agents", (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  });
  afterAll(async () => h?.close());

  it("registers an agent: 201, Location, password once, vault created", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: agentBody() });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`http://cairn.test/v2/${h.a.id}/agents/${res.body.id}`);
    expect(res.body.password).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.vault).toMatchObject({ state: "created", flavor: "swift", encrypted: false, use_internal: true, name: `phoenix_${res.body.vault.id}` });
    expect(res.body.host.fingerprint).toBeUndefined();
    expect(res.body.registered_time).toMatch(/\+00:00$/);
    expect(res.body.links.map((l: { rel: string }) => l.rel)).toEqual(["self", "activities", "configuration", "configurations", "events", "logfiles", "status"]);
    const got = await h.call("GET", `/v2/${h.a.id}/agents/${res.body.id}`, { token: h.a.tokens.observer });
    expect(got.status).toBe(200);
    expect(got.body.password).toBeUndefined();
    expect(got.body.name).toBe("Web Server");
  });

  it("validates registration (missing key, bad flavor, region rule, wrong types)", async () => {
    const noKey = agentBody();
    delete noKey.rsa_public_key;
    let res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: noKey });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContain("body.rsa_public_key is required");
    res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: agentBody({ host: { ...(agentBody().host as object), flavor: "ec2" } }) });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("host.flavor must be one of");
    res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: agentBody({ host: { ...(agentBody().host as object), flavor: "rackspace_dedicated", region: null } }) });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("region is required");
    res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: agentBody({ name: 42 }) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContain("body.name must be of type string");
    res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.observer, body: agentBody() });
    expect(res.status).toBe(403);
  });

  it("lists agents, filtered by host_machine_id", async () => {
    const other = agentBody({ host: { ...(agentBody().host as object), machine: { id: "other-machine" } } });
    await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: other });
    const all = await h.call("GET", `/v2/${h.a.id}/agents`, { token: h.a.tokens.observer });
    expect(all.body.agents.length).toBeGreaterThanOrEqual(2);
    expect(all.body.links).toEqual([{ rel: "self", href: `http://cairn.test/v2/${h.a.id}/agents` }]);
    const some = await h.call("GET", `/v2/${h.a.id}/agents?host_machine_id=other-machine`, { token: h.a.tokens.observer });
    expect(some.body.agents).toHaveLength(1);
    expect(some.body.agents[0].host.machine.id).toBe("other-machine");
  });

  it("stores agent passwords as SHA-256 digests; agents with older scrypt hashes still log in", async () => {
    const agent = await registerAgent(h, h.a);
    const row = await h.server.context.db.get<{ password_hash: string }>(`SELECT password_hash FROM agents WHERE id = ?`, [agent.id]);
    expect(row?.password_hash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(row?.password_hash).not.toContain(agent.password);
    const { hashPassword } = await import("../src/index.js");
    await h.server.context.db.run(`UPDATE agents SET password_hash = ? WHERE id = ?`, [await hashPassword(agent.password, { N: 1024, r: 8, p: 1 }), agent.id]);
    const login = (password: string) => h.call("POST", `/v2/${h.a.id}/agents/tokens`, { body: { id: agent.id, password, host: { fingerprint: "fp-1" } } });
    expect((await login(agent.password)).status).toBe(200);
    expect((await login("0".repeat(64))).status).toBe(401);
  });

  it("agent login: 401 bad password, 409 fingerprint mismatch, metadata refresh", async () => {
    const agent = await registerAgent(h, h.a);
    let res = await h.call("POST", `/v2/${h.a.id}/agents/tokens`, { body: { id: agent.id, password: "nope", host: { fingerprint: "fp-1" } } });
    expect(res.status).toBe(401);
    res = await h.call("POST", `/v2/${h.a.id}/agents/tokens`, { body: { id: agent.id, password: agent.password, host: { fingerprint: "cloned" } } });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/fingerprint/);
    res = await h.call("POST", `/v2/${h.a.id}/agents/tokens`, { body: { project_id: h.a.id, id: agent.id, password: agent.password, version: "2.0.0", host: { fingerprint: "fp-1", os: { name: "Debian", version: "12", architecture: "64-bit" } } } });
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.token.expires)).toBeGreaterThan(h.clock.now());
    const got = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}`, { token: res.body.token.id });
    expect(got.body.version).toBe("2.0.0");
    expect(got.body.host.os.name).toBe("Debian");
    res = await h.call("POST", `/v2/${h.b.id}/agents/tokens`, { body: { id: agent.id, password: agent.password, host: { fingerprint: "fp-1" } } });
    expect(res.status).toBe(401);
  });

  it("agent tokens act only on their own agent", async () => {
    const one = await registerAgent(h, h.a);
    const two = await registerAgent(h, h.a);
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${one.id}`, { token: one.token })).status).toBe(200);
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${two.id}`, { token: one.token })).status).toBe(403);
    expect((await h.call("GET", `/v2/${h.a.id}/agents`, { token: one.token })).status).toBe(403);
    expect((await h.call("DELETE", `/v2/${h.a.id}/agents/${one.id}`, { token: one.token })).status).toBe(403);
    expect((await h.call("GET", `/v2/${h.b.id}/agents/${one.id}`, { token: one.token })).status).toBe(403);
  });

  it("patches enabled, log level (both spellings), vault fields; 400 for other paths or ops", async () => {
    const agent = await registerAgent(h, h.a);
    const url = `/v2/${h.a.id}/agents/${agent.id}`;
    let res = await h.call("PATCH", url, {
      token: h.a.tokens.creator,
      body: [
        { op: "replace", path: "/enabled", value: false },
        { op: "add", path: "/log-level", value: "debug" },
        { op: "replace", path: "/vault/use_internal", value: false },
        { op: "replace", path: "/vault/region", value: "ORD" },
      ],
    });
    expect(res.status).toBe(204);
    expect(res.raw).toBe("");
    const got = await h.call("GET", url, { token: h.a.tokens.observer });
    expect(got.body).toMatchObject({ enabled: false, log_level: "debug", vault: { use_internal: false, region: "ORD" } });
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/name", value: "x" }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('"/name" cannot be patched');
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "remove", path: "/enabled" }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/enabled", value: "yes" }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/log_level", value: "loud" }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: { op: "replace" } });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.observer, body: [{ op: "replace", path: "/enabled", value: true }] });
    expect(res.status).toBe(403);
    res = await h.call("PATCH", `/v2/${h.a.id}/agents/00000000-0000-4000-8000-000000000000`, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/enabled", value: true }] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Agent not found." });
  });

  it("refuses a vault region change once the vault holds data (403)", async () => {
    const agent = await registerAgent(h, h.a);
    const cfg = await createConfiguration(h, h.a, agent.id);
    await completedBackup(h, h.a, agent, cfg);
    const res = await h.call("PATCH", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/vault/region", value: "IAD" }] });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/not empty/);
  });

  it("status: online from heartbeats, busy while a job runs", async () => {
    const agent = await registerAgent(h, h.a);
    const status = () => h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/status`, { token: h.a.tokens.observer }).then((r) => r.body);
    expect(await status()).toEqual({ busy: false, online: false });
    const hb = await h.call("POST", `/v2/${h.a.id}/agents/${agent.id}/events`, { token: agent.token, headers: { "x-agent-id": agent.id }, body: { event: "heartbeat" } });
    expect(hb.status).toBe(202);
    expect(await status()).toEqual({ busy: false, online: true });
    h.clock.advance(181_000);
    expect((await status()).online).toBe(false);
    h.clock.advance(-181_000);
    const cfg = await createConfiguration(h, h.a, agent.id);
    const backup = await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.creator, body: { configuration_id: cfg, state: "start_requested" } });
    await h.call("PATCH", `/v2/${h.a.id}/backups/${backup.body.id}`, { token: agent.token, body: [{ op: "replace", path: "/state", value: "in_progress" }] });
    expect((await status()).busy).toBe(true);
  });

  it("deletes (admin only): 404 afterwards, configurations soft-deleted, agent token revoked", async () => {
    const agent = await registerAgent(h, h.a);
    const cfg = await createConfiguration(h, h.a, agent.id);
    expect((await h.call("DELETE", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.creator })).status).toBe(403);
    expect((await h.call("DELETE", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.admin })).status).toBe(204);
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.admin })).status).toBe(404);
    expect((await h.call("DELETE", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.admin })).status).toBe(404);
    const c = await h.call("GET", `/v2/${h.a.id}/configurations/${cfg}`, { token: h.a.tokens.admin });
    expect(c.body.deleted).toBe(true);
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/configuration`, { token: agent.token })).status).toBe(401);
  });

  it("agent configuration document: policy, vault, next run times", async () => {
    const agent = await registerAgent(h, h.a);
    await createConfiguration(h, h.a, agent.id);
    await createConfiguration(h, h.a, agent.id, { name: "manual", schedule: null });
    const res = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/configuration`, { token: agent.token });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.system_preferences.events.rse.channel).toBe(`/v2/${h.a.id}/agents/${agent.id}/events`);
    expect(doc.system_preferences.events.rse.heartbeat.interval_ms).toEqual({ idle: 60000, active: 10000, real_time: 2000 });
    expect(doc.vaults[0]).toMatchObject({ id: agent.vaultId, encrypted: false });
    expect(doc.vaults[0].links.map((l: { rel: string }) => l.rel)).toEqual(["publicURL", "internalURL", "data_services"]);
    const [scheduled, manual] = doc.configurations;
    expect(scheduled.times).toHaveLength(5);
    expect(Date.parse(scheduled.times[1]) - Date.parse(scheduled.times[0])).toBe(2 * 3_600_000);
    expect(manual.times).toBeNull();
    expect(scheduled.vault_id).toBe(agent.vaultId);
  });
});
