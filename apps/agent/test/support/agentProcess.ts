// A cairn-agent in a child process with its own data directory and a clock the test can move
// (the --clock-offset-file the agent re-reads on every tick).
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const AGENT_BIN = fileURLToPath(new URL("../../dist/bin/cairn-agent.js", import.meta.url));

export interface AgentProcess {
  agentId: string;
  dataDir: string;
  child: ChildProcess;
  /** Moves the agent's clock to wall time + `ms`. */
  setClockOffset(ms: number): void;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait (no shutdown handling at all). */
  kill(): Promise<void>;
  stderr(): string;
}

export async function startAgentProcess(options: { serverUrl: string; dataDir: string; name: string; user?: { username: string; password: string } }): Promise<AgentProcess> {
  const clockFile = join(options.dataDir, "..", `${options.name}.clock`);
  const child = spawn(process.execPath, [AGENT_BIN, "--server", options.serverUrl, "--data-dir", options.dataDir, "--name", options.name, "--fast-kdf", "--workers", "1", "--clock-offset-file", clockFile], {
    env: { ...process.env, ...(options.user ? { CAIRN_USER: options.user.username, CAIRN_PASSWORD: options.user.password } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-200_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const agentId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent ${options.name} did not start; stderr: ${stderr.slice(-4000)}`)), 60_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const m = JSON.parse(line) as { msg?: string; agentId?: string };
        if (m.msg === "cairn-agent running" && typeof m.agentId === "string") {
          clearTimeout(timer);
          resolve(m.agentId);
        }
      } catch {
        // ignore
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`agent ${options.name} exited with ${code}; stderr: ${stderr.slice(-4000)}`));
    });
  });
  return {
    agentId,
    dataDir: options.dataDir,
    child,
    setClockOffset: (ms) => writeFileSync(clockFile, String(Math.round(ms))),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    stderr: () => stderr,
  };
}
