// Users of a project (Cairn extension): an admin creates users with a role, changes roles and
// passwords, removes users and issues API keys; the changes take effect at once (tokens of a
// changed password or a removed user stop working, a new role applies to the next request).
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { agentBody } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("users", (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  });
  afterAll(async () => h?.close());

  const users = () => `/v2/${h.a.id}/users`;
  const login = async (body: Record<string, unknown>) => h.call("POST", "/v2.0/tokens", { body: { auth: body } });
  const passwordLogin = (username: string, password: string) => login({ passwordCredentials: { username, password } });

  it("an admin creates a user; the generated password is shown once and logs in with the role", async () => {
    const res = await h.call("POST", users(), { token: h.a.tokens.admin, body: { username: "olga", role: "observer" } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`http://cairn.test/v2/${h.a.id}/users/${res.body.id}`);
    expect(res.body).toMatchObject({ username: "olga", role: "observer", links: [{ rel: "self" }] });
    expect(res.body.password).toMatch(/^[0-9a-f]{24}$/);
    const got = await h.call("GET", `${users()}/${res.body.id}`, { token: h.a.tokens.admin });
    expect(got.body.password).toBeUndefined();
    expect((await h.call("GET", users(), { token: h.a.tokens.admin })).body.users.map((u: { username: string }) => u.username)).toContain("olga");
    const auth = await passwordLogin("olga", res.body.password);
    expect(auth.status).toBe(200);
    expect(auth.body.access.token.tenant.id).toBe(h.a.id);
    const token = auth.body.access.token.id as string;
    expect((await h.call("GET", `/v2/${h.a.id}/agents`, { token })).status).toBe(200);
    expect((await h.call("POST", `/v2/${h.a.id}/agents`, { token, body: agentBody() })).status).toBe(403);
  });

  it("role changes apply to the next request; password changes revoke the user's tokens", async () => {
    const created = await h.call("POST", users(), { token: h.a.tokens.admin, body: { username: "carl", password: "first-password", role: "observer" } });
    const id = created.body.id as string;
    const token = (await passwordLogin("carl", "first-password")).body.access.token.id as string;
    expect((await h.call("POST", `/v2/${h.a.id}/agents`, { token, body: agentBody() })).status).toBe(403);
    expect((await h.call("PATCH", `${users()}/${id}`, { token: h.a.tokens.admin, body: [{ op: "replace", path: "/role", value: "cloudbackup:creator" }] })).status).toBe(204);
    expect((await h.call("POST", `/v2/${h.a.id}/agents`, { token, body: agentBody() })).status).toBe(201);
    expect((await h.call("PATCH", `${users()}/${id}`, { token: h.a.tokens.admin, body: [{ op: "replace", path: "/password", value: "second-password" }] })).status).toBe(204);
    expect((await h.call("GET", `/v2/${h.a.id}/agents`, { token })).status).toBe(401);
    expect((await passwordLogin("carl", "first-password")).status).toBe(401);
    expect((await passwordLogin("carl", "second-password")).status).toBe(200);
  });

  it("API keys: users issue their own, admins anyone's; others' are refused", async () => {
    const created = await h.call("POST", users(), { token: h.a.tokens.admin, body: { username: "kim", password: "kim-password", role: "observer" } });
    const id = created.body.id as string;
    const token = (await passwordLogin("kim", "kim-password")).body.access.token.id as string;
    const own = await h.call("POST", `${users()}/${id}/api-keys`, { token });
    expect(own.status).toBe(201);
    expect(own.body.api_key).toMatch(/^[0-9a-f]{64}$/);
    expect((await login({ "RAX-KSKEY:apiKeyCredentials": { username: "kim", apiKey: own.body.api_key } })).status).toBe(200);
    const admins = (await h.call("GET", users(), { token: h.a.tokens.admin })).body.users.filter((u: { role: string }) => u.role === "admin");
    const other = await h.call("POST", `${users()}/${admins[0].id}/api-keys`, { token });
    expect(other.status).toBe(403);
    expect((await h.call("POST", `${users()}/${id}/api-keys`, { token: h.a.tokens.admin })).status).toBe(201);
  });

  it("the last admin can be neither demoted nor removed (409); removing a user ends their access", async () => {
    const p = await h.newProject();
    const list = async () => (await h.call("GET", `/v2/${p.id}/users`, { token: p.tokens.admin })).body.users as { id: string; username: string; role: string }[];
    const admin = (await list()).find((u) => u.role === "admin")!;
    const demote = await h.call("PATCH", `/v2/${p.id}/users/${admin.id}`, { token: p.tokens.admin, body: [{ op: "replace", path: "/role", value: "creator" }] });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toBe("The project's last admin cannot be removed or demoted.");
    expect((await h.call("DELETE", `/v2/${p.id}/users/${admin.id}`, { token: p.tokens.admin })).status).toBe(409);
    const second = await h.call("POST", `/v2/${p.id}/users`, { token: p.tokens.admin, body: { username: `second-admin-${p.id}`, password: "second-admin", role: "admin" } });
    expect((await h.call("PATCH", `/v2/${p.id}/users/${admin.id}`, { token: p.tokens.admin, body: [{ op: "replace", path: "/role", value: "creator" }] })).status).toBe(204);
    expect((await h.call("GET", `/v2/${p.id}/users`, { token: p.tokens.admin })).status).toBe(403); // now a creator
    const secondToken = (await passwordLogin(`second-admin-${p.id}`, "second-admin")).body.access.token.id as string;
    const remaining = (await h.call("GET", `/v2/${p.id}/users`, { token: secondToken })).body.users as { id: string; role: string }[];
    const observer = remaining.find((u) => u.role === "observer")!;
    expect((await h.call("DELETE", `/v2/${p.id}/users/${observer.id}`, { token: secondToken })).status).toBe(204);
    expect((await h.call("GET", `/v2/${p.id}/agents`, { token: p.tokens.observer })).status).toBe(401); // user gone with their tokens
    expect((await h.call("GET", `/v2/${p.id}/users/${observer.id}`, { token: secondToken })).status).toBe(404);
    expect(second.status).toBe(201);
  });

  it("validates input: username rules, password length, role names; duplicates are 409, also across projects", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ username: "bad name", role: "observer" }, "body.username must match pattern"],
      [{ username: "short-pw", password: "1234567", role: "observer" }, "body.password must NOT have fewer than 8 characters"],
      [{ username: "no-role" }, "body.role is required"],
      [{ username: "bad-role", role: "root" }, "body.role must be one of"],
    ];
    for (const [body, line] of cases) {
      const res = await h.call("POST", users(), { token: h.a.tokens.admin, body });
      expect(res.status, line).toBe(400);
      expect([res.body.message, ...res.body.errors].join("\n")).toContain(line);
    }
    const first = await h.call("POST", users(), { token: h.a.tokens.admin, body: { username: "dup", role: "observer" } });
    expect(first.status).toBe(201);
    const again = await h.call("POST", `/v2/${h.b.id}/users`, { token: h.b.tokens.admin, body: { username: "dup", role: "observer" } });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('The username "dup" is taken.');
    const patch = await h.call("PATCH", `${users()}/${first.body.id}`, { token: h.a.tokens.admin, body: [{ op: "replace", path: "/password", value: "short" }] });
    expect(patch.status).toBe(400);
    expect(patch.body.errors).toContain("[0] /password: must be a string of 8-1024 characters");
    expect((await h.call("PATCH", `${users()}/${first.body.id}`, { token: h.a.tokens.admin, body: [{ op: "replace", path: "/username", value: "x" }] })).status).toBe(400);
    // Another project's user is not found here, and creators/observers may not manage users.
    expect((await h.call("GET", `/v2/${h.b.id}/users/${first.body.id}`, { token: h.b.tokens.admin })).status).toBe(404);
    expect((await h.call("GET", users(), { token: h.a.tokens.creator })).status).toBe(403);
  });
});
