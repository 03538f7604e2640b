// key add / list / remove / passwd: passwords come and go, the data stays readable, and the
// commands refuse what would lock the user out.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, cairnJson, FAST_KDF, initRepo, openForTest, PASSWORD, saveSnapshot, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;

interface Slot {
  id: string;
  current: boolean;
  label: string;
}

async function pwFile(name: string, value: string): Promise<string> {
  const file = join(dir.path, name);
  await writeFile(file, `${value}\n`);
  return file;
}

async function slots(password = PASSWORD): Promise<Slot[]> {
  const { code, json, stderr } = await cairnJson(["key", "list", "--repo", repo], { env: { CAIRN_PASSWORD: password } });
  expect(code, stderr).toBe(0);
  return json as Slot[];
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  await initRepo(repo);
  const r = await openForTest(repo);
  await saveSnapshot(r, { data: { "f.txt": "kept through every key change" } }, { time: new Date("2026-02-01T00:00:00Z") });
  await r.close();
});
afterAll(() => dir.cleanup());

describe("cairn key", () => {
  it("adds a password; both open the repository; list marks the current one", async () => {
    const before = await slots();
    expect(before).toHaveLength(1);
    expect(before[0]!.current).toBe(true);
    const add = await cairnJson(["key", "add", "--repo", repo, "--new-password-file", await pwFile("second", "second password"), "--label", "laptop", "--kdf", FAST_KDF]);
    expect(add.code, add.stderr).toBe(0);
    const added = add.json as Slot;
    expect(added.label).toBe("laptop");
    const withSecond = await slots("second password");
    expect(withSecond).toHaveLength(2);
    expect(withSecond.find((s) => s.current)!.id).toBe(added.id);
    expect(withSecond.find((s) => !s.current)!.id).toBe(before[0]!.id);
    const text = await cairn(["key", "list", "--repo", repo]);
    expect(text.stdout).toMatch(new RegExp(`\\*\\s+${before[0]!.id.slice(0, 10)}`));
    expect(text.stdout).toContain("laptop");
  });

  it("asks for a new password file when there is no terminal", async () => {
    const r = await cairn(["key", "add", "--repo", repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--new-password-file");
  });

  it("refuses to remove the key in use, removes another by ID prefix", async () => {
    const list = await slots();
    const mine = list.find((s) => s.current)!;
    const theirs = list.find((s) => !s.current)!;
    const self = await cairn(["key", "remove", "--repo", repo, mine.id.slice(0, 8)]);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain("is the one the current password opened");
    const unknown = await cairn(["key", "remove", "--repo", repo, "ffffffff"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no key slot ffffffff");
    const removed = await cairn(["key", "remove", "--repo", repo, theirs.id.slice(0, 8)]);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await slots()).map((s) => s.id)).toEqual([mine.id]);
    const gone = await cairn(["snapshots", "--repo", repo], { env: { CAIRN_PASSWORD: "second password" } });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("wrong password");
  });

  it("changes the password: the old one stops working, the data is still there", async () => {
    const old = (await slots())[0]!;
    const r = await cairnJson(["key", "passwd", "--repo", repo, "--new-password-file", await pwFile("third", "third password"), "--kdf", FAST_KDF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ replaced: old.id, current: true });
    expect((await cairn(["snapshots", "--repo", repo])).stderr).toContain("wrong password");
    const ls = await cairn(["ls", "--repo", repo, "latest"], { env: { CAIRN_PASSWORD: "third password" } });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain("/data/f.txt");
    // change it back so the test repository stays usable with the default password
    const back = await cairn(["key", "passwd", "--repo", repo, "--new-password-file", await pwFile("back", PASSWORD), "--kdf", FAST_KDF], { env: { CAIRN_PASSWORD: "third password" } });
    expect(back.code, back.stderr).toBe(0);
    expect(await slots()).toHaveLength(1);
  });
});
