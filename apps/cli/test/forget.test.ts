// forget and prune: a policy decides which snapshots go (a dry run changes nothing), named
// snapshots can be removed, and prune then reclaims exactly the data nothing references — the
// remaining snapshots stay complete (check --read-data passes).
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotId } from "@cairn/manifest";
import { cairn, cairnJson, initRepo, openForTest, saveSnapshot, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;
const ids: SnapshotId[] = [];
const DAY = 86_400_000;
const now = Date.now();

async function listed(): Promise<string[]> {
  const { json } = await cairnJson(["snapshots", "--repo", repo]);
  return (json as { id: string }[]).map((s) => s.id);
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  await initRepo(repo);
  const r = await openForTest(repo);
  // Five daily snapshots, 10..6 days old, each with 200 KB of its own data plus a shared file.
  for (let i = 0; i < 5; i++) ids.push(await saveSnapshot(r, { data: { "shared.txt": "same in every snapshot", [`own-${i}.bin`]: randomBytes(200_000) } }, { time: new Date(now - (10 - i) * DAY) }));
  await r.close();
});
afterAll(() => dir.cleanup());

describe("cairn forget", () => {
  it("needs IDs or a policy, not both", async () => {
    expect((await cairn(["forget", "--repo", repo])).code).toBe(2);
    expect((await cairn(["forget", "--repo", repo, ids[0]!, "--keep-last", "1"])).code).toBe(2);
    expect((await cairn(["forget", "--repo", repo, "--keep-within", "soon"])).code).toBe(2);
  });

  it("--dry-run shows the decision and removes nothing", async () => {
    const r = await cairn(["forget", "--repo", repo, "--keep-last", "3", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("would remove");
    expect(r.stdout).toContain("2 snapshots would be removed (dry run)");
    expect(await listed()).toEqual(ids);
  });

  it("keeps what the policy keeps, with reasons in --json", async () => {
    const { code, json } = await cairnJson(["forget", "--repo", repo, "--keep-last", "4"]);
    expect(code).toBe(0);
    const result = json as { removed: string[]; groups: { keep: { id: string; reasons: string[] }[] }[] };
    expect(result.removed).toEqual([ids[0]]);
    expect(result.groups[0]!.keep.map((k) => k.reasons[0])).toEqual(["last 1", "last 2", "last 3", "last 4"]);
    expect(await listed()).toEqual(ids.slice(1));
  });

  it("--older-than removes snapshots older than N days", async () => {
    const r = await cairnJson(["forget", "--repo", repo, "--older-than", "8d"]);
    expect(r.code).toBe(0);
    expect((r.json as { removed: string[] }).removed.sort()).toEqual([ids[1], ids[2]].sort()); // 9 and 8 days old
    expect(await listed()).toEqual(ids.slice(3));
  });

  it("removes a snapshot by ID, and prune reclaims its data while the rest stays intact", async () => {
    const before = await cairnJson(["stats", "--repo", repo]);
    const packBytes = (before.json as { stored: { packs: number } }).stored.packs;
    const r = await cairn(["forget", "--repo", repo, ids[3]!.slice(0, 8), "--prune", "--grace-period", "0h"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`removed snapshot ${ids[3]!.slice(0, 8)}`);
    expect(await listed()).toEqual([ids[4]]);
    const after = await cairnJson(["stats", "--repo", repo]);
    const stats = after.json as { stored: { packs: number }; uniqueData: { bytes: number } };
    expect(stats.stored.packs).toBeLessThan(packBytes);
    // only snapshot 4's data is left: its own 200 KB file and the shared one (stored at most once more for padding)
    expect(stats.stored.packs).toBeLessThan(2 * 200_000);
    const check = await cairn(["check", "--repo", repo, "--read-data"]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const ls = await cairn(["ls", "--repo", repo, "latest"]);
    expect(ls.stdout).toContain("/data/own-4.bin");
  });

  it("prune --dry-run reports and deletes nothing; prune --json parses", async () => {
    const dry = await cairnJson(["prune", "--repo", repo, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json).toMatchObject({ dryRun: true, snapshots: 1 });
    const real = await cairnJson(["prune", "--repo", repo]);
    expect(real.code, real.stderr).toBe(0);
    // everything unused went in the previous prune: nothing left to delete or repack
    expect(real.json).toMatchObject({ dryRun: false, snapshots: 1, packsDeleted: 0, packsRepacked: 0 });
    expect((await cairn(["check", "--repo", repo, "--read-data"])).code).toBe(0);
  });
});
