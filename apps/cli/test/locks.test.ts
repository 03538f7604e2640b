// Locks: a live lock of another process blocks prune with a message that says what to do; a
// stale lock (its process died long ago) is removed by `cairn unlock`, a live one only with
// --remove-all.
import { join } from "node:path";
import { openRepository } from "@cairn/repository";
import { FileSystemStorage } from "@cairn/storage/fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, cairnJson, initRepo, PASSWORD, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;

/** Leaves a lock behind as a process that died would: taken at `ageMs` ago, never released. */
async function abandonLock(ageMs: number, exclusive: boolean): Promise<void> {
  const r = await openRepository(new FileSystemStorage(repo), PASSWORD, { lock: { host: "ghost", now: () => Date.now() - ageMs } });
  await r.acquireLock(exclusive);
  // no release, no close: the refresh timer is unref'd and the process forgets it
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  await initRepo(repo);
});
afterAll(() => dir.cleanup());

describe("locks", () => {
  it("a live lock of another process makes prune fail with a hint", async () => {
    await abandonLock(0, false);
    const r = await cairn(["prune", "--repo", repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`repository ${repo} is locked`);
    expect(r.stderr).toContain("ghost");
    expect(r.stderr).toContain("hint:");
  });

  it("unlock removes stale locks only; --remove-all removes the rest", async () => {
    await abandonLock(2 * 60 * 60_000, false);
    const first = await cairnJson(["unlock", "--repo", repo]);
    expect(first.code, first.stderr).toBe(0);
    const j = first.json as { removed: string[]; remaining: { host: string }[] };
    expect(j.removed).toHaveLength(1);
    expect(j.remaining.map((l) => l.host)).toEqual(["ghost"]);
    const all = await cairnJson(["unlock", "--repo", repo, "--remove-all"]);
    expect((all.json as { removed: string[]; remaining: unknown[] }).remaining).toEqual([]);
    const prune = await cairn(["prune", "--repo", repo]);
    expect(prune.code, prune.stderr).toBe(0);
  });

  it("--no-lock reads without taking a lock", async () => {
    const r = await cairn(["check", "--repo", repo, "--no-lock"]);
    expect(r.code, r.stderr).toBe(0);
  });
});
