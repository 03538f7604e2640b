import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/index.js";
import { describeDrivers, drivers } from "./support/drivers.js";
import { agentBody, configurationBody, registerAgent, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("HTTP conventions and bad input", (driver) => {
  let h: Harness;
  let agent: TestAgent;
  beforeAll(async () => {
    h = await startHarness(driver, { bodyLimit: 64 * 1024 });
    agent = await registerAgent(h, h.a);
  });
  afterAll(async () => h?.close());

  it("malformed JSON is a 400 with the error body", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, rawBody: '{"name": "x",' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: "Malformed JSON in request body.", errors: ["body is not valid JSON"] });
    const patch = await h.call("PATCH", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.creator, rawBody: "[{" });
    expect(patch.status).toBe(400);
  });

  it("prototype poisoning is refused", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, rawBody: '{"__proto__": {"admin": true}}' });
    expect(res.status).toBe(400);
  });

  it("oversized bodies are a 413", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, body: agentBody({ name: "x".repeat(70 * 1024) }) });
    expect(res.status).toBe(413);
    expect(res.body.message).toContain("65536 bytes");
  });

  it("a missing body or a wrong content type is refused", async () => {
    expect((await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator })).status).toBe(400);
    const res = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, rawBody: "name=x", contentType: "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    const plain = await h.call("POST", `/v2/${h.a.id}/agents`, { token: h.a.tokens.creator, rawBody: JSON.stringify(agentBody()), contentType: "text/plain" });
    expect(plain.status).toBe(415);
    expect(plain.body.message).toMatch(/application\/json/);
    // PATCH accepts json-patch+json and (leniently) application/json; charset=utf-8.
    const lenient = await h.call("PATCH", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/enabled", value: true }], contentType: "application/json; charset=utf-8" });
    expect(lenient.status).toBe(204);
  });

  it("401 before 400: a bad token wins over a bad body", async () => {
    expect((await h.call("POST", `/v2/${h.a.id}/agents`, { rawBody: "{" })).status).toBe(401);
  });

  it("unknown paths are 404, wrong methods 405 with Allow", async () => {
    const nf = await h.call("GET", `/v2/${h.a.id}/nothing-here`, { token: h.a.tokens.admin });
    expect(nf.status).toBe(404);
    expect(nf.body.message).toBeTruthy();
    const na = await h.call("PUT", `/v2/${h.a.id}/agents/${agent.id}`, { token: h.a.tokens.admin, body: {} });
    expect(na.status).toBe(405);
    expect(String(na.headers.allow)).toContain("PATCH");
  });

  it("X-Project-Id: header form works, mismatch is 400", async () => {
    const viaHeader = await h.call("GET", `/v2/agents/${agent.id}`, { token: h.a.tokens.observer, headers: { "x-project-id": h.a.id } });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.id).toBe(agent.id);
    const both = await h.call("GET", `/v2/${h.a.id}/agents`, { token: h.a.tokens.observer, headers: { "x-project-id": h.a.id } });
    expect(both.status).toBe(200);
    const mismatch = await h.call("GET", `/v2/${h.a.id}/agents`, { token: h.a.tokens.observer, headers: { "x-project-id": h.b.id } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toMatch(/X-Project-Id/);
    expect((await h.call("GET", `/v2/${h.a.id}/ping`, { headers: { "x-project-id": h.b.id } })).status).toBe(400);
  });

  it("/v2/<collection> without a project id (path or X-Project-Id) is a 400 that says so", async () => {
    for (const url of ["/v2/agents", `/v2/agents/${agent.id}`, "/v2/agents/tokens", "/v2/activities", "/v2/configurations/x/events"]) {
      const res = await h.call("GET", url, { token: h.a.tokens.admin });
      expect(res.status, url).toBe(400);
      expect(res.body.message, url).toMatch(/project id is missing/);
    }
  });

  it("unknown fields are ignored at every depth: never stored, echoed or carried into links", async () => {
    const body = configurationBody(agent.id, {
      surprise: "top",
      retention: { days: 3, surprise: "nested" },
      schedule: { recurrence: ["RRULE:FREQ=HOURLY;INTERVAL=2"], time_zone: "UTC", surprise: "schedule" },
      notifications: [{ type: "email", destination: "ops@example.com", on_success: true, on_failure: true, surprise: "item" }],
    });
    const created = await h.call("POST", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.creator, body });
    expect(created.status).toBe(201);
    expect(created.raw).not.toContain("surprise");
    const got = await h.call("GET", `/v2/${h.a.id}/configurations/${created.body.id}`, { token: h.a.tokens.observer });
    expect(got.raw).not.toContain("surprise");
    expect(got.body.retention).toEqual({ days: 3 });
    const patch = await h.call("PATCH", `/v2/${h.a.id}/configurations/${created.body.id}`, {
      token: h.a.tokens.creator,
      body: [{ op: "replace", path: "/notifications", value: [{ type: "email", destination: "a@b.c", on_success: false, on_failure: true, surprise: "patched" }] }],
    });
    expect(patch.status).toBe(204);
    expect((await h.call("GET", `/v2/${h.a.id}/configurations/${created.body.id}`, { token: h.a.tokens.observer })).raw).not.toContain("surprise");
    const reg = await h.call("POST", `/v2/${h.a.id}/agents`, {
      token: h.a.tokens.creator,
      body: agentBody({ rsa_public_key: { modulus: "AB", exponent: 3, surprise: 1 }, host: { ...(agentBody().host as object), os: { name: "o", version: "1", architecture: "a", surprise: 1 } } }),
    });
    expect(reg.status).toBe(201);
    expect(reg.raw).not.toContain("surprise");
    const listed = await h.call("GET", `/v2/${h.a.id}/activities?limit=1&surprise=1`, { token: h.a.tokens.observer });
    expect(listed.status).toBe(200);
    expect(listed.raw).not.toContain("surprise");
  });

  it("a .json suffix is ignored, .xml is 406", async () => {
    expect((await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}.json`, { token: h.a.tokens.observer })).status).toBe(200);
    expect((await h.call("GET", `/v2/${h.a.id}/agents.xml`, { token: h.a.tokens.observer })).status).toBe(406);
  });

  it("no stack traces or internals in 5xx responses", async () => {
    const original = h.server.context.stores.agents.list;
    h.server.context.stores.agents.list = async () => {
      throw new Error("SQLITE_CORRUPT at /secret/path/cairn.sqlite");
    };
    try {
      const res = await h.call("GET", `/v2/${h.a.id}/agents`, { token: h.a.tokens.observer });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ message: "Internal server error." });
    } finally {
      h.server.context.stores.agents.list = original;
    }
  });

  it("JSON responses carry the content type and no caching", async () => {
    const res = await h.call("GET", `/v2/${h.a.id}/agents`, { token: h.a.tokens.observer });
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["cache-control"]).toBe("no-store");
  });
});

describe("logging", () => {
  it("redacts tokens and passwords and logs no stack", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "debug", destination: sink });
    logger.info({ req: { headers: { "x-auth-token": "SECRET-TOKEN" } }, body: { password: "SECRET-PW", apiKey: "SECRET-KEY" } }, "hello");
    const { startHarness: start } = await import("./support/harness.js");
    const h = await start(drivers()[0]!, { logger });
    await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: "who", password: "SECRET-PW2" } } } });
    await h.call("GET", `/v2/${h.a.id}/agents`, { token: h.a.tokens.admin });
    await h.close();
    const text = lines.join("");
    expect(text).toContain("[redacted]");
    for (const secret of ["SECRET-TOKEN", "SECRET-PW", "SECRET-KEY", "SECRET-PW2", h.a.tokens.admin]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"stack"/);
  });
});
