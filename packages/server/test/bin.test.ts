// The real start command: a child process on a free port, first-start credentials, a request,
// graceful shutdown on SIGTERM. Needs the build (turbo runs `build` before `test`).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = new URL("../dist/bin/cairn-server.js", import.meta.url).pathname;

describe.skipIf(!existsSync(BIN))("cairn-server (built)", () => {
  it("starts, bootstraps from the environment, serves, and stops on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cairn-bin-"));
    const child = spawn(process.execPath, [BIN, "--port", "0", "--data-dir", dataDir], {
      env: { ...process.env, CAIRN_ADMIN_USER: "ops", CAIRN_ADMIN_PASSWORD: "correct horse", CAIRN_PROJECT_ID: "777777", CAIRN_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Whatever fails below, the child must not outlive the test.
    try {
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += String(d)));
      child.stderr.on("data", (d) => (err += String(d)));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listen line: ${out} ${err}`)), 20_000);
        child.stdout.on("data", () => {
          const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const auth = await fetch(`${url}/v2.0/tokens`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ auth: { passwordCredentials: { username: "ops", password: "correct horse" } } }) });
      expect(auth.status).toBe(200);
      const token = ((await auth.json()) as { access: { token: { id: string } } }).access.token.id;
      const agents = await fetch(`${url}/v2/777777/agents`, { headers: { "x-auth-token": token } });
      expect(((await agents.json()) as { agents: unknown[] }).agents).toEqual([]);
      expect(err).toContain("API key:");
      expect(err).not.toContain("correct horse");
      const code = await new Promise<number | null>((resolve) => {
        child.once("exit", (c) => resolve(c));
        child.kill("SIGTERM");
      });
      expect(code).toBe(0);
      expect(out).toContain('"msg":"stopped"');
      expect(out).not.toContain(token);
      expect(out).not.toContain("correct horse");
      for (const line of out.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses bad arguments", async () => {
    const child = spawn(process.execPath, [BIN, "--port", "http", "--data-dir", "/tmp/x"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(err).toContain("port");
  });
});
