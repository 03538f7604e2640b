// Ctrl-C during a backup: the command stops with exit code 130, writes no snapshot, leaves no
// lock behind, and what it had already stored is kept — the next backup does not store it again.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAIRN, cairn, cairnJson, initRepo, PASSWORD, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;
let src: string;
const FILES = 12;
const FILE_BYTES = 12 * 1024 * 1024;

async function packCount(): Promise<number> {
  try {
    return (await readdir(join(repo, "data"))).length;
  } catch {
    return 0;
  }
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  src = join(dir.path, "src");
  await mkdir(src);
  for (let i = 0; i < FILES; i++) await writeFile(join(src, `f${i}.bin`), randomBytes(FILE_BYTES));
  await initRepo(repo);
});
afterAll(() => dir.cleanup());

describe("Ctrl-C", () => {
  it("stops a backup cleanly and keeps what was stored", async () => {
    const child = spawn(process.execPath, [CAIRN, "backup", "--repo", repo, src, "--workers", "1"], { env: { PATH: process.env.PATH, CAIRN_PASSWORD: PASSWORD }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // interrupt once the first pack has landed (the backup is well under way), or give up waiting
    let sent = false;
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      if ((await packCount()) > 0) {
        child.kill("SIGINT");
        sent = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const code = await closed;
    expect(sent, `the backup finished before any pack appeared (exit ${code}): ${stderr}`).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("interrupted");

    const { json } = await cairnJson(["snapshots", "--repo", repo]);
    expect(json).toEqual([]);
    const unlock = await cairnJson(["unlock", "--repo", repo]);
    expect(unlock.json).toMatchObject({ removed: [], remaining: [] });

    const again = await cairnJson(["backup", "--repo", repo, src]);
    expect(again.code, again.stderr).toBe(0);
    const stats = (again.json as { stats: { bytesAdded: number; bytesProcessed: number } }).stats;
    expect(stats.bytesProcessed).toBe(FILES * FILE_BYTES);
    expect(stats.bytesAdded).toBeLessThan(FILES * FILE_BYTES);
    expect((await cairn(["check", "--repo", repo])).code).toBe(0);
  });
});
