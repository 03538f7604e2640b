import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { agentBody, createConfiguration, registerAgent, startBackup, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("pagination and event feeds", (driver) => {
  let h: Harness;
  let agent: TestAgent;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await startHarness(driver, { longPollMaxMs: 2_000 });
    agent = await registerAgent(h, h.a);
    const cfg = await createConfiguration(h, h.a, agent.id);
    for (let i = 0; i < 7; i += 1) {
      const id = await startBackup(h, h.a, cfg);
      await h.call("PATCH", `/v2/${h.a.id}/backups/${id}`, { token: agent.token, body: [{ op: "replace", path: "/state", value: "failed" }] });
      ids.push(id);
    }
  });
  afterAll(async () => h?.close());

  const list = (query: string) => h.call("GET", `/v2/${h.a.id}/backups${query}`, { token: h.a.tokens.observer });

  it("sorts the whole set before limiting; next/previous links", async () => {
    const desc = await list("?limit=3");
    expect(desc.body.backups.map((b: { id: string }) => b.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(desc.body.links).toEqual([{ rel: "next", href: `http://cairn.test/v2/${h.a.id}/backups?limit=3&marker=${ids[4]}` }]);
    const page2 = await list(`?limit=3&marker=${ids[4]}`);
    expect(page2.body.backups.map((b: { id: string }) => b.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(page2.body.links).toContainEqual({ rel: "previous", href: `http://cairn.test/v2/${h.a.id}/backups?limit=3&marker=${ids[3]}&sort_dir=asc` });
    const last = await list(`?limit=3&marker=${ids[1]}`);
    expect(last.body.backups.map((b: { id: string }) => b.id)).toEqual([ids[0]]);
    expect(last.body.links.map((l: { rel: string }) => l.rel)).toEqual(["previous"]);
    const asc = await list("?limit=2&sort_dir=asc");
    expect(asc.body.backups.map((b: { id: string }) => b.id)).toEqual([ids[0], ids[1]]);
    expect(asc.body.links[0].href).toContain("sort_dir=asc");
    const exact = await list("?limit=7");
    expect(exact.body.backups).toHaveLength(7);
    expect(exact.body.links).toEqual([]);
  });

  it("limit edges: 1 and 1000 fine, 0 / 1001 / text are 400; unknown marker is 400", async () => {
    expect((await list("?limit=1")).body.backups).toHaveLength(1);
    expect((await list("?limit=1000")).status).toBe(200);
    for (const q of ["?limit=0", "?limit=1001", "?limit=ten", "?sort_dir=up", "?marker=nope"]) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
  });

  it("events: marker = only newer, default asc for agent feeds, desc for the project feed", async () => {
    const feed = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?limit=2`, { token: agent.token });
    expect(feed.body.events).toHaveLength(2);
    const [first, second] = feed.body.events;
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
    expect(first.time).toMatch(/Z$/);
    const next = feed.body.links.find((l: { rel: string }) => l.rel === "next");
    expect(next.href).toContain(`marker=${second.id}`);
    const newer = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?marker=${second.id}&limit=1000`, { token: agent.token });
    expect(newer.body.events.every((e: { id: string }) => Number(e.id) > Number(second.id))).toBe(true);
    const project = await h.call("GET", `/v2/${h.a.id}/events?limit=3`, { token: h.a.tokens.observer });
    const pids = project.body.events.map((e: { id: string }) => Number(e.id));
    expect(pids).toEqual([...pids].sort((x: number, y: number) => y - x));
    expect((await h.call("GET", `/v2/${h.a.id}/events?marker=abc`, { token: h.a.tokens.observer })).status).toBe(400);
  });

  it("long-poll: waits, then wakes when an event for the agent arrives", async () => {
    const tail = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?limit=1000`, { token: agent.token });
    const marker = tail.body.events.at(-1).id as string;
    const started = Date.now();
    const pending = h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?marker=${marker}&wait=30`, { token: agent.token });
    await new Promise((r) => setTimeout(r, 150));
    expect(h.server.context.bus.waiting).toBe(1);
    const act = await h.call("POST", `/v2/${h.a.id}/events`, { token: h.a.tokens.observer, body: { event: "agent_activate", mode: "real_time" } });
    expect(act.status).toBe(202);
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(res.body.events.map((e: { event: string }) => e.event)).toEqual(["agent_activate"]);
    expect(res.body.events[0].mode).toBe("real_time");
    expect(h.server.context.bus.waiting).toBe(0);
    const conf = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/configuration`, { token: agent.token });
    expect(conf.body.system_preferences.events.mode).toBe("real_time");
  });

  it("long-poll: times out with an empty page and a next link that keeps the marker", async () => {
    const tail = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?limit=1000`, { token: agent.token });
    const marker = tail.body.events.at(-1).id as string;
    const started = Date.now();
    const res = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?marker=${marker}&wait=60`, { token: agent.token });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_900); // capped by longPollMaxMs = 2 s
    expect(took).toBeLessThan(5_000);
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([]);
    expect(res.body.links).toEqual([{ rel: "next", href: `http://cairn.test/v2/${h.a.id}/agents/${agent.id}/events?marker=${marker}` }]);
  });

  it("long-poll: another agent's events do not wake the waiter; shutdown releases it", async () => {
    const second = await registerAgent(h, h.a, { host: { flavor: "nova", region: null, machine: { id: "m9" }, os: { name: "x", version: "1", architecture: "x" }, fingerprint: "fp-9", addresses: [] } });
    const tail = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?limit=1000`, { token: agent.token });
    const marker = tail.body.events.at(-1).id as string;
    const pending = h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?marker=${marker}&wait=1`, { token: agent.token });
    await new Promise((r) => setTimeout(r, 100));
    await h.call("POST", `/v2/${h.a.id}/agents/${second.id}/events`, { token: second.token, headers: { "x-agent-id": second.id }, body: { event: "shutdown" } });
    const res = await pending;
    expect(res.body.events).toEqual([]);
  });

  it("progress events and heartbeats through POST /agents/{id}/events", async () => {
    const cfg = await createConfiguration(h, h.a, agent.id, { name: "progress" });
    const id = await startBackup(h, h.a, cfg);
    const post = (body: unknown, headers: Record<string, string> = { "x-agent-id": agent.id }) => h.call("POST", `/v2/${h.a.id}/agents/${agent.id}/events`, { token: agent.token, headers, body });
    expect((await post({ event: "backup_progress", backup: { id }, bytes_completed: 10, bytes_remaining: 90, total_bytes: 100 })).status).toBe(202);
    const events = await h.call("GET", `/v2/${h.a.id}/backups/${id}/events`, { token: h.a.tokens.observer });
    expect(events.body.events.at(-1)).toMatchObject({ event: "backup_progress", bytes_completed: 10, total_bytes: 100 });
    expect((await post({ event: "backup_progress", backup: { id: "nope" } })).status).toBe(404);
    expect((await post({ event: "backup_progress" })).status).toBe(400);
    expect((await post({ event: "heartbeat" }, {})).status).toBe(400);
    expect((await post({ event: "dance" })).status).toBe(400);
    const observerBeat = await h.call("POST", `/v2/${h.a.id}/agents/${agent.id}/events`, { token: h.a.tokens.observer, headers: { "x-agent-id": agent.id }, body: { event: "heartbeat" } });
    expect(observerBeat.status).toBe(403);
    expect((await post({ event: "startup" })).status).toBe(202);
    const feed = await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?sort_dir=desc&limit=5`, { token: agent.token });
    expect(feed.body.events.map((e: { event: string }) => e.event)).toContain("backup_start_request"); // re-delivered on startup
  });

  it("heartbeats: online while they keep coming, one agent_heartbeat when an agent comes back, offline after the timeout", async () => {
    const beat = () => h.call("POST", `/v2/${h.a.id}/agents/${agent.id}/events`, { token: agent.token, headers: { "x-agent-id": agent.id }, body: { event: "heartbeat" } });
    const status = async () => (await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/status`, { token: h.a.tokens.observer })).body.online as boolean;
    const comebacks = async () =>
      (await h.call("GET", `/v2/${h.a.id}/agents/${agent.id}/events?limit=1000`, { token: agent.token })).body.events.filter((e: { event: string }) => e.event === "agent_heartbeat").length as number;
    expect((await beat()).status).toBe(202);
    const before = await comebacks();
    for (let i = 0; i < 3; i += 1) {
      h.clock.advance(1_000);
      expect((await beat()).status).toBe(202);
      expect(await status()).toBe(true);
    }
    expect(await comebacks()).toBe(before); // still online: no event
    h.clock.advance(10 * 60_000); // past every mode's timeout
    expect(await status()).toBe(false);
    expect((await beat()).status).toBe(202);
    expect(await status()).toBe(true);
    expect(await comebacks()).toBe(before + 1);
    // A deleted agent's heartbeat is refused, whatever path it takes.
    const gone = await registerAgent(h, h.a, { host: { ...(agentBody().host as object), fingerprint: "fp-gone" } });
    const beatGone = () => h.call("POST", `/v2/${h.a.id}/agents/${gone.id}/events`, { token: gone.token, headers: { "x-agent-id": gone.id }, body: { event: "heartbeat" } });
    expect((await beatGone()).status).toBe(202);
    expect((await h.call("DELETE", `/v2/${h.a.id}/agents/${gone.id}`, { token: h.a.tokens.admin })).status).toBe(204);
    expect((await beatGone()).status).toBe(401);
  });
});
