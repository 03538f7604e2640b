// A database that is momentarily unavailable is a 503 with Retry-After (spec §1.2), which v2
// clients retry — not a 500. Real SQLite: a second connection holds the write lock past the
// server's busy timeout.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, migrate, type CairnServer } from "../src/index.js";
import { openSqlite } from "../src/db/sqlite.js";

describe("database unavailable", () => {
  let dir: string;
  let server: CairnServer;
  let token: string;
  let projectId: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cairn-busy-"));
    const db = openSqlite({ filename: join(dir, "cairn.sqlite"), busyTimeoutMs: 50 });
    await migrate(db);
    server = await createServer({ dataDir: dir, database: db, startScheduler: false, scryptCost: { N: 1024, r: 8, p: 1 } });
    const identity = server.context.stores.identity;
    projectId = await identity.createProject("busy-1");
    const user = await identity.createUser("u", "pw");
    await identity.grant(user.id, projectId, "admin");
    token = (await identity.issueToken({ userId: user.id, agentId: null, projectId }, 60_000)).token;
  });
  afterAll(async () => {
    await server?.close();
    await server?.context.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 + Retry-After while another process holds the lock, and recovers", async () => {
    const other = new BetterSqlite3(join(dir, "cairn.sqlite"));
    other.exec("BEGIN EXCLUSIVE");
    try {
      const res = await server.app.inject({ method: "POST", url: `/v2/${projectId}/events`, headers: { "x-auth-token": token }, payload: { event: "agent_activate", mode: "active" } });
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBe("1");
      expect(res.json()).toEqual({ message: "The service is temporarily unavailable; retry shortly." });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    const again = await server.app.inject({ method: "POST", url: `/v2/${projectId}/events`, headers: { "x-auth-token": token }, payload: { event: "agent_activate", mode: "active" } });
    expect(again.statusCode).toBe(202);
  });
});
