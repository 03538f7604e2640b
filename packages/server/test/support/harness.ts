// A server per test file on a fresh database (SQLite temp file, or a PostgreSQL schema),
// a manual clock, cheap scrypt, and two projects with an admin/creator/observer each.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createServer, manualClock, type CairnServer, type ManualClock, type Role, type ServerOptions } from "../../src/index.js";
import type { Driver } from "./drivers.js";

export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

/** One test project with a token per role. */
export interface TestProject {
  id: string;
  tokens: Record<Role, string>;
  passwords: Record<Role, string>;
  usernames: Record<Role, string>;
}

/** A response from `call`. */
export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  body: any;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** What tests use. */
export interface Harness {
  server: CairnServer;
  clock: ManualClock;
  a: TestProject;
  b: TestProject;
  call(method: string, url: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; contentType?: string }): Promise<Reply>;
  newProject(): Promise<TestProject>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts a harness on `driver`. */
export async function startHarness(driver: Driver, extra: Partial<ServerOptions> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), "cairn-server-test-"));
  const clock = manualClock("2026-06-01T12:00:00Z");
  const schema = driver.name === "postgres" ? `t_${process.pid}_${++counter}_${randomBytes(4).toString("hex")}` : undefined;
  const server = await createServer({
    dataDir,
    clock,
    scryptCost: TEST_SCRYPT,
    startScheduler: false,
    publicUrl: "http://cairn.test",
    ...(driver.name === "postgres" ? { database: driver.url as string, databaseSchema: schema as string } : {}),
    ...extra,
  });
  const identity = server.context.stores.identity;

  const call: Harness["call"] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers["x-auth-token"] = options.token;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers["content-type"] = options.contentType ?? (method === "PATCH" ? "application/json-patch+json" : "application/json");
    const res = await server.app.inject({ method: method as "GET", url, headers, ...(payload === undefined ? {} : { payload }) });
    let body: unknown;
    try {
      body = res.body.length > 0 ? JSON.parse(res.body) : undefined;
    } catch {
      body = res.body;
    }
    return { status: res.statusCode, body, headers: res.headers as Reply["headers"], raw: res.body };
  };

  const newProject = async (): Promise<TestProject> => {
    const id = `p${++counter}${randomBytes(3).toString("hex")}`;
    await identity.createProject(id);
    const tokens = {} as Record<Role, string>;
    const passwords = {} as Record<Role, string>;
    const usernames = {} as Record<Role, string>;
    for (const role of ["admin", "creator", "observer"] as const) {
      const username = `${role}-${id}`;
      const password = `pw-${randomBytes(6).toString("hex")}`;
      const user = await identity.createUser(username, password);
      await identity.grant(user.id, id, role);
      tokens[role] = (await identity.issueToken({ userId: user.id, agentId: null, projectId: id }, 24 * 3_600_000)).token;
      passwords[role] = password;
      usernames[role] = username;
    }
    return { id, tokens, passwords, usernames };
  };

  const a = await newProject();
  const b = await newProject();
  return {
    server,
    clock,
    a,
    b,
    call,
    newProject,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (schema !== undefined) {
        const client = new pg.Client({ connectionString: driver.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}
