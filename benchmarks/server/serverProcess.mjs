// Starts a real `cairn-server` process (the built binary of @cairn/server) for a benchmark: a
// fresh data directory, SQLite or a fresh PostgreSQL database, a bootstrapped admin, logs to a
// file in the data directory (so the load generator does not spend CPU reading them), and
// CPU accounting of the server process from /proc.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const serverPackage = join(here, "..", "..", "packages", "server");
const BIN = join(serverPackage, "dist", "bin", "cairn-server.js");
const require = createRequire(join(serverPackage, "package.json"));

async function createPostgresDatabase(adminUrl) {
  const pg = require("pg");
  const name = `cairn_bench_${randomBytes(5).toString("hex")}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    /** PIDs of the PostgreSQL backends serving this database (the server's pool). */
    async backendPids() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        const { rows } = await c.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [name]);
        return rows.map((r) => Number(r.pid));
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** CPU seconds (user + system) the process `pid` has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return NaN;
  }
}

/** A free loopback port (bound and released; the server binds it right after). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Busy and total CPU seconds of the whole machine so far (all cores), from /proc/stat. */
export function machineCpuSeconds() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / 100, total: total / 100 };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * Starts the server. `database`: "sqlite" or "postgres" (needs `postgresUrl`).
 * @returns {{url, pid, projectId, username, password, logFile, stop(): Promise<number|null>}}
 */
export async function startServerProcess({ database, postgresUrl, logLevel = "info", nodeArgs = [], poolSize }) {
  try {
    readFileSync(BIN);
  } catch {
    throw new Error(`${BIN} is missing: build it first (npx pnpm@10.34.9 --filter @cairn/server build)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "cairn-bench-"));
  const pgDb = database === "postgres" ? await createPostgresDatabase(postgresUrl) : undefined;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const projectId = "900001";
  const logFile = join(dataDir, "server.log");
  const fd = openSync(logFile, "a");
  const port = await freePort();
  const args = [...nodeArgs, BIN, "--port", String(port), "--data-dir", dataDir, ...(pgDb ? ["--database", pgDb.url] : []), ...(pgDb && poolSize ? ["--database-pool", String(poolSize)] : [])];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, CAIRN_ADMIN_USER: "bench", CAIRN_ADMIN_PASSWORD: password, CAIRN_PROJECT_ID: projectId, CAIRN_LOG_LEVEL: logLevel },
    stdio: ["ignore", fd, fd],
    cwd: dataDir,
  });
  closeSync(fd);
  // The server never outlives the benchmark, even when the benchmark crashes.
  const reap = () => child.exitCode === null && child.kill("SIGKILL");
  process.once("exit", reap);
  const url = `http://127.0.0.1:${port}`;
  // Ready when GET / answers (the listen log line is not written below log level info).
  for (const started = Date.now(); ; ) {
    const up = await fetch(`${url}/`, { headers: { connection: "close" } }).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() - started > 30_000) {
      reap();
      await pgDb?.drop();
      throw new Error(`cairn-server did not start:\n${readFileSync(logFile, "utf8")}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid,
    /** CPU seconds used so far by the PostgreSQL backends of this server (0 on SQLite), per pid. */
    async databaseCpu() {
      if (pgDb === undefined) return new Map();
      return new Map((await pgDb.backendPids()).map((pid) => [pid, processCpuSeconds(pid)]));
    },
    projectId,
    username: "bench",
    password,
    logFile,
    dataDir,
    async stop() {
      const code = await new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (c) => resolve(c));
        child.kill("SIGTERM");
      });
      process.removeListener("exit", reap);
      await pgDb?.drop();
      return code;
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
