// Bad input, category by category (issue 5): malformed JSON, wrong types, oversized bodies,
// invalid RRULEs and time zones, invalid JSON Patch paths and ops, unknown ids, other projects'
// ids. Each answer must have the right status and a message that says what is wrong — and the
// request must change nothing (no resource created, none modified).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RouteSpec } from "../src/index.js";
import { describeDrivers } from "./support/drivers.js";
import { agentBody, configurationBody } from "./support/fixtures.js";
import { startHarness, type Harness, type Reply } from "./support/harness.js";
import { bodyFor, fillUrl, populate, type Population } from "./support/routeTable.js";

const text = (res: Reply): string => [res.body?.message, ...(res.body?.errors ?? [])].join("\n");

describeDrivers("bad input", (driver) => {
  let h: Harness;
  let pop: Population;
  let popB: Population;
  const base = (): string => `/v2/${h.a.id}`;
  beforeAll(async () => {
    h = await startHarness(driver, { bodyLimit: 64 * 1024 });
    pop = await populate(h, h.a);
    popB = await populate(h, h.b);
  });
  afterAll(async () => h?.close());

  /** A snapshot of what a project holds, to prove a rejected request changed nothing. */
  const state = async (): Promise<string> => {
    const get = async (url: string): Promise<unknown> => (await h.call("GET", `${base()}${url}`, { token: h.a.tokens.admin })).body;
    const cfg = pop.ids.configuration_id;
    return JSON.stringify([
      await get("/agents"),
      await get("/configurations"),
      await get(`/configurations/${cfg}`),
      await get("/activities?limit=1000"),
      await get(`/backups/${pop.ids.backup_id}`),
      await get(`/agents/${pop.agent.id}/logfiles`),
      await get("/settings/summaries"),
    ]);
  };

  it("malformed JSON: 400 'Malformed JSON in request body.' on every kind of body, nothing created", async () => {
    const before = await state();
    const cases: [string, string, string][] = [
      ["POST", "/agents", '{"name": "x",'],
      ["POST", "/configurations", "{'single': 'quotes'}"],
      ["POST", "/backups", '{"configuration_id": }'],
      ["POST", "/restores", "nul"],
      ["PUT", "/settings/summaries", '{"notifications": [}'],
      ["PATCH", `/configurations/${pop.ids.configuration_id}`, '[{"op": "replace", "path": "/name", "value": "x"}'],
      ["PATCH", `/backups/${pop.ids.backup_id}`, "[{]"],
    ];
    for (const [method, url, raw] of cases) {
      const res = await h.call(method, `${base()}${url}`, { token: h.a.tokens.admin, rawBody: raw });
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body, `${method} ${url}`).toEqual({ message: "Malformed JSON in request body.", errors: ["body is not valid JSON"] });
    }
    for (const url of ["/v2.0/tokens", `${base()}/agents/tokens`]) {
      const res = await h.call("POST", url, { rawBody: "{" });
      expect(res.status, url).toBe(400);
      expect(res.body.message).toBe("Malformed JSON in request body.");
    }
    expect(await state()).toBe(before);
  });

  it("wrong types: 400 naming the field and the expected type; no coercion, nothing changed", async () => {
    const before = await state();
    const cfg = configurationBody(pop.agent.id);
    const cases: [string, string, unknown, string][] = [
      ["POST", "/configurations", { ...cfg, enabled: "yes" }, "body.enabled must be of type boolean"],
      ["POST", "/configurations", { ...cfg, retention: { days: "30" } }, "body.retention.days must be of type integer"],
      ["POST", "/configurations", { ...cfg, inclusions: "/web/" }, "body.inclusions must be of type array"],
      ["POST", "/configurations", { ...cfg, inclusions: [{ type: "directory", path: "/x" }] }, 'body.inclusions[0].type must be one of: "file", "folder"'],
      ["POST", "/configurations", { ...cfg, schedule: "every hour" }, "body.schedule must be of type object,null"],
      ["POST", "/agents", agentBody({ version: 1.2 }), "body.version must be of type string"],
      ["POST", "/agents", agentBody({ host: { ...(agentBody().host as object), addresses: [{ version: "4", addr: "1.2.3.4" }] } }), "body.host.addresses[0].version must be of type integer"],
      ["POST", "/backups", { configuration_id: pop.ids.configuration_id, state: 1 }, "body.state must be of type string"],
      ["POST", "/restores", { backup_id: pop.ids.backup_id, destination_agent_id: pop.agent.id, overwrite_files: "false" }, "body.overwrite_files must be of type boolean"],
      ["POST", "/cleanups", { agent_id: [pop.agent.id], state: "start_requested" }, "body.agent_id must be of type string"],
      ["POST", "/events", { event: "agent_activate", mode: true }, "body.mode must be of type string"],
      ["PUT", "/settings/summaries", { daily: "true", notifications: [] }, "body.daily must be of type boolean"],
      ["POST", "/configurations", [cfg], "body must be of type object"],
    ];
    for (const [method, url, body, line] of cases) {
      const res = await h.call(method, `${base()}${url}`, { token: h.a.tokens.admin, body });
      expect(res.status, `${method} ${url} ${line}`).toBe(400);
      expect(res.body.errors, `${method} ${url}`).toContain(line);
      expect(res.body.message).toMatch(/^Validation failed: /);
    }
    const queries: [string, string][] = [
      ["/backups?limit=ten", "query.limit must be of type integer"],
      ["/backups?restorable=maybe", "query.restorable must be of type boolean"],
      ["/activities?sort_dir=sideways", 'query.sort_dir must be one of: "asc", "desc"'],
      ["/activities?state=done", "query.state must be one of:"],
      [`/agents/${pop.agent.id}/events?wait=soon`, "query.wait must be of type integer"],
      ["/events?marker=abc", 'marker must be an event id (decimal digits), got "abc".'],
    ];
    for (const [url, line] of queries) {
      const res = await h.call("GET", `${base()}${url}`, { token: h.a.tokens.admin });
      expect(res.status, url).toBe(400);
      expect(text(res), url).toContain(line);
    }
    const identity = await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: 7, password: "x" } } } });
    expect(identity.status).toBe(400);
    expect(text(identity)).toContain("body.auth.passwordCredentials.username must be of type string");
    expect(await state()).toBe(before);
  });

  it("oversized: 413 past the body limit (with the limit), 400 past field and document caps", async () => {
    const before = await state();
    const big = "x".repeat(70 * 1024);
    for (const [method, url, body] of [
      ["POST", "/agents", agentBody({ name: big })],
      ["PATCH", `/configurations/${pop.ids.configuration_id}`, [{ op: "replace", path: "/name", value: big }]],
      ["PUT", "/settings/summaries", { notifications: [], padding: big }],
    ] as const) {
      const res = await h.call(method, `${base()}${url}`, { token: h.a.tokens.admin, body });
      expect(res.status, `${method} ${url}`).toBe(413);
      expect(res.body.message).toBe("Request body is larger than the limit of 65536 bytes.");
    }
    expect((await h.call("POST", "/v2.0/tokens", { body: { auth: { passwordCredentials: { username: big, password: "x" } } } })).status).toBe(413);
    const long = await h.call("POST", `${base()}/configurations`, { token: h.a.tokens.admin, body: configurationBody(pop.agent.id, { name: "n".repeat(256) }) });
    expect(long.status).toBe(400);
    expect(long.body.errors).toContain("body.name must NOT have more than 255 characters");
    const many = await h.call("PATCH", `${base()}/agents/${pop.agent.id}`, { token: h.a.tokens.admin, body: Array.from({ length: 101 }, () => ({ op: "replace", path: "/enabled", value: true })) });
    expect(many.status).toBe(400);
    expect(many.body.errors).toContain("body must NOT have more than 100 items");
    expect(await state()).toBe(before);
  });

  it("the agent configuration document is capped at 1 MB (spec §2.4): 400, nothing stored", async () => {
    const roomy = await startHarness(driver, { bodyLimit: 4 * 1024 * 1024 });
    try {
      const agent = await populate(roomy, roomy.a);
      const inclusions = Array.from({ length: 9000 }, (_, i) => ({ type: "file", path: `/data/${"d".repeat(100)}/${i}.bin` }));
      const res = await roomy.call("POST", `/v2/${roomy.a.id}/configurations`, { token: roomy.a.tokens.creator, body: configurationBody(agent.agent.id, { inclusions, exclusions: [] }) });
      expect(res.status).toBe(400);
      expect(text(res)).toContain("the agent's configuration document would exceed 1048576 bytes");
      const list = await roomy.call("GET", `/v2/${roomy.a.id}/agents/${agent.agent.id}/configurations`, { token: roomy.a.tokens.observer });
      expect(list.body.configurations).toHaveLength(1);
    } finally {
      await roomy.close();
    }
  });

  const RRULES: [string, string][] = [
    ["RRULE:FREQ=MONTHLY", 'FREQ must be HOURLY, DAILY or WEEKLY, got "MONTHLY"'],
    ["RRULE:FREQ=DAILY;COUNT=3", "RRULE part COUNT is not supported"],
    ["RRULE:FREQ=DAILY;UNTIL=20300101T000000Z", "RRULE part UNTIL is not supported"],
    ["RRULE:FREQ=WEEKLY;BYDAY=XX;BYHOUR=1;BYMINUTE=0", 'BYDAY values must be MO, TU, WE, TH, FR, SA or SU, got "XX"'],
    ["RRULE:FREQ=DAILY;BYHOUR=24;BYMINUTE=0", "BYHOUR values must be 0-23, got 24"],
    ["RRULE:FREQ=DAILY;BYHOUR=1;BYMINUTE=60", "BYMINUTE values must be 0-59, got 60"],
    ["RRULE:FREQ=HOURLY;INTERVAL=0", 'INTERVAL must be an integer 1-9999, got "0"'],
    ["RRULE:FREQ=HOURLY;INTERVAL=-2", 'INTERVAL must be an integer 1-9999, got "-2"'],
    ["RRULE:FREQ=HOURLY;BYHOUR=3", "BYHOUR is not supported with FREQ=HOURLY"],
    ["RRULE:FREQ=DAILY;BYDAY=MO", "BYDAY is only supported with FREQ=WEEKLY"],
    ["RRULE:FREQ=DAILY;FREQ=WEEKLY", "RRULE part FREQ appears twice"],
    ["every day at noon", 'malformed RRULE part "every day at noon"'],
    ["RRULE:", "recurrence is empty"],
  ];
  const ZONES: [string, string][] = [
    ["Mars/Base", '"Mars/Base" is not a known IANA time zone'],
    ["America/New York", '"America/New York" is not a known IANA time zone'],
    ["../../etc/passwd", '"../../etc/passwd" is not a known IANA time zone'],
    ["UTC+5", '"UTC+5" is not a known IANA time zone'],
  ];

  it("invalid RRULEs and time zones: 400 with the reason, on create and on PATCH; nothing changed", async () => {
    const before = await state();
    const url = `${base()}/configurations/${pop.ids.configuration_id}`;
    for (const [rule, reason] of RRULES) {
      const schedule = { recurrence: [rule], time_zone: "UTC" };
      const created = await h.call("POST", `${base()}/configurations`, { token: h.a.tokens.creator, body: configurationBody(pop.agent.id, { schedule }) });
      expect(created.status, rule).toBe(400);
      expect(text(created), rule).toContain(`schedule.recurrence: ${reason}`);
      const patched = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/schedule", value: schedule }] });
      expect(patched.status, rule).toBe(400);
      expect(text(patched), rule).toContain(reason);
    }
    for (const [zone, reason] of ZONES) {
      const schedule = { recurrence: ["RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=0"], time_zone: zone };
      const created = await h.call("POST", `${base()}/configurations`, { token: h.a.tokens.creator, body: configurationBody(pop.agent.id, { schedule }) });
      expect(created.status, zone).toBe(400);
      expect(text(created), zone).toContain(`schedule.time_zone: ${reason}`);
      const patched = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/schedule", value: schedule }] });
      expect(patched.status, zone).toBe(400);
    }
    expect(await state()).toBe(before);
  });

  it("invalid JSON Patch documents: 400 listing every problem, all-or-nothing", async () => {
    const before = await state();
    const cases: [string, unknown, string][] = [
      [`/agents/${pop.agent.id}`, [{ op: "replace", path: "/name", value: "x" }], '[0].path "/name" cannot be patched; allowed: /enabled, /vault/region, /vault/use_internal, /log_level'],
      [`/agents/${pop.agent.id}`, [{ op: "replace", path: "enabled", value: true }], '[0].path "enabled" cannot be patched'],
      [`/agents/${pop.agent.id}`, [{ op: "remove", path: "/enabled" }], '[0].op "remove" is not supported here; use replace or add'],
      [`/agents/${pop.agent.id}`, [{ op: "replace", path: "/enabled" }], "[0].value is required"],
      [`/agents/${pop.agent.id}`, [{ op: "replace", path: "/enabled", value: "true" }], "[0] /enabled: must be a boolean"],
      [`/agents/${pop.agent.id}`, [{ op: "replace", path: "/log_level", value: "loud" }], "[0] /log_level: must be one of: all, trace, debug, info, warn, error, fatal"],
      [`/configurations/${pop.ids.configuration_id}`, [{ op: "add", path: "/name", value: "x" }], '[0].op "add" is not supported here; use replace'],
      [`/configurations/${pop.ids.configuration_id}`, [{ op: "replace", path: "/deleted", value: false }], '[0].path "/deleted" cannot be patched'],
      [`/configurations/${pop.ids.configuration_id}`, [{ op: "replace", path: "/retention/days", value: -1 }], "[0] /retention/days: must be a non-negative integer"],
      [`/backups/${pop.ids.backup_id}`, [{ op: "replace", path: "/restorable", value: true }], '[0].path "/restorable" cannot be patched'],
      [`/cleanups/${pop.ids.cleanup_id}`, [{ op: "replace", path: "/state", value: "preparing" }], "[0] /state: must be one of:"],
      [`/restores/${pop.ids.restore_id}`, [{ op: "add", path: "/files_restored", value: "many" }], "[0] /files_restored: must be a non-negative integer"],
      [`/agents/${pop.agent.id}/logfiles/${pop.ids.logfile_id}`, [{ op: "replace", path: "/date", value: "x" }], '[0].path "/date" cannot be patched; allowed: /state'],
      [`/agents/${pop.agent.id}`, { op: "replace", path: "/enabled", value: true }, "body must be of type array"],
      [`/agents/${pop.agent.id}`, [], "body must NOT have fewer than 1 items"],
    ];
    for (const [url, body, line] of cases) {
      const res = await h.call("PATCH", `${base()}${url}`, { token: h.a.tokens.admin, body });
      expect(res.status, `${url} ${line}`).toBe(400);
      expect(text(res), `${url}`).toContain(line);
    }
    // All-or-nothing: a valid first op is not applied when a later one is invalid; every problem is listed.
    const res = await h.call("PATCH", `${base()}/configurations/${pop.ids.configuration_id}`, {
      token: h.a.tokens.admin,
      body: [
        { op: "replace", path: "/name", value: "changed" },
        { op: "replace", path: "/nope", value: 1 },
        { op: "move", path: "/name", from: "/x" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(2);
    expect(await state()).toBe(before);
  });

  const routes = () =>
    h.server.routes
      .map((r) => ({ route: r, spec: (r.config as { cairn?: RouteSpec }).cairn as RouteSpec }))
      .filter(({ route, spec }) => spec !== undefined && spec.role !== "public" && /:(agent|configuration|backup|restore|cleanup|logfile|request|user)_id/.test(route.url));

  it("unknown ids in the path: 404 '<Thing> not found.' on every route, for every id", async () => {
    let checked = 0;
    for (const { route, spec } of routes()) {
      for (const param of [...route.url.matchAll(/:([a-z_]+_id)/g)].map((m) => m[1]!).filter((p) => p !== "project_id")) {
        const url = fillUrl(route.url.replace(`:${param}`, randomUUID()), h.a.id, pop);
        const res = await h.call(route.method, url, { token: h.a.tokens.admin, body: bodyFor(spec.operationId, pop) });
        const label = `${route.method} ${route.url} (${param}) -> ${res.status} ${res.raw.slice(0, 120)}`;
        // Moving a vault to or from an agent outside the project is a 403 (spec §3.4).
        const expected = spec.operationId === "moveVault" ? 403 : 404;
        expect(res.status, label).toBe(expected);
        if (expected === 404) expect(res.body.message, label).toMatch(/^(Agent|Configuration|Backup|Restore|Cleanup|Log file|Request|User) not found\.$/);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("unknown ids in bodies: 404 naming the thing (403 for a vault move)", async () => {
    const before = await state();
    const nobody = randomUUID();
    const cases: [string, string, unknown, number, string][] = [
      ["POST", "/configurations", configurationBody(nobody), 404, "Agent not found."],
      ["POST", "/backups", { configuration_id: nobody, state: "start_requested" }, 404, "Configuration not found."],
      ["POST", "/restores", { backup_id: nobody, destination_agent_id: pop.agent.id }, 404, "Backup not found."],
      ["POST", "/restores", { backup_id: pop.ids.backup_id, destination_agent_id: nobody }, 404, "Agent not found."],
      ["POST", "/cleanups", { agent_id: nobody, state: "start_requested" }, 404, "Agent not found."],
      ["POST", `/backups/${pop.ids.backup_id}/browse-requests`, { agent_id: nobody, path: "/" }, 404, "Agent not found."],
      ["POST", `/agents/${pop.agent.id}/vault`, { source_agent_id: nobody }, 403, "Both agents must exist in this project."],
      ["POST", `/agents/${pop.agent.id}/events`, { event: "backup_progress", backup: { id: nobody }, bytes_completed: 1 }, 404, "Backup not found."],
    ];
    for (const [method, url, body, status, message] of cases) {
      const res = await h.call(method, `${base()}${url}`, { token: method === "POST" && url.endsWith("/events") ? pop.agent.token : h.a.tokens.admin, body, headers: { "x-agent-id": pop.agent.id } });
      expect(res.status, `${method} ${url}`).toBe(status);
      expect(res.body.message, `${method} ${url}`).toBe(message);
    }
    const login = await h.call("POST", `${base()}/agents/tokens`, { body: { id: nobody, password: "x", host: { fingerprint: "fp-1" } } });
    expect(login.status).toBe(401);
    expect(login.body.message).toBe("Invalid agent id or password.");
    expect(await state()).toBe(before);
  });

  it("other projects' ids: answered exactly like unknown ids (nothing to tell them apart), nothing changed", async () => {
    const before = await state();
    for (const { route, spec } of routes()) {
      const foreign = await h.call(route.method, fillUrl(route.url, h.a.id, popB), { token: h.a.tokens.admin, body: bodyFor(spec.operationId, popB) });
      const label = `${route.method} ${route.url} -> ${foreign.status} ${foreign.raw.slice(0, 120)}`;
      expect([403, 404], label).toContain(foreign.status);
      if (foreign.status === 404) {
        const unknown = await h.call(route.method, fillUrl(route.url, h.a.id, { ...popB, ids: Object.fromEntries(Object.keys(popB.ids).map((k) => [k, randomUUID()])), agent: { ...popB.agent, id: randomUUID() } }), { token: h.a.tokens.admin, body: bodyFor(spec.operationId, popB) });
        expect(foreign.body, label).toEqual(unknown.body);
      }
      for (const id of Object.values(popB.ids)) expect(foreign.raw.includes(id), `${label} leaks ${id}`).toBe(false);
    }
    for (const [url, body, message] of [
      ["/configurations", configurationBody(popB.agent.id), "Agent not found."],
      ["/backups", { configuration_id: popB.ids.configuration_id, state: "start_requested" }, "Configuration not found."],
      ["/restores", { backup_id: popB.ids.backup_id, destination_agent_id: pop.agent.id }, "Backup not found."],
      ["/restores", { backup_id: pop.ids.backup_id, destination_agent_id: popB.agent.id }, "Agent not found."],
      ["/cleanups", { agent_id: popB.agent.id, state: "start_requested" }, "Agent not found."],
    ] as const) {
      const res = await h.call("POST", `${base()}${url}`, { token: h.a.tokens.admin, body });
      expect(res.status, url).toBe(404);
      expect(res.body.message, url).toBe(message);
    }
    const login = await h.call("POST", `${base()}/agents/tokens`, { body: { id: popB.agent.id, password: popB.agent.password, host: { fingerprint: "fp-1" } } });
    expect(login.status).toBe(401);
    expect(await state()).toBe(before);
  });
});
