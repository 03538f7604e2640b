// cairn server: starts @cairn/server on SQLite in a data directory, answers HTTP, serves an
// agent's vault that the other commands use as a repository (https://…/vault + CAIRN_TOKEN),
// and stops gracefully on SIGTERM.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { createClient } from "@cairn/api-client";
import { cairn, cairnJson, CAIRN, FAST_KDF, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("cairn server", () => {
  it("requires --port and --data-dir", async () => {
    const child = spawn(process.execPath, [CAIRN, "server", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
  });

  it("serves the API and agent vaults (a repository location for every command), and stops on SIGTERM", async () => {
    const dataDir = join(dir.path, "data");
    const child = spawn(process.execPath, [CAIRN, "server", "--port", "0", "--data-dir", dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH, CAIRN_ADMIN_USER: "admin", CAIRN_ADMIN_PASSWORD: "admin-password-for-tests", CAIRN_LOG_LEVEL: "warn" },
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" line; stderr:\n${stderr}`)), 60_000);
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on("close", () => reject(new Error(`server exited early:\n${stderr}`)));
    });
    const response = await fetch(url);
    expect(response.status).toBeLessThan(500);
    expect(existsSync(dataDir)).toBe(true);

    // An agent's vault on this server is a repository location for every command.
    const admin = createClient({ endpoint: url, credentials: { username: "admin", password: "admin-password-for-tests" } });
    const fingerprint = `fp-cli-${Math.random().toString(16).slice(2)}`;
    const agent = await admin.agents.register({
      name: "cli-test",
      version: "0.0.0-test",
      host: { flavor: "nova", region: null, machine: { id: "cli-test" }, os: { name: "Linux", version: "6", architecture: "64-bit" }, fingerprint, addresses: [] },
      rsa_public_key: { modulus: "C0FFEE".repeat(40), exponent: "10001" },
    });
    const projectId = await admin.projectId();
    const asAgent = createClient({ endpoint: url, credentials: { agent: { projectId, id: agent.id, password: agent.password as string, fingerprint } } });
    const vault = `${url.replace(/\/+$/, "")}/v2/${projectId}/agents/${agent.id}/vault`;
    const env = { CAIRN_TOKEN: await asAgent.token() };
    const src = join(dir.path, "src");
    await mkdir(src);
    await writeFile(join(src, "over-http.txt"), "bytes that travel to the server encrypted");
    const init = await cairn(["init", "--repo", vault, "--kdf", FAST_KDF], { env });
    expect(init.code, init.stderr).toBe(0);
    const b = await cairn(["backup", "--repo", vault, src], { env });
    expect(b.code, b.stderr).toBe(0);
    const ls = await cairn(["ls", "--repo", vault, "latest"], { env });
    expect(ls.stdout).toContain(`${src}/over-http.txt`);
    const check = await cairnJson(["check", "--repo", vault, "--read-data"], { env });
    expect(check.json).toMatchObject({ ok: true });
    const refused = await cairn(["snapshots", "--repo", vault], { env: { CAIRN_TOKEN: "not-a-token" } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("the server refused access");
    expect(refused.stderr).toContain("CAIRN_TOKEN");
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  });
});
