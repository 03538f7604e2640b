import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { createConfiguration, registerAgent, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("schedules and the scheduler", (driver) => {
  let h: Harness;
  let agent: TestAgent;
  beforeAll(async () => {
    h = await startHarness(driver, { eventRetentionMs: 6 * 3_600_000 });
    agent = await registerAgent(h, h.a);
  });
  afterAll(async () => h?.close());

  const backupsOf = async (cfg: string) =>
    (await h.call("GET", `/v2/${h.a.id}/configurations/${cfg}/activities?sort_dir=asc&limit=1000`, { token: h.a.tokens.observer })).body.activities as { id: string; state: string }[];

  it("records missed runs once their grace period has passed, once each", async () => {
    const start = h.clock.now();
    const cfg = await createConfiguration(h, h.a, agent.id, { name: "hourly", schedule: { recurrence: ["RRULE:FREQ=HOURLY;INTERVAL=1"], time_zone: "UTC" } });
    // 12:00 anchor: runs at 13:00, 14:00, 15:00. The agent runs 14:00 itself.
    h.clock.set(start + 2 * 3_600_000 + 60_000);
    const own = await h.call("POST", `/v2/${h.a.id}/backups`, { token: agent.token, headers: { "x-agent-id": agent.id }, body: { configuration_id: cfg, state: "start_scheduled" } });
    expect(own.status).toBe(201);
    expect(own.body.state).toBe("start_scheduled");
    await h.call("PATCH", `/v2/${h.a.id}/backups/${own.body.id}`, { token: agent.token, body: [{ op: "replace", path: "/state", value: "completed" }] });
    h.clock.set(start + 3 * 3_600_000 + 11 * 60_000); // 15:11: 15:00 is past its 10 min grace
    const report = await h.server.scheduler.tick();
    expect(report.missed).toBe(2); // 13:00 and 15:00
    const again = await h.server.scheduler.tick();
    expect(again.missed).toBe(0);
    const acts = await backupsOf(cfg);
    expect(acts.map((a) => a.state)).toEqual(["completed", "missed", "missed"]);
    const missed = await h.call("GET", `/v2/${h.a.id}/backups/${acts[1]!.id}`, { token: h.a.tokens.observer });
    expect(missed.body.restorable).toBe(false);
    const events = await h.call("GET", `/v2/${h.a.id}/configurations/${cfg}/events?limit=1000`, { token: h.a.tokens.observer });
    const missedEvents = events.body.events.filter((e: { event: string }) => e.event === "backup_missed");
    expect(missedEvents.map((e: { scheduled_time: string }) => e.scheduled_time).sort()).toEqual(["2026-06-01T13:00:00.000000Z", "2026-06-01T15:00:00.000000Z"]);
    expect((await h.call("PATCH", `/v2/${h.a.id}/backups/${acts[1]!.id}`, { token: agent.token, body: [{ op: "replace", path: "/state", value: "queued" }] })).status).toBe(409);
    h.clock.set(start);
  });

  it("does not record runs missed while the configuration was disabled", async () => {
    const start = h.clock.now();
    const cfg = await createConfiguration(h, h.a, agent.id, { name: "paused", schedule: { recurrence: ["RRULE:FREQ=HOURLY;INTERVAL=1"], time_zone: "UTC" } });
    await h.call("PATCH", `/v2/${h.a.id}/configurations/${cfg}`, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/enabled", value: false }] });
    h.clock.set(start + 5 * 3_600_000);
    await h.server.scheduler.tick();
    await h.call("PATCH", `/v2/${h.a.id}/configurations/${cfg}`, { token: h.a.tokens.creator, body: [{ op: "replace", path: "/enabled", value: true }] });
    h.clock.set(start + 5 * 3_600_000 + 20 * 60_000);
    await h.server.scheduler.tick();
    expect(await backupsOf(cfg)).toEqual([]);
    h.clock.set(start);
  });

  it("next scheduled time and agent times follow DST (New York spring-forward)", async () => {
    const before = h.clock.now();
    h.clock.set(Date.parse("2026-03-06T12:00:00Z"));
    const cfg = await createConfiguration(h, h.a, agent.id, { name: "nightly", schedule: { recurrence: ["RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=30"], time_zone: "America/New_York" } });
    const got = await h.call("GET", `/v2/${h.a.id}/configurations/${cfg}`, { token: h.a.tokens.observer });
    expect(got.body.backups.next.scheduled_time).toBe("2026-03-07T07:30:00.000000Z");
    const doc = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/configuration`, { token: agent.token });
    const mine = doc.body.configurations.find((c: { id: string }) => c.id === cfg);
    expect(mine.times.slice(0, 3)).toEqual(["2026-03-07T07:30:00.000000Z", "2026-03-08T07:30:00.000000Z", "2026-03-09T06:30:00.000000Z"]);
    h.clock.set(before);
  });

  it("purges events past their retention", async () => {
    const before = h.clock.now();
    const times = async () => ((await h.call("GET", `/v2/${h.a.id}/events?limit=1000`, { token: h.a.tokens.observer })).body.events as { time: string }[]).map((e) => Date.parse(e.time));
    expect((await times()).length).toBeGreaterThan(0);
    h.clock.set(before + 12 * 3_600_000);
    const report = await h.server.scheduler.tick();
    expect(report.purgedEvents).toBeGreaterThan(0);
    // What is left was written by this very tick (new missed runs), none older than retention.
    expect((await times()).every((t) => t >= h.clock.now() - 6 * 3_600_000)).toBe(true);
    h.clock.set(before);
  });
});
