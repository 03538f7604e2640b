// A real `cairn-server` in a child process on a loopback port, on a fresh data directory
// (SQLite), with a known admin. Tests talk to it over HTTP exactly as agents and users do.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);

/** Path of the built server command. */
export const SERVER_BIN = join(dirname(require.resolve("@cairn/server/package.json")), "dist", "bin", "cairn-server.js");

export interface ServerProcess {
  url: string;
  dataDir: string;
  projectId: string;
  admin: { username: string; password: string };
  child: ChildProcess;
  /** Stops the server (SIGTERM) and, unless `keepData`, removes its data directory. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts a server; resolves once it listens. */
export async function startServerProcess(options: { dataDir?: string; port?: number; env?: Record<string, string> } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "cairn-agent-test-server-")));
  const admin = { username: "admin", password: "correct horse battery staple" };
  const projectId = "100100";
  const child = spawn(process.execPath, [SERVER_BIN, "--port", String(options.port ?? 0), "--data-dir", dataDir], {
    env: { ...process.env, CAIRN_ADMIN_USER: admin.username, CAIRN_ADMIN_PASSWORD: admin.password, CAIRN_PROJECT_ID: projectId, CAIRN_LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s; stderr: ${stderr}`)), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "cairn server listening" && typeof entry.url === "string") {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    projectId,
    admin,
    child,
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (stopOptions.keepData !== true && options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
