// Repository.forget with each retention rule, on memory and filesystem storage: the snapshot
// objects a rule does not keep are deleted, the rest stay readable, and a prune afterwards
// keeps every remaining snapshot whole. Expected sets are worked out by hand from the calendar
// below (policy.test.ts covers the rules in depth, without storage).
import { createTree, type SnapshotId } from "@cairn/manifest";
import type { Storage } from "@cairn/storage";
import { beforeEach, describe, expect, it } from "vitest";
import { openRepository, type RetentionPolicy } from "../index.js";
import { BACKENDS, dirNode, fileNode, keysOf, newRepo, readSnapshotFully, snapshotOf } from "../../test/helpers.js";

/** Snapshot times (UTC), numbered 1..12; 1 and 5 carry the tag "keep". */
const TIMES = [
  "2023-06-15T10:00:00Z", // 1
  "2023-12-31T23:00:00Z", // 2
  "2024-01-01T01:00:00Z", // 3
  "2024-01-15T12:00:00Z", // 4
  "2024-02-01T08:00:00Z", // 5
  "2024-02-20T08:00:00Z", // 6  (ISO week 2024-W08)
  "2024-02-26T09:00:00Z", // 7  (Monday of 2024-W09)
  "2024-02-28T09:00:00Z", // 8
  "2024-02-29T09:00:00Z", // 9
  "2024-02-29T15:00:00Z", // 10
  "2024-02-29T15:30:00Z", // 11
  "2024-02-29T18:00:00Z", // 12 (newest)
];

const RULES: { name: string; policy: RetentionPolicy; nowMs?: number; keep: number[] }[] = [
  { name: "last 3", policy: { last: 3 }, keep: [10, 11, 12] },
  { name: "hourly 3", policy: { hourly: 3 }, keep: [9, 11, 12] },
  { name: "daily 3", policy: { daily: 3 }, keep: [7, 8, 12] },
  { name: "weekly 2", policy: { weekly: 2 }, keep: [6, 12] },
  { name: "monthly 3", policy: { monthly: 3 }, keep: [2, 4, 12] },
  { name: "yearly 2", policy: { yearly: 2 }, keep: [2, 12] },
  { name: "within 2 days of the newest", policy: { within: 2 * 86_400_000 }, keep: [8, 9, 10, 11, 12] },
  { name: "retention.days 3 (older than 3 days are removed)", policy: { retentionDays: 3 }, nowMs: Date.parse("2024-03-01T00:00:00Z"), keep: [8, 9, 10, 11, 12] },
  { name: "retention.days 0 keeps forever", policy: { retentionDays: 0 }, nowMs: Date.parse("2030-01-01T00:00:00Z"), keep: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
  { name: "tags", policy: { tags: ["keep"] }, keep: [1, 5] },
  { name: "daily 1 + monthly 2 is a union", policy: { daily: 1, monthly: 2 }, keep: [4, 12] },
];

for (const backend of BACKENDS) {
  describe(`forget on ${backend.name} storage`, () => {
    let storage: Storage;
    let ids: SnapshotId[];
    beforeEach(async () => {
      ({ storage } = await backend.create());
      const repo = await newRepo(storage);
      const { id: blob } = await repo.saveBlob("data", new TextEncoder().encode("shared content of every snapshot"));
      const sub = await repo.saveTree(createTree([fileNode("a.txt", [{ id: blob, length: 32 }])]));
      const root = await repo.saveTree(createTree([dirNode("data", sub)]));
      ids = [];
      for (const [i, t] of TIMES.entries()) ids.push(await repo.saveSnapshot(snapshotOf(root, BigInt(Date.parse(t)) * 1_000_000n, "host-a", ["/data"], i === 0 || i === 4 ? ["keep"] : [])));
      await repo.close();
    });

    for (const rule of RULES) {
      it(rule.name, async () => {
        const repo = await openRepository(storage, "correct horse");
        const expected = rule.keep.map((n) => ids[n - 1]!).sort();
        const dry = await repo.forget(rule.policy, { nowMs: rule.nowMs, dryRun: true });
        expect(dry.removed).toEqual([]);
        expect((await keysOf(storage, "snapshots/")).length).toBe(TIMES.length);
        const result = await repo.forget(rule.policy, { nowMs: rule.nowMs });
        expect(result.groups).toHaveLength(1);
        expect(result.groups[0]!.keep.map((d) => d.id).sort()).toEqual(expected);
        expect(result.groups[0]!.keep.every((d) => d.reasons.length > 0)).toBe(true);
        expect([...result.removed].sort()).toEqual(ids.filter((id) => !expected.includes(id)).sort());
        expect((await repo.listSnapshots()).map((s) => s.id).sort()).toEqual(expected);
        for (const id of expected) expect(await readSnapshotFully(repo, id)).toBe(1);
      });
    }

    it("refuses a policy without any rule, deleting nothing", async () => {
      const repo = await openRepository(storage, "correct horse");
      await expect(repo.forget({})).rejects.toBeInstanceOf(RangeError);
      await expect(repo.forget({ retentionDays: -1 })).rejects.toBeInstanceOf(RangeError);
      expect((await keysOf(storage, "snapshots/")).length).toBe(TIMES.length);
    });

    it("forget then prune: what is left stays whole", async () => {
      const repo = await openRepository(storage, "correct horse");
      await repo.forget({ last: 1 });
      const result = await repo.prune({ graceMs: 0 });
      expect(result.snapshots).toBe(1);
      expect((await repo.check({ readData: true })).ok).toBe(true);
      expect(await readSnapshotFully(repo, ids[11]!)).toBe(1);
    });
  });
}
