import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDrivers } from "./support/drivers.js";
import { completedBackup, createConfiguration, registerAgent, startBackup, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describeDrivers("backups, restores, cleanups", (driver) => {
  let h: Harness;
  let agent: TestAgent;
  let other: TestAgent;
  let cfg: string;
  beforeAll(async () => {
    h = await startHarness(driver);
    agent = await registerAgent(h, h.a);
    other = await registerAgent(h, h.a, { host: { flavor: "nova", region: null, machine: { id: "m2" }, os: { name: "Debian", version: "12", architecture: "64-bit" }, fingerprint: "fp-2", addresses: [] } });
    cfg = await createConfiguration(h, h.a, agent.id);
  });
  afterAll(async () => h?.close());

  const patch = (kind: string, id: string, ops: unknown[], token = agent.token) => h.call("PATCH", `/v2/${h.a.id}/${kind}s/${id}`, { token, body: ops });

  it("creates a backup: 201, Location, fresh counters, start request event to the agent", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.creator, body: { configuration_id: cfg, state: "start_requested" } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`http://cairn.test/v2/${h.a.id}/backups/${res.body.id}`);
    expect(res.body).toMatchObject({
      state: "start_requested",
      agent: { id: agent.id },
      configuration: { id: cfg },
      started_time: null,
      snapshot_id: null,
      files_searched: 0,
      bytes_in_db: 0,
      restorable: false,
      errors: { count: 0, reason: "", diagnostics: "" },
    });
    expect(res.body.errors.links[0].href).toBe(`http://cairn.test/v2/${h.a.id}/backups/${res.body.id}/errors`);
    const feed = await h.call("GET", `/v2/${h.a.id}/backups/${res.body.id}/events`, { token: h.a.tokens.observer });
    expect(feed.body.events[0]).toMatchObject({ event: "backup_start_request", agent: { id: agent.id }, backup: { id: res.body.id } });
    expect(feed.body.events[0].request_id).toBeDefined();
    // A second manual run while one is active is a conflict.
    const again = await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.creator, body: { configuration_id: cfg, state: "start_requested" } });
    expect(again.status).toBe(409);
    // A scheduled run meanwhile is recorded as skipped.
    const scheduled = await h.call("POST", `/v2/${h.a.id}/backups`, { token: agent.token, headers: { "x-agent-id": agent.id }, body: { configuration_id: cfg, state: "start_scheduled" } });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.state).toBe("skipped");
    await patch("backup", res.body.id, [{ op: "replace", path: "/state", value: "failed" }]);
  });

  it("runs the backup state machine and the final report; 409 once terminal", async () => {
    const id = await startBackup(h, h.a, cfg);
    for (const state of ["queued", "preparing", "in_progress"]) expect((await patch("backup", id, [{ op: "replace", path: "/state", value: state }])).status).toBe(204);
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "queued" }])).status).toBe(409);
    const report = await patch("backup", id, [
      { op: "replace", path: "/state", value: "completed_with_errors" },
      { op: "add", path: "/started_time", value: "2026-06-01T12:00:01.238641Z" },
      { op: "add", path: "/ended_time", value: "2026-06-01T12:03:50.489715Z" },
      { op: "add", path: "/snapshot_id", value: 1111 },
      {
        op: "add",
        path: "/errors",
        value: { count: 1, reason: "unable_to_process_some_files", diagnostics: "see log", list: [{ index: 0, path: "C:\\tmp\\a.log", type: "file_or_folder_missing", exception: { code: 3015, description: "gone", details: "" } }] },
      },
      { op: "add", path: "/files_searched", value: 1222 },
      { op: "add", path: "/bytes_backed_up", value: 127000000 },
    ]);
    expect(report.status).toBe(204);
    const got = await h.call("GET", `/v2/${h.a.id}/backups/${id}`, { token: h.a.tokens.observer });
    expect(got.body).toMatchObject({ state: "completed_with_errors", snapshot_id: 1111, files_searched: 1222, bytes_backed_up: 127000000, restorable: true, errors: { count: 1, reason: "unable_to_process_some_files" } });
    const errors = await h.call("GET", `/v2/${h.a.id}/backups/${id}/errors`, { token: h.a.tokens.observer });
    expect(errors.body.list[0]).toMatchObject({ index: 0, type: "file_or_folder_missing", description: "The file or folder could not be found.", exception: { code: 3015 } });
    expect(errors.body.links[0].rel).toBe("self");
    const late = await patch("backup", id, [{ op: "replace", path: "/state", value: "stop_requested" }], h.a.tokens.creator);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/terminal/);
    expect((await patch("backup", id, [{ op: "add", path: "/files_searched", value: 1 }])).status).toBe(409);
    const events = await h.call("GET", `/v2/${h.a.id}/backups/${id}/events`, { token: h.a.tokens.observer });
    expect(events.body.events.map((e: { event: string }) => e.event)).toEqual(["backup_start_request", "backup_queued", "backup_preparing", "backup_in_progress", "backup_completed_with_errors"]);
    const restorable = await h.call("GET", `/v2/${h.a.id}/backups?restorable=true&configuration_id=${cfg}`, { token: h.a.tokens.observer });
    expect(restorable.body.backups.map((b: { id: string }) => b.id)).toEqual([id]);
  });

  it("stop: user requests, agent ends with stopped; invalid patches are 400", async () => {
    const id = await startBackup(h, h.a, cfg);
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "stop_requested" }], h.a.tokens.creator)).status).toBe(204);
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "in_progress" }])).status).toBe(409);
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "done" }])).status).toBe(400);
    expect((await patch("backup", id, [{ op: "replace", path: "/restorable", value: true }])).status).toBe(400);
    expect((await patch("backup", id, [{ op: "add", path: "/snapshot_id", value: -4 }])).status).toBe(400);
    expect((await patch("backup", id, [{ op: "add", path: "/started_time", value: "yesterday" }])).status).toBe(400);
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "stopped" }])).status).toBe(204);
    const feed = await h.call("GET", `/v2/${h.a.id}/backups/${id}/events`, { token: h.a.tokens.observer });
    expect(feed.body.events.map((e: { event: string }) => e.event)).toContain("backup_stop_request");
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "stopped" }], h.a.tokens.observer)).status).toBe(403);
    expect((await patch("backup", id, [{ op: "replace", path: "/state", value: "stopped" }], other.token)).status).toBe(403);
  });

  it("backup creation rules: 404 unknown configuration, 403 disabled, 400 without X-Agent-Id for scheduled", async () => {
    expect((await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.creator, body: { configuration_id: "nope", state: "start_requested" } })).status).toBe(404);
    expect((await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.creator, body: { configuration_id: cfg, state: "queued" } })).status).toBe(400);
    expect((await h.call("POST", `/v2/${h.a.id}/backups`, { token: agent.token, body: { configuration_id: cfg, state: "start_scheduled" } })).status).toBe(400);
    expect((await h.call("POST", `/v2/${h.a.id}/backups`, { token: other.token, headers: { "x-agent-id": other.id }, body: { configuration_id: cfg, state: "start_scheduled" } })).status).toBe(403);
    const disabled = await createConfiguration(h, h.a, agent.id, { name: "off", enabled: false });
    const res = await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.creator, body: { configuration_id: disabled, state: "start_requested" } });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/disabled/);
    expect((await h.call("POST", `/v2/${h.a.id}/backups`, { token: h.a.tokens.observer, body: { configuration_id: cfg, state: "start_requested" } })).status).toBe(403);
  });

  it("restores: cross-agent, selective, 409 unrestorable, 400 bad rules; state machine", async () => {
    const backup = await completedBackup(h, h.a, agent, cfg);
    const body = { backup_id: backup, destination_agent_id: other.id, destination_path: "/tmp/restore", overwrite_files: false, encrypted_password_hex: null, inclusions: [{ type: "folder", path: "/web/" }], exclusions: [{ type: "file", path: "/web/cache.jpg" }] };
    const res = await h.call("POST", `/v2/${h.a.id}/restores`, { token: h.a.tokens.creator, body });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`http://cairn.test/v2/${h.a.id}/restores/${res.body.id}`);
    expect(res.body).toMatchObject({ state: "start_requested", backup: { id: backup }, destination_agent: { id: other.id }, destination_path: "/tmp/restore", files_restored: 0, inclusions: body.inclusions });
    expect(res.body.encrypted_password_hex).toBeUndefined();
    const feed = await h.call("GET", `/v2/${h.a.id}/agents/${other.id}/events`, { token: other.token });
    const start = feed.body.events.find((e: { event: string }) => e.event === "restore_start_request");
    expect(start).toMatchObject({ restore: { id: res.body.id }, source_agent: { id: agent.id, vault: { id: agent.vaultId, encrypted: false } }, backup: { id: backup, snapshot_id: 1 } });
    const id = res.body.id as string;
    expect((await patch("restore", id, [{ op: "replace", path: "/state", value: "in_progress" }], other.token)).status).toBe(204);
    expect((await patch("restore", id, [{ op: "replace", path: "/state", value: "skipped" }], other.token)).status).toBe(400);
    expect((await patch("restore", id, [{ op: "replace", path: "/state", value: "completed" }, { op: "add", path: "/files_restores", value: 3 }, { op: "add", path: "/bytes-restored", value: 99 }], other.token)).status).toBe(204);
    const got = await h.call("GET", `/v2/${h.a.id}/restores/${id}`, { token: h.a.tokens.observer });
    expect(got.body).toMatchObject({ state: "completed", files_restored: 3, bytes_restored: 99 });
    expect((await patch("restore", id, [{ op: "replace", path: "/state", value: "stop_requested" }], h.a.tokens.creator)).status).toBe(409);
    const list = await h.call("GET", `/v2/${h.a.id}/restores`, { token: h.a.tokens.observer });
    expect(list.body.restores[0].inclusions).toBeUndefined();
    const fresh = await startBackup(h, h.a, cfg);
    expect((await h.call("POST", `/v2/${h.a.id}/restores`, { token: h.a.tokens.creator, body: { ...body, backup_id: fresh } })).status).toBe(409);
    await patch("backup", fresh, [{ op: "replace", path: "/state", value: "failed" }]);
    expect((await h.call("POST", `/v2/${h.a.id}/restores`, { token: h.a.tokens.creator, body: { ...body, exclusions: [{ type: "file", path: "/other" }] } })).status).toBe(400);
    expect((await h.call("POST", `/v2/${h.a.id}/restores`, { token: h.a.tokens.creator, body: { ...body, destination_agent_id: "nope" } })).status).toBe(404);
    expect((await h.call("GET", `/v2/${h.a.id}/restores/${id}/errors`, { token: h.a.tokens.observer })).body.count).toBe(0);
  });

  it("cleanups: create, one at a time, state machine, error report without diagnostics", async () => {
    const res = await h.call("POST", `/v2/${h.a.id}/cleanups`, { token: h.a.tokens.creator, body: { agent_id: agent.id, state: "start_requested" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: "start_requested", snapshot_ids: [], bytes_before: 0, agent: { id: agent.id } });
    expect((await h.call("POST", `/v2/${h.a.id}/cleanups`, { token: h.a.tokens.creator, body: { agent_id: agent.id, state: "start_requested" } })).status).toBe(409);
    const id = res.body.id as string;
    expect((await patch("cleanup", id, [{ op: "replace", path: "/state", value: "preparing" }])).status).toBe(400);
    expect(
      (
        await patch("cleanup", id, [
          { op: "replace", path: "/state", value: "completed_with_errors" },
          { op: "add", path: "/snapshot_ids", value: [1, 2] },
          { op: "add", path: "/bytes_before", value: 10 },
          { op: "add", path: "/bytes_after", value: 5 },
          { op: "add", path: "/errors", value: { count: 1, reason: "error_deleting_object", diagnostics: "x", list: [{ path: "bundle/1", type: "error_deleting_object", exception: { code: 1, description: "", details: "" } }] } },
        ])
      ).status,
    ).toBe(204);
    const errors = await h.call("GET", `/v2/${h.a.id}/cleanups/${id}/errors`, { token: h.a.tokens.observer });
    expect(errors.body.diagnostics).toBeNull();
    expect(errors.body.list[0].exception).toBeNull();
    const got = await h.call("GET", `/v2/${h.a.id}/cleanups/${id}`, { token: h.a.tokens.observer });
    expect(got.body).toMatchObject({ snapshot_ids: [1, 2], bytes_after: 5, state: "completed_with_errors" });
    const events = await h.call("GET", `/v2/${h.a.id}/cleanups/${id}/events`, { token: h.a.tokens.observer });
    expect(events.body.events[0]).toMatchObject({ event: "cleanup_start_request", agent: { vault: { id: agent.vaultId } } });
    expect((await h.call("POST", `/v2/${h.a.id}/cleanups`, { token: agent.token, body: { agent_id: agent.id, state: "start_scheduled" } })).status).toBe(400);
    expect((await h.call("GET", `/v2/${h.a.id}/cleanups`, { token: h.a.tokens.observer })).body.cleanups).toHaveLength(1);
  });

  it("activities project all three kinds, with filters", async () => {
    const all = await h.call("GET", `/v2/${h.a.id}/activities`, { token: h.a.tokens.observer });
    expect(all.status).toBe(200);
    const types = new Set(all.body.activities.map((a: { type: string }) => a.type));
    expect(types).toEqual(new Set(["backup", "restore", "cleanup"]));
    const cleanup = all.body.activities.find((a: { type: string }) => a.type === "cleanup");
    expect(cleanup.configuration).toBeUndefined();
    expect(cleanup.links[0].rel).toBe("cleanup");
    const restores = await h.call("GET", `/v2/${h.a.id}/activities?type=restore`, { token: h.a.tokens.observer });
    expect(restores.body.activities.every((a: { type: string }) => a.type === "restore")).toBe(true);
    const failed = await h.call("GET", `/v2/${h.a.id}/activities?state=failed`, { token: h.a.tokens.observer });
    expect(failed.body.activities.every((a: { state: string }) => a.state === "failed")).toBe(true);
    const byAgent = await h.call("GET", `/v2/${h.a.id}/activities?agent_ids=${other.id}`, { token: h.a.tokens.observer });
    expect(byAgent.body.activities.map((a: { type: string }) => a.type)).toEqual(["restore"]);
    const agentActs = await h.call("GET", `/v2/${h.a.id}/agents/${other.id}/activities`, { token: h.a.tokens.observer });
    expect(agentActs.body.activities).toHaveLength(1);
    const cfgActs = await h.call("GET", `/v2/${h.a.id}/configurations/${cfg}/activities`, { token: h.a.tokens.observer });
    expect(cfgActs.body.activities.every((a: { configuration: { id: string } }) => a.configuration.id === cfg)).toBe(true);
    expect((await h.call("GET", `/v2/${h.a.id}/activities?type=upload`, { token: h.a.tokens.observer })).status).toBe(400);
    const cfgEvents = await h.call("GET", `/v2/${h.a.id}/configurations/${cfg}/events`, { token: h.a.tokens.observer });
    expect(cfgEvents.body.events.length).toBeGreaterThan(3);
    expect(Number(cfgEvents.body.events[0].id)).toBeGreaterThan(Number(cfgEvents.body.events[1].id));
  });
});
