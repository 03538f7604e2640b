import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("identity (POST /v2.0/tokens)", (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  });
  afterAll(async () => h?.close());

  it("issues a token for passwordCredentials with the service catalog", async () => {
    const res = await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: h.a.usernames.admin, password: h.a.passwords.admin } } } });
    expect(res.status).toBe(200);
    const access = res.body.access;
    expect(access.token.id).toMatch(/^[0-9a-f]{64}$/);
    expect(access.token.tenant.id).toBe(h.a.id);
    expect(Date.parse(access.token.expires)).toBe(h.clock.now() + 24 * 3_600_000);
    const entry = access.serviceCatalog.find((s: { name: string }) => s.name === "cloudBackup");
    expect(entry.type).toBe("rax:backup");
    expect(entry.endpoints[0].publicURL).toBe(`http://cairn.test/v2/${h.a.id}`);
    expect(access.user.roles).toEqual([{ name: "cloudbackup:admin", tenantId: h.a.id }]);
    const agents = await h.call("GET", `/v2/${h.a.id}/agents`, { token: access.token.id });
    expect(agents.status).toBe(200);
  });

  it("issues a token for RAX-KSKEY:apiKeyCredentials", async () => {
    const identity = h.server.context.stores.identity;
    const user = await identity.createUser("key-user", "irrelevant-password");
    await identity.grant(user.id, h.a.id, "observer");
    const apiKey = await identity.createApiKey(user.id);
    const res = await h.call("POST", "/v2.0/tokens", { body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "key-user", apiKey } } } });
    expect(res.status).toBe(200);
    expect(res.body.access.token.tenant.id).toBe(h.a.id);
    const wrong = await h.call("POST", "/v2.0/tokens", { body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "key-user", apiKey: "0".repeat(64) } } } });
    expect(wrong.status).toBe(401);
  });

  it("rejects bad passwords, unknown users and unknown tenants with 401", async () => {
    for (const credentials of [
      { username: h.a.usernames.admin, password: "wrong" },
      { username: "nobody", password: "x" },
    ]) {
      const res = await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: credentials } } });
      expect(res.status).toBe(401);
      expect(res.body.message).toBe("Invalid credentials.");
    }
    const tenant = await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: h.a.usernames.admin, password: h.a.passwords.admin }, tenantId: h.b.id } } });
    expect(tenant.status).toBe(401);
  });

  it("validates the body", async () => {
    const res = await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: "x" } } } });
    expect(res.status).toBe(400);
    expect(res.body.errors.join("\n")).toContain("password is required");
    const none = await h.call("POST", "/v2.0/tokens", { body: { auth: {} } });
    expect(none.status).toBe(400);
  });

  it("expires tokens (401 afterwards) and stores only their SHA-256", async () => {
    const res = await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: h.a.usernames.observer, password: h.a.passwords.observer } } } });
    const token = res.body.access.token.id as string;
    const rows = await h.server.context.db.all<{ token_hash: string }>("SELECT token_hash FROM tokens");
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect((await h.call("GET", `/v2/${h.a.id}/agents`, { token })).status).toBe(200);
    h.clock.advance(24 * 3_600_000 + 1);
    const expired = await h.call("GET", `/v2/${h.a.id}/agents`, { token });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/);
    h.clock.advance(-(24 * 3_600_000 + 1));
  });

  it("requires a token (401) and a valid one", async () => {
    expect((await h.call("GET", `/v2/${h.a.id}/agents`)).status).toBe(401);
    expect((await h.call("GET", `/v2/${h.a.id}/agents`, { token: "f".repeat(64) })).status).toBe(401);
  });
});

describe("bootstrap", () => {
  it("creates the first project and admin from the environment, once", async () => {
    const { createServer } = await import("../src/index.js");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dataDir = mkdtempSync(join(tmpdir(), "cairn-boot-"));
    const bootstrap = { adminUser: "root", adminPassword: "s3cret-pass", projectId: "123456" };
    const s1 = await createServer({ dataDir, startScheduler: false, scryptCost: { N: 1024, r: 8, p: 1 }, bootstrap });
    expect(s1.bootstrap).toMatchObject({ projectId: "123456", username: "root", generatedPassword: undefined });
    const res = await s1.app.inject({ method: "POST", url: "/v2.0/tokens", payload: { auth: { passwordCredentials: { username: "root", password: "s3cret-pass" } } } });
    expect(res.json().access.token.tenant.id).toBe("123456");
    await s1.close();
    const s2 = await createServer({ dataDir, startScheduler: false, bootstrap });
    expect(s2.bootstrap).toBeUndefined();
    await s2.close();
    const fresh = mkdtempSync(join(tmpdir(), "cairn-boot-"));
    const s3 = await createServer({ dataDir: fresh, startScheduler: false, scryptCost: { N: 1024, r: 8, p: 1 }, bootstrap: {} });
    expect(s3.bootstrap?.username).toBe("admin");
    expect(s3.bootstrap?.generatedPassword).toMatch(/^[0-9a-f]{24}$/);
    expect(s3.bootstrap?.apiKey).toMatch(/^[0-9a-f]{64}$/);
    await s3.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(fresh, { recursive: true, force: true });
  });

  it("refuses unusable bootstrap input before writing anything", async () => {
    const { createServer } = await import("../src/index.js");
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dataDir = mkdtempSync(join(tmpdir(), "cairn-boot-"));
    const cases: [Record<string, string>, RegExp][] = [
      [{ adminUser: "root" }, /both CAIRN_ADMIN_USER and CAIRN_ADMIN_PASSWORD/],
      [{ adminUser: "root", adminPassword: "" }, /must not be empty/],
      [{ adminUser: "root", adminPassword: "pw", projectId: "my project" }, /CAIRN_PROJECT_ID: a project id is 1-64 characters/],
      [{ adminUser: "root", adminPassword: "pw", projectId: "agents" }, /collection name/],
    ];
    for (const [bootstrap, message] of cases) {
      await expect(createServer({ dataDir, startScheduler: false, bootstrap }), JSON.stringify(bootstrap)).rejects.toThrow(message);
    }
    // Nothing was created: a valid start afterwards bootstraps normally.
    const ok = await createServer({ dataDir, startScheduler: false, scryptCost: { N: 1024, r: 8, p: 1 }, bootstrap: { adminUser: "root", adminPassword: "pw", projectId: "p-1" } });
    expect(ok.bootstrap?.projectId).toBe("p-1");
    await ok.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
