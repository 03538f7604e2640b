// On a real (pseudo-)terminal: the password prompt echoes nothing, init asks twice and refuses a
// mismatch, a wrong typed password is reported as coming from the prompt; backup and restore
// draw a progress bar on stderr (and, in the other tests, without a terminal, they do not).
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAIRN, FAST_KDF, tempDir } from "./helpers.js";

const PTY_RUN = fileURLToPath(new URL("./fixtures/pty-run.py", import.meta.url));
const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;

function onTerminal(args: string[], answers: string[]): { code: number | null; shown: string } {
  const env = { ...process.env };
  delete env.CAIRN_PASSWORD;
  delete env.CAIRN_PASSWORD_FILE;
  const r = spawnSync("python3", [PTY_RUN, JSON.stringify(answers), process.execPath, CAIRN, ...args], { env, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, shown: Buffer.from(r.stdout, "base64").toString("utf8") };
}

let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe.skipIf(!hasPython)("password prompt on a terminal", () => {
  it("init asks twice without echo; later commands ask once", () => {
    const repo = join(dir.path, "repo");
    const init = onTerminal(["init", "--repo", repo, "--kdf", FAST_KDF], ["typed-secret-1", "typed-secret-1"]);
    expect(init.code, init.shown).toBe(0);
    expect(init.shown).toContain("enter a password for the new repository");
    expect(init.shown).toContain("enter the password again");
    expect(init.shown).not.toContain("typed-secret-1");
    const list = onTerminal(["snapshots", "--repo", repo], ["typed-secret-1"]);
    expect(list.code, list.shown).toBe(0);
    expect(list.shown).toContain(`password for repository ${repo}:`);
    expect(list.shown).not.toContain("typed-secret-1");
    const wrong = onTerminal(["snapshots", "--repo", repo], ["typed-wrong"]);
    expect(wrong.code).toBe(1);
    expect(wrong.shown).toContain("(password from the prompt)");
    expect(wrong.shown).not.toContain("typed-wrong");
  });

  it("backup and restore show a progress bar", async () => {
    const repo = join(dir.path, "repo");
    const src = join(dir.path, "src");
    await mkdir(src);
    for (let i = 0; i < 20; i++) await writeFile(join(src, `f${i}`), Buffer.alloc(100_000, i));
    const backup = onTerminal(["backup", "--repo", repo, src], ["typed-secret-1"]);
    expect(backup.code, backup.shown).toBe(0);
    expect(backup.shown).toMatch(/\d+%.*\d+\/\d+\+? files/);
    const restore = onTerminal(["restore", "--repo", repo, "latest", "--target", join(dir.path, "out")], ["typed-secret-1"]);
    expect(restore.code, restore.shown).toBe(0);
    expect(restore.shown).toMatch(/\d+%.*\d+\/\d+ files/);
  });

  it("init refuses two different passwords", () => {
    const r = onTerminal(["init", "--repo", join(dir.path, "other"), "--kdf", FAST_KDF], ["one", "two"]);
    expect(r.code).toBe(1);
    expect(r.shown).toContain("the passwords do not match");
  });
});
