import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { completedBackup, configurationBody, createConfiguration, registerAgent, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("configurations", (driver) => {
  let h: Harness;
  let agent: TestAgent;
  beforeAll(async () => {
    h = await startHarness(driver);
    agent = await registerAgent(h, h.a);
  });
  afterAll(async () => h?.close());

  it("creates: 201, Location, schedule anchored now, next scheduled time, configuration_changed event", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.creator, body: configurationBody(agent.id) });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`http://cairn.test/v2/${h.a.id}/configurations/${res.body.id}`);
    expect(res.body).toMatchObject({
      agent: { id: agent.id },
      deleted: false,
      schedule: { start: "2026-06-01T12:00:00.000000Z", recurrence: ["RRULE:FREQ=HOURLY;INTERVAL=2"], time_zone: "US/Central" },
      backups: { last_completed: null, next: { scheduled_time: "2026-06-01T14:00:00.000000Z" } },
    });
    const events = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events`, { token: agent.token });
    expect(events.body.events.some((e: { event: string; configuration?: { id: string } }) => e.event === "configuration_changed" && e.configuration?.id === res.body.id)).toBe(true);
  });

  it.each([
    ["duplicate inclusion", { inclusions: [{ type: "folder", path: "/a/" }, { type: "folder", path: "/a" }], exclusions: [] }, "listed twice"],
    ["included and excluded", { inclusions: [{ type: "folder", path: "/a/" }], exclusions: [{ type: "folder", path: "/a/" }] }, "both included and excluded"],
    ["inclusion beneath inclusion", { inclusions: [{ type: "folder", path: "/a/" }, { type: "file", path: "/a/b.txt" }], exclusions: [] }, "beneath inclusion"],
    ["inclusion beneath exclusion", { inclusions: [{ type: "folder", path: "/a/" }, { type: "folder", path: "/a/x/y/" }], exclusions: [{ type: "folder", path: "/a/x/" }] }, "beneath exclusion"],
    ["exclusion beneath exclusion", { inclusions: [{ type: "folder", path: "/a/" }], exclusions: [{ type: "folder", path: "/a/x/" }, { type: "file", path: "/a/x/f" }] }, "beneath exclusion"],
    ["exclusion outside inclusions", { inclusions: [{ type: "folder", path: "/a/" }], exclusions: [{ type: "file", path: "/b/f" }] }, "does not lie beneath any inclusion"],
    ["Windows paths too", { inclusions: [{ type: "folder", path: "C:\\data" }, { type: "file", path: "C:\\data\\x.txt" }], exclusions: [] }, "beneath inclusion"],
    ["invalid RRULE", { schedule: { recurrence: ["RRULE:FREQ=MONTHLY"], time_zone: "UTC" } }, "FREQ must be HOURLY, DAILY or WEEKLY"],
    ["two RRULEs", { schedule: { recurrence: ["RRULE:FREQ=DAILY", "RRULE:FREQ=DAILY"], time_zone: "UTC" } }, "must NOT have more than 1 items"],
    ["invalid time zone", { schedule: { recurrence: ["RRULE:FREQ=DAILY;BYHOUR=1;BYMINUTE=0"], time_zone: "Mars/Base" } }, "not a known IANA time zone"],
    ["no failure notification", { notifications: [{ type: "email", destination: "a@b.c", on_success: true, on_failure: false }] }, "on_failure"],
    ["bad email", { notifications: [{ type: "email", destination: "nope", on_success: true, on_failure: true }] }, "destination"],
    ["missing name", { name: undefined }, "name is required"],
    ["negative retention", { retention: { days: -1 } }, "retention.days"],
    ["string enabled", { enabled: "true" }, "enabled must be of type boolean"],
  ])("rejects %s with 400", async (_name, overrides, message) => {
    const res = await h.call("POST", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.creator, body: configurationBody(agent.id, overrides) });
    expect(res.status).toBe(400);
    expect([res.body.message, ...(res.body.errors ?? [])].join("\n")).toContain(message);
  });

  it("accepts and ignores path_encoded on inclusions", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/configurations`, {
      token: h.a.tokens.creator,
      body: configurationBody(agent.id, { inclusions: [{ type: "folder", path: "/srv/", path_encoded: "L3Nydi8=" }], exclusions: [] }),
    });
    expect(res.status).toBe(201);
    expect(res.body.inclusions).toEqual([{ type: "folder", path: "/srv/" }]);
  });

  it("404 for an unknown agent, 403 for observers", async () => {
    expect((await h.call("POST", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.creator, body: configurationBody("nope") })).status).toBe(404);
    expect((await h.call("POST", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.observer, body: configurationBody(agent.id) })).status).toBe(403);
  });

  it("patches with replace only, re-validates, re-anchors the schedule", async () => {
    const id = await createConfiguration(h, h.a, agent.id);
    const url = `/v2/${h.a.id}/configurations/${id}`;
    h.clock.advance(30 * 60_000);
    let res = await h.call("PATCH", url, {
      token: h.a.tokens.creator,
      body: [
        { op: "replace", path: "/name", value: "Nightly" },
        { op: "replace", path: "/schedule", value: { recurrence: ["RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=30"], time_zone: "America/New_York" } },
        { op: "replace", path: "/retention/days", value: 7 },
      ],
    });
    expect(res.status).toBe(204);
    const got = await h.call("GET", url, { token: h.a.tokens.observer });
    expect(got.body).toMatchObject({ name: "Nightly", retention: { days: 7 }, schedule: { start: "2026-06-01T12:30:00.000000Z", time_zone: "America/New_York" } });
    expect(got.body.backups.next.scheduled_time).toBe("2026-06-02T06:30:00.000000Z");
    h.clock.advance(-30 * 60_000);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "add", path: "/name", value: "x" }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/agent_id", value: "x" }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/exclusions", value: [{ type: "file", path: "/elsewhere/x" }] }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("does not lie beneath any inclusion");
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/schedule", value: { recurrence: ["RRULE:FREQ=HOURLY;BYHOUR=3"], time_zone: "UTC" } }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/inclusions", value: "everything" }] });
    expect(res.status).toBe(400);
    res = await h.call("PATCH", url, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/schedule", value: null }] });
    expect(res.status).toBe(204);
    expect((await h.call("GET", url, { token: h.a.tokens.observer })).body.backups.next).toBeNull();
  });

  it("soft-deletes (admin): GET shows deleted, lists hide it, PATCH is a 409", async () => {
    const id = await createConfiguration(h, h.a, agent.id, { name: "doomed" });
    expect((await h.call("DELETE", `/v2/${h.a.id}/configurations/${id}`, { token: h.a.tokens.creator })).status).toBe(403);
    expect((await h.call("DELETE", `/v2/${h.a.id}/configurations/${id}`, { token: h.a.tokens.admin })).status).toBe(204);
    expect((await h.call("GET", `/v2/${h.a.id}/configurations/${id}`, { token: h.a.tokens.observer })).body.deleted).toBe(true);
    const list = await h.call("GET", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.observer });
    expect(list.body.configurations.some((c: { id: string }) => c.id === id)).toBe(false);
    expect((await h.call("PATCH", `/v2/${h.a.id}/configurations/${id}`, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/name", value: "x" }] })).status).toBe(409);
    expect((await h.call("GET", `/v2/${h.a.id}/configurations/00000000-0000-4000-8000-000000000000`, { token: h.a.tokens.observer })).status).toBe(404);
  });

  it("lists summaries; restorable=true keeps deleted ones with restorable backups", async () => {
    const keep = await createConfiguration(h, h.a, agent.id, { name: "restorable-then-deleted" });
    await completedBackup(h, h.a, agent, keep);
    await h.call("DELETE", `/v2/${h.a.id}/configurations/${keep}`, { token: h.a.tokens.admin });
    const all = await h.call("GET", `/v2/${h.a.id}/configurations`, { token: h.a.tokens.observer });
    const summary = all.body.configurations[0];
    expect(summary.inclusions).toBeUndefined();
    expect(summary.links[0].rel).toBe("full");
    const restorable = await h.call("GET", `/v2/${h.a.id}/configurations?restorable=true`, { token: h.a.tokens.observer });
    expect(restorable.body.configurations.map((c: { id: string }) => c.id)).toEqual([keep]);
    expect(restorable.body.configurations[0].backups.last_completed.id).toBeDefined();
    const byAgent = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/configurations`, { token: h.a.tokens.observer });
    expect(byAgent.status).toBe(200);
    expect(byAgent.body.configurations.every((c: { agent: { id: string } }) => c.agent.id === agent.id)).toBe(true);
  });
});
