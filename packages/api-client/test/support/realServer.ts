// Starts the real `cairn-server` (from @cairn/server's build) as a child process on a free
// loopback port, on SQLite (temp dir) or on PostgreSQL (a fresh database per server when
// CAIRN_TEST_POSTGRES_URL is set). Tests talk to it over HTTP only.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

const require = createRequire(import.meta.url);
const BIN = join(dirname(require.resolve("@cairn/server/package.json")), "dist", "bin", "cairn-server.js");

/** A running server. */
export interface RealServer {
  url: string;
  projectId: string;
  username: string;
  password: string;
  apiKey: string;
  stop(): Promise<number | null>;
}

/** Which databases to run against. */
export function databases(): ("sqlite" | "postgres")[] {
  return process.env.CAIRN_TEST_POSTGRES_URL ? ["sqlite", "postgres"] : ["sqlite"];
}

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.CAIRN_TEST_POSTGRES_URL as string;
  const name = `cairn_client_${randomBytes(5).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Starts a server with a bootstrapped admin. */
export async function startRealServer(database: "sqlite" | "postgres" = "sqlite"): Promise<RealServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "cairn-client-"));
  const pgDb = database === "postgres" ? await createDatabase() : undefined;
  const projectId = `${100000 + Math.floor(Math.random() * 800000)}`;
  const password = `pw-${randomBytes(6).toString("hex")}`;
  const args = [BIN, "--port", "0", "--data-dir", dataDir, ...(pgDb ? ["--database", pgDb.url] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, CAIRN_ADMIN_USER: "admin", CAIRN_ADMIN_PASSWORD: password, CAIRN_PROJECT_ID: projectId, CAIRN_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (err += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cairn-server did not start:\n${out}\n${err}`)), 30_000);
    const check = (): void => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      const key = /API key:\s+([0-9a-f]{64})/.exec(err);
      if (m && key) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", (code) => reject(new Error(`cairn-server exited with ${code}:\n${out}\n${err}`)));
  }).catch(async (error: unknown) => {
    // Never leave a half-started server behind.
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    await pgDb?.drop();
    throw error;
  });
  // Started: stop collecting output (request logs), keep draining the pipes.
  child.stdout?.removeAllListeners("data");
  child.stderr?.removeAllListeners("data");
  child.stdout?.resume();
  child.stderr?.resume();
  child.removeAllListeners("exit");
  const apiKey = /API key:\s+([0-9a-f]{64})/.exec(err)![1]!;
  return {
    url,
    projectId,
    username: "admin",
    password,
    apiKey,
    async stop() {
      const code = await new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (c) => resolve(c));
        child.kill("SIGTERM");
      });
      rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
      return code;
    },
  };
}
