import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "./support/drivers.js";
import { startHarness, type Harness } from "./support/harness.js";

/** The 61 operations of spec §3.1 plus the version root (relative to /v2/{project_id}). */
const SPEC_OPERATIONS = `
GET /health; GET /health/{dependent_system}; GET /ping; GET /activities; POST /agents; GET /agents;
GET /agents/{agent_id}; PATCH /agents/{agent_id}; DELETE /agents/{agent_id}; GET /agents/{agent_id}/activities;
POST /agents/{agent_id}/browse-requests; GET /agents/{agent_id}/browse-requests/{request_id};
GET /agents/{agent_id}/configuration; GET /agents/{agent_id}/configurations; POST /agents/{agent_id}/events;
GET /agents/{agent_id}/events; POST /agents/{agent_id}/logfiles; GET /agents/{agent_id}/logfiles;
GET /agents/{agent_id}/logfiles/{logfile_id}; PATCH /agents/{agent_id}/logfiles/{logfile_id};
DELETE /agents/{agent_id}/logfiles/{logfile_id}; GET /agents/{agent_id}/status; POST /agents/{agent_id}/vault;
POST /agents/{agent_id}/vault-encryption-requests; POST /agents/{agent_id}/vault-encryption-requests/{request_id};
GET /agents/{agent_id}/vault-encryption-requests/{request_id}; POST /agents/{agent_id}/vault-password-verification-requests;
POST /agents/{agent_id}/vault-password-verification-requests/{request_id};
GET /agents/{agent_id}/vault-password-verification-requests/{request_id}; POST /agents/tokens;
POST /backups; GET /backups; GET /backups/{backup_id}; PATCH /backups/{backup_id}; POST /backups/{backup_id}/browse-requests;
GET /backups/{backup_id}/browse-requests/{request_id}; GET /backups/{backup_id}/errors; GET /backups/{backup_id}/events;
POST /cleanups; GET /cleanups; GET /cleanups/{cleanup_id}; PATCH /cleanups/{cleanup_id}; GET /cleanups/{cleanup_id}/errors;
GET /cleanups/{cleanup_id}/events; POST /configurations; GET /configurations; GET /configurations/{configuration_id};
PATCH /configurations/{configuration_id}; DELETE /configurations/{configuration_id};
GET /configurations/{configuration_id}/activities; GET /configurations/{configuration_id}/events; POST /events; GET /events;
POST /restores; GET /restores; GET /restores/{restore_id}; PATCH /restores/{restore_id}; GET /restores/{restore_id}/errors;
GET /restores/{restore_id}/events; GET /settings/summaries; PUT /settings/summaries`
  .split(";")
  .map((s) => s.trim())
  .filter(Boolean);

describe("OpenAPI document", () => {
  let h: Harness;
  let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
  beforeAll(async () => {
    h = await startHarness(drivers()[0]!);
    doc = h.server.openapi() as typeof doc;
  });
  afterAll(async () => h?.close());

  const documented = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  const registered = () => h.server.routes.map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_]+)/g, "{$1}")}`);

  it("is OpenAPI 3.1 and documents exactly the registered routes", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(new Set(documented())).toEqual(new Set(registered()));
    expect(documented()).toHaveLength(registered().length);
    const ids = documented().map((k) => {
      const [m, p] = k.split(" ");
      return doc.paths[p!]![m!.toLowerCase()]!.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("covers the spec's 61 operations, the version root and identity", () => {
    expect(SPEC_OPERATIONS).toHaveLength(61);
    const all = new Set(registered());
    for (const op of SPEC_OPERATIONS) {
      const [method, path] = op.split(" ");
      expect(all.has(`${method} /v2/{project_id}${path}`), op).toBe(true);
    }
    expect(all.has("GET /")).toBe(true);
    expect(all.has("POST /v2.0/tokens")).toBe(true);
  });

  it("is served at GET /openapi.json and committed as packages/server/openapi.json", async () => {
    const served = await h.call("GET", "/openapi.json");
    expect(served.status).toBe(200);
    expect(served.body).toEqual(doc);
    const committed = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"));
    expect(committed, "openapi.json is stale: run `pnpm --filter @cairn/server build && pnpm --filter @cairn/server openapi`").toEqual(doc);
  });

  it("references only defined component schemas", () => {
    const text = JSON.stringify(doc);
    const schemas = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
    for (const m of text.matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)) expect(schemas[m[1]!], m[1]).toBeDefined();
  });
});
