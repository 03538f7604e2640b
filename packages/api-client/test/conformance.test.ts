// Conformance: every operation of the API (the server's own OpenAPI document) exercised through
// @cairn/api-client against a real `cairn-server` process — on SQLite, and on PostgreSQL when
// CAIRN_TEST_POSTGRES_URL is set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createClient, jobReport, replace, waitForResult, type CairnClient, type FeedEvent, type RegisterAgentInput } from "../src/index.js";
import { compileTemplates, recordingFetch } from "./support/recorder.js";
import { databases, startRealServer, type RealServer } from "./support/realServer.js";

const HEX = "ab".repeat(64);

const agentInput = (n: number): RegisterAgentInput => ({
  name: `host-${n}`,
  version: "1.0.0",
  host: { flavor: "nova", region: null, machine: { id: `machine-${n}` }, os: { name: "Debian", version: "12", architecture: "64-bit" }, fingerprint: `fp-${n}`, addresses: [{ version: 4, addr: `10.0.0.${n}` }] },
  rsa_public_key: { modulus: "C0FFEE".repeat(32), exponent: 10001 },
});

for (const database of databases()) {
  describe(`conformance through the client [${database}]`, () => {
    let server: RealServer;
    let client: CairnClient;
    let templates: ReturnType<typeof compileTemplates>;
    const seen = new Set<string>();
    let documented: string[] = [];

    beforeAll(async () => {
      server = await startRealServer(database);
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
      // Vault data (`…/vault/objects`, tag vault-data) is a byte-level object protocol outside
      // the v2 API; its client is @cairn/storage's HttpStorage, whose conformance suite runs
      // against a real cairn-server. Every other documented operation must be exercised here.
      documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => !(op.tags ?? []).includes("vault-data"))
          .map(([m]) => `${m.toUpperCase()} ${p}`),
      );
      templates = compileTemplates(Object.keys(doc.paths));
      seen.add("GET /openapi.json");
      client = createClient({ endpoint: server.url, credentials: { username: server.username, password: server.password }, fetch: recordingFetch(templates, seen) });
    });
    afterAll(async () => {
      expect(await server?.stop()).toBe(0);
    });

    const agentClient = (projectId: string, id: string, password: string, n: number): CairnClient =>
      createClient({ endpoint: server.url, credentials: { agent: { projectId, id, password, fingerprint: `fp-${n}` } }, fetch: recordingFetch(templates, seen) });

    it("walks every operation", async () => {
      // Meta, health, identity.
      expect((await client.versions()).versions[0]?.id).toBe("v2");
      expect((await client.version()).version.status).toBe("CURRENT");
      await client.health.ping();
      expect(await client.health.get()).toHaveProperty("storage");
      expect((await client.health.system("database")).online).toBe(true);
      const projectId = await client.projectId();
      expect(projectId).toBe(server.projectId);

      // Agents.
      const registered = await client.agents.register(agentInput(1));
      const other = await client.agents.register(agentInput(2));
      const agent = agentClient(projectId, registered.id, registered.password!, 1);
      expect((await client.agents.list()).map((a) => a.id)).toEqual([registered.id, other.id]);
      expect((await client.agents.list({ host_machine_id: "machine-2" })).map((a) => a.id)).toEqual([other.id]);
      expect((await agent.agents.get(registered.id)).name).toBe("host-1");
      await client.agents.update(registered.id, [replace("/log_level", "debug")]);
      await agent.agents.signal(registered.id, { event: "startup" });
      await agent.agents.signal(registered.id, { event: "heartbeat" });
      expect(await client.agents.status(registered.id)).toEqual({ busy: false, online: true });

      // Configurations.
      const cfg = await client.configurations.create({
        agent_id: registered.id,
        name: "nightly",
        enabled: true,
        schedule: { recurrence: ["RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=30"], time_zone: "Europe/London" },
        retention: { days: 30 },
        inclusions: [{ type: "folder", path: "/srv/" }],
        exclusions: [{ type: "folder", path: "/srv/tmp/" }],
        notifications: [{ type: "email", destination: "ops@example.com", on_success: false, on_failure: true }],
      });
      expect(cfg.backups.next?.scheduled_time).toMatch(/T0[12]:30:00/);
      await client.configurations.update(cfg.id, [replace("/name", "nightly-2")]);
      expect((await client.configurations.get(cfg.id)).name).toBe("nightly-2");
      expect((await client.configurations.list()).map((c) => c.id)).toContain(cfg.id);
      expect((await client.agents.configurations(registered.id))[0]?.id).toBe(cfg.id);
      const agentDoc = await agent.agents.configuration(registered.id);
      expect(agentDoc.configurations[0]?.times).toHaveLength(5);

      // A backup, driven by the agent through its feed (long-poll).
      const controller = new AbortController();
      const feed = agent.agents.tailEvents(registered.id, { wait: 5, signal: controller.signal });
      const backup = await client.backups.start(cfg.id);
      let start: FeedEvent | undefined;
      for await (const e of feed) {
        if (e.event === "backup_start_request") {
          start = e;
          break;
        }
      }
      controller.abort();
      expect((start?.backup as { id: string }).id).toBe(backup.id);
      await agent.backups.update(backup.id, [replace("/state", "in_progress")]);
      await agent.agents.signal(registered.id, { event: "backup_progress", backup: { id: backup.id }, bytes_completed: 5, total_bytes: 10 });
      await agent.backups.update(backup.id, jobReport("completed", { snapshot_id: 7, files_backed_up: 3, errors: { count: 0, reason: "", diagnostics: "", list: [] } }));
      expect((await client.backups.get(backup.id)).restorable).toBe(true);
      expect((await client.backups.restorable(cfg.id)).items.map((b) => b.id)).toEqual([backup.id]);
      expect((await client.backups.errors(backup.id)).count).toBe(0);
      expect((await client.backups.events(backup.id)).items.map((e) => e.event)).toContain("backup_progress");
      expect((await client.configurations.events(cfg.id)).items.length).toBeGreaterThan(0);
      expect((await client.configurations.activities(cfg.id)).items[0]?.id).toBe(backup.id);

      // A second backup, stopped.
      const second = await client.backups.start(cfg.id);
      await client.backups.stop(second.id);
      await agent.backups.update(second.id, [replace("/state", "stopped")]);
      await expect(client.backups.stop(second.id)).rejects.toMatchObject({ status: 409 });

      // Browsing the host and the backup (the agent answers through its signal route).
      const hostBrowse = await client.agentRequests.browse(registered.id, { path: "/srv" });
      await agent.agents.signal(registered.id, { event: "host_browsed", request_id: hostBrowse.id, succeeded: true, path: "/srv", items: [{ name: "a.txt", bytes: 3, mime_type: "text/plain" }] });
      expect((await waitForResult(() => client.agentRequests.browseResult(registered.id, hostBrowse.id))).items[0]?.name).toBe("a.txt");
      const backupBrowse = await client.backups.browse(backup.id, { agent_id: registered.id, path: "/srv" });
      await expect(client.backups.browseResult(backup.id, backupBrowse.id)).rejects.toMatchObject({ status: 404 });
      await agent.agents.signal(registered.id, { event: "backup_browsed", request_id: backupBrowse.id, succeeded: true, path: "/srv", items: [] });
      expect((await client.backups.browseResult(backup.id, backupBrowse.id)).succeeded).toBe(true);

      // Restores (cross-agent) and cleanups.
      const restore = await client.restores.start({ backup_id: backup.id, destination_agent_id: other.id, destination_path: "/restore" });
      const otherAgent = agentClient(projectId, other.id, other.password!, 2);
      await otherAgent.restores.update(restore.id, jobReport("completed", { files_restored: 3 }));
      expect((await client.restores.get(restore.id)).files_restored).toBe(3);
      expect((await client.restores.list()).items[0]?.id).toBe(restore.id);
      expect((await client.restores.errors(restore.id)).count).toBe(0);
      expect((await client.restores.events(restore.id)).items[0]?.event).toBe("restore_start_request");
      const cleanup = await client.cleanups.start(registered.id);
      await agent.cleanups.update(cleanup.id, jobReport("completed", { snapshot_ids: [1], bytes_before: 10, bytes_after: 5 }));
      expect((await client.cleanups.get(cleanup.id)).bytes_after).toBe(5);
      expect((await client.cleanups.list()).items).toHaveLength(1);
      expect((await client.cleanups.errors(cleanup.id)).diagnostics).toBeNull();
      expect((await client.cleanups.events(cleanup.id)).items.length).toBeGreaterThan(0);
      expect((await client.backups.list()).items).toHaveLength(2);

      // Activities, events.
      const kinds = new Set<string>();
      for await (const a of client.activities.iterate({ limit: 1 })) kinds.add(a.type);
      expect(kinds).toEqual(new Set(["backup", "restore", "cleanup"]));
      expect((await client.agents.activities(other.id)).items.map((a) => a.type)).toEqual(["restore"]);
      await client.events.activate("active");
      expect((await client.events.list({ limit: 1 })).items[0]?.event).toBe("agent_activate");
      expect((await client.agents.events(registered.id, { limit: 5 })).items.length).toBe(5);

      // Vault encryption and password verification.
      const enc = await client.agentRequests.requestEncryption(registered.id, { old_encrypted_password_hex: null, new_encrypted_password_hex: HEX });
      await agent.agentRequests.reportEncryption(registered.id, enc.id, { action: "enabled", succeeded: true });
      expect((await client.agentRequests.encryptionResult(registered.id, enc.id)).succeeded).toBe(true);
      const verify = await client.agentRequests.requestPasswordVerification(registered.id, { encrypted_password_hex: HEX });
      await agent.agentRequests.reportPasswordVerification(registered.id, verify.id, { verified: true });
      expect((await client.agentRequests.passwordVerificationResult(registered.id, verify.id)).valid).toBe(true);

      // Log files.
      const log = await client.agentRequests.requestLogfile(registered.id);
      await agent.agentRequests.updateLogfile(registered.id, log.id, [replace("/state", "completed")]);
      expect((await client.agentRequests.logfile(registered.id, log.id)).state).toBe("completed");
      expect(await client.agentRequests.logfiles(registered.id)).toHaveLength(1);
      await client.agentRequests.deleteLogfile(registered.id, log.id);

      // Users (Cairn extension): create, log in with the role, update, API key, remove.
      const member = await client.users.create({ username: `member-${database}`, role: "observer" });
      expect(member.password).toMatch(/^[0-9a-f]{24}$/);
      expect((await client.users.list()).map((u) => u.username)).toContain(`member-${database}`);
      await client.users.update(member.id, [replace("/role", "creator")]);
      expect((await client.users.get(member.id)).role).toBe("creator");
      const key = await client.users.createApiKey(member.id);
      const asMember = createClient({ endpoint: server.url, credentials: { username: `member-${database}`, apiKey: key.api_key } });
      expect((await asMember.agents.list()).length).toBeGreaterThan(0);
      await client.users.delete(member.id);
      await expect(asMember.agents.list()).rejects.toMatchObject({ status: 401 });

      // Settings.
      await client.settings.updateSummaries({ daily: true, notifications: [{ type: "email", destination: "ops@example.com" }] });
      expect((await client.settings.summaries()).daily).toBe(true);

      // Vault move (a third, empty agent takes the second's vault), deletes.
      const third = await client.agents.register(agentInput(3));
      await client.agentRequests.moveVault(third.id, other.id);
      expect((await client.agents.get(other.id)).vault).toBeNull();
      await client.configurations.delete(cfg.id);
      expect((await client.configurations.get(cfg.id)).deleted).toBe(true);
      await agent.agents.signal(registered.id, { event: "shutdown" });
      await client.agents.delete(third.id);
      await expect(client.agents.get(third.id)).rejects.toMatchObject({ status: 404, serverMessage: "Agent not found." });
    });

    it("exercised every documented operation", () => {
      const missing = documented.filter((op) => !seen.has(op));
      expect(missing).toEqual([]);
      expect(documented.length).toBeGreaterThanOrEqual(64);
    });

    it("API errors carry status, message and details", async () => {
      const error = await client.configurations.create({ agent_id: "nope", name: "", enabled: true, schedule: null, retention: { days: 1 }, inclusions: [], exclusions: [], notifications: [] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).errors.join(" ")).toContain("name");
    });

    it("authenticates with an API key and re-authenticates after a 401", async () => {
      let calls = 0;
      let spoil = true;
      const spoiling: typeof fetch = async (input, init) => {
        calls += 1;
        const headers = new Headers(init?.headers);
        if (spoil && headers.has("x-auth-token")) {
          spoil = false;
          headers.set("x-auth-token", "0".repeat(64));
        }
        return fetch(input, { ...init, headers });
      };
      const keyed = createClient({ endpoint: server.url, credentials: { username: server.username, apiKey: server.apiKey }, fetch: spoiling });
      expect(await keyed.agents.list()).toBeInstanceOf(Array);
      expect(calls).toBe(4); // token, spoiled call (401), token again, call
      const bad = createClient({ endpoint: server.url, credentials: { username: server.username, password: "wrong" } });
      await expect(bad.agents.list()).rejects.toMatchObject({ status: 401 });
    });
  });
}
