// cairn server: starts @cairn/server on SQLite in a data directory, answers HTTP, and stops
// gracefully on SIGTERM.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAIRN, tempDir } from "./helpers.js";

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

  it("serves the API from a data directory and stops on SIGTERM", async () => {
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
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
  });
});
