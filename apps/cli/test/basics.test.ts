// The conventions every command shares: version and help, exit codes for usage errors, where
// the repository and the password come from, and errors that say what to do — without ever
// showing the password.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, cairnJson, FAST_KDF, initRepo, PASSWORD, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  await initRepo(repo);
});
afterAll(() => dir.cleanup());

describe("cairn", () => {
  it("prints its version and help with exit code 0", async () => {
    const v = await cairn(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^cairn \d+\.\d+\.\d+ \(node v\d+/);
    const h = await cairn(["--help"]);
    expect(h.code).toBe(0);
    for (const c of ["init", "backup", "snapshots", "ls", "diff", "restore", "check", "forget", "prune", "key", "stats", "server"]) expect(h.stdout).toContain(`  ${c}`);
  });

  it("exits 2 for command lines it cannot parse", async () => {
    expect((await cairn(["frobnicate"])).code).toBe(2);
    expect((await cairn(["snapshots", "--no-such-option"])).code).toBe(2);
    expect((await cairn(["init", "--repo", repo, "--kdf", "md5"])).code).toBe(2);
    const none = await cairn([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: cairn");
  });

  it("needs a repository, from --repo or CAIRN_REPOSITORY", async () => {
    const r = await cairn(["snapshots"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no repository given");
    expect(r.stderr).toContain("CAIRN_REPOSITORY");
    const viaEnv = await cairn(["snapshots"], { env: { CAIRN_REPOSITORY: repo } });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain("no snapshots");
  });

  it("refuses schemes it does not support yet instead of treating them as directories", async () => {
    const r = await cairn(["snapshots", "--repo", "s3:bucket/prefix"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not supported by this version of cairn yet");
    expect((await cairn(["snapshots", "--repo", "gopher:x"])).stderr).toContain('unknown scheme "gopher:"');
  });

  it("does not create a second repository over an existing one", async () => {
    const r = await cairn(["init", "--repo", repo, "--kdf", FAST_KDF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a repository already exists at ${repo}`);
  });

  it("reports a wrong password against its source, exit 1, never showing it", async () => {
    const wrong = "not-the-password-xyzzy";
    const r = await cairn(["snapshots", "--repo", repo], { env: { CAIRN_PASSWORD: wrong } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`wrong password for repository ${repo} (password from CAIRN_PASSWORD)`);
    expect(r.stdout + r.stderr).not.toContain(wrong);
    const file = join(dir.path, "wrong-pw");
    await writeFile(file, `${wrong}\n`);
    const f = await cairn(["snapshots", "--repo", repo, "--password-file", file, "--debug"], { env: { CAIRN_PASSWORD: undefined } });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain(`(password from --password-file ${file})`);
    expect(f.stdout + f.stderr).not.toContain(wrong);
    expect(f.stdout + f.stderr).not.toContain(PASSWORD);
  });

  it("reads the password from --password-file (one trailing newline stripped) and CAIRN_PASSWORD_FILE", async () => {
    const file = join(dir.path, "pw");
    await writeFile(file, `${PASSWORD}\n`);
    expect((await cairn(["snapshots", "--repo", repo, "--password-file", file], { env: { CAIRN_PASSWORD: "wrong" } })).code).toBe(0);
    expect((await cairn(["snapshots", "--repo", repo], { env: { CAIRN_PASSWORD: undefined, CAIRN_PASSWORD_FILE: file } })).code).toBe(0);
    const missing = await cairn(["snapshots", "--repo", repo, "--password-file", join(dir.path, "nope")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read the password file");
  });

  it("says how to give a password when there is none and no terminal to ask on", async () => {
    const r = await cairn(["snapshots", "--repo", repo], { env: { CAIRN_PASSWORD: undefined } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no password for repository ${repo}`);
    expect(r.stderr).toMatch(/hint: set CAIRN_PASSWORD, or pass --password-file/);
  });

  it("suggests cairn init when there is no repository", async () => {
    const missing = join(dir.path, "missing");
    const r = await cairn(["snapshots", "--repo", missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no repository at ${missing}`);
    expect(r.stderr).toContain(`cairn init --repo ${missing}`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --debug
  });

  it("reports errors as JSON on stderr under --json, keeping stdout empty", async () => {
    const r = await cairn(["snapshots", "--repo", repo, "--json"], { env: { CAIRN_PASSWORD: "wrong" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const e = JSON.parse(r.stderr) as { error: { code: string; message: string; exitCode: number } };
    expect(e.error).toMatchObject({ code: "wrong-password", exitCode: 1 });
  });

  it("init --json describes the new repository", async () => {
    const { code, json } = await cairnJson(["init", "--repo", join(dir.path, "r2"), "--kdf", FAST_KDF, "--chunker", "small", "--compression", "off"]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ chunker: { algorithm: "cairn-gear-v1", minSize: 2048, avgSize: 8192, maxSize: 65536 }, compression: { algorithm: "none" }, kdf: { algorithm: "argon2id" } });
    expect((json as { id: string }).id).toMatch(/^[0-9a-f]{64}$/);
  });
});
