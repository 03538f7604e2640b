// prune through the public API, on memory and filesystem storage: it reclaims what forgotten
// snapshots used, repacks partly-used packs, keeps every remaining snapshot whole, deletes
// unindexed packs only after the grace period, and refuses (deleting nothing) when it cannot
// know what is needed.
import type { Storage } from "@cairn/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CorruptObjectError, openRepository, PruneRefusedError, type Repository } from "../index.js";
import { BACKENDS, backup, keysOf, newRepo, pruneScenario, readSnapshotFully, snapshotOf } from "../../test/helpers.js";

async function totalBytes(storage: Storage, prefix: string): Promise<number> {
  let n = 0;
  for await (const o of storage.list(prefix)) n += o.size;
  return n;
}

async function snapshotOfAll(storage: Storage): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const { key } of storage.list("")) if (!key.startsWith("locks/")) out.set(key, await storage.get(key));
  return out;
}

function packWarnings(report: Awaited<ReturnType<Repository["check"]>>) {
  return report.problems.filter((p) => p.kind === "pack-unindexed" || p.kind === "pack-obsolete");
}

for (const backend of BACKENDS) {
  describe(`prune on ${backend.name} storage`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;
    let scenario: Awaited<ReturnType<typeof pruneScenario>>;
    beforeEach(async () => {
      ({ storage, cleanup } = await backend.create());
      scenario = await pruneScenario(storage);
    });
    afterEach(() => cleanup());

    it("reclaims forgotten data, repacks partly-used packs, and keeps every remaining snapshot whole", async () => {
      const before = await totalBytes(storage, "data/");
      const packsBefore = await keysOf(storage, "data/");
      const repo = await openRepository(storage, "correct horse");
      const expected = await Promise.all(scenario.kept.map((id) => readSnapshotFully(repo, id)));
      const result = await repo.prune({ graceMs: 0 });
      expect(result.dryRun).toBe(false);
      expect(result.snapshots).toBe(2);
      expect(result.packsRepacked).toBeGreaterThan(0);
      expect(result.packsWritten).toBeGreaterThan(0);
      expect(result.packsDeleted).toBeGreaterThan(result.packsRepacked); // A's packs too
      expect(result.packsWaiting).toBe(1); // the unindexed pack: first sighting
      expect(result.bytesAfter).toBe(await totalBytes(storage, "data/"));
      expect(result.bytesAfter).toBeLessThan(before);
      // Every repacked pack is gone; the new ones are indexed.
      const after = await keysOf(storage, "data/");
      expect(after.length).toBe(packsBefore.length - result.packsDeleted + result.packsWritten);
      const report = await repo.check({ readData: true });
      expect(report.ok, JSON.stringify(report.problems)).toBe(true);
      expect(packWarnings(report).map((p) => p.kind)).toEqual(["pack-unindexed"]);
      const fresh = await openRepository(storage, "correct horse");
      expect(await Promise.all(scenario.kept.map((id) => readSnapshotFully(fresh, id)))).toEqual(expected);
      // Forgotten snapshots' blobs are no longer stored at all.
      expect((await fresh.listSnapshots()).map((s) => s.id).sort()).toEqual([...scenario.kept].sort());
    });

    it("a second prune deletes the unindexed pack once the grace period has passed, and a third has nothing to do", async () => {
      const repo = await openRepository(storage, "correct horse");
      const t0 = Date.now();
      const grace = 60_000;
      await repo.prune({ graceMs: grace, nowMs: t0 });
      const early = await repo.prune({ graceMs: grace, nowMs: t0 + grace - 1 });
      expect(early.packsWaiting).toBe(1);
      expect(early.packsDeleted).toBe(0);
      const late = await repo.prune({ graceMs: grace, nowMs: t0 + grace });
      expect(late.packsWaiting).toBe(0);
      expect(late.packsDeleted).toBe(1);
      const report = await repo.check();
      expect(report.ok).toBe(true);
      expect(packWarnings(report)).toEqual([]);
      const index = await keysOf(storage, "index/");
      const idle = await repo.prune({ graceMs: grace });
      expect([idle.packsDeleted, idle.packsRepacked, idle.indexObjectsWritten]).toEqual([0, 0, 0]);
      expect(await keysOf(storage, "index/")).toEqual(index);
      for (const id of scenario.kept) await readSnapshotFully(repo, id);
    });

    it("leaves objects that are not part of the layout alone", async () => {
      await storage.put("data/not-a-pack", new Uint8Array([1, 2, 3]));
      await storage.put("index/not-an-index", new Uint8Array([4, 5, 6]));
      const repo = await openRepository(storage, "correct horse");
      await repo.prune({ graceMs: 0 });
      await repo.prune({ graceMs: 0 });
      expect(await storage.get("data/not-a-pack")).toEqual(new Uint8Array([1, 2, 3]));
      expect((await repo.check()).problems.map((p) => `${p.kind} ${p.object}`).sort()).toEqual(["unknown-object data/not-a-pack", "unknown-object index/not-an-index"]);
      for (const id of scenario.kept) await readSnapshotFully(await openRepository(storage, "correct horse"), id);
    });

    it("a dry run reports the same plan and changes nothing", async () => {
      const objects = await snapshotOfAll(storage);
      const repo = await openRepository(storage, "correct horse");
      const dry = await repo.prune({ dryRun: true, graceMs: 0 });
      expect(dry.dryRun).toBe(true);
      expect(await snapshotOfAll(storage)).toEqual(objects);
      const real = await repo.prune({ graceMs: 0 });
      expect([dry.packsDeleted, dry.packsRepacked, dry.packsKept, dry.blobsRepacked, dry.blobsDropped]).toEqual([real.packsDeleted, real.packsRepacked, real.packsKept, real.blobsRepacked, real.blobsDropped]);
    });

    it("refuses, deleting nothing, when a snapshot needs a blob whose pack is missing", async () => {
      const repo = await openRepository(storage, "correct horse");
      await repo.ensureIndex();
      const [someBlob] = (await backup(repo, 7, { files: 1, chunks: 1, chunkBytes: 30_000 })).blobs;
      const loc = (await repo.ctx.index.lookup(someBlob!))!;
      await storage.delete(`data/${loc.packId}`);
      const objects = await snapshotOfAll(storage);
      const error = await repo.prune({ graceMs: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PruneRefusedError);
      expect((error as PruneRefusedError).objects).toContain(someBlob);
      expect((error as Error).message).toMatch(/no existing pack holds/);
      expect(await snapshotOfAll(storage)).toEqual(objects);
    });

    it("refuses, deleting nothing, when a snapshot or an index object cannot be read", async () => {
      const repo = await openRepository(storage, "correct horse");
      const [index] = await keysOf(storage, "index/");
      const good = await storage.get(index!);
      const bad = good.slice();
      bad[60]! ^= 4;
      await storage.delete(index!);
      await storage.put(index!, bad);
      const objects = await snapshotOfAll(storage);
      const e1 = await repo.prune({ graceMs: 0 }).catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(PruneRefusedError);
      expect((e1 as PruneRefusedError).object).toBe(index);
      expect((e1 as PruneRefusedError).cause).toBeInstanceOf(CorruptObjectError);
      expect(await snapshotOfAll(storage)).toEqual(objects);
      await storage.delete(index!);
      await storage.put(index!, good);

      const snapshot = `snapshots/${scenario.kept[0]}`;
      await storage.delete(snapshot);
      await storage.put(snapshot, new Uint8Array(10));
      const objects2 = await snapshotOfAll(storage);
      const e2 = await repo.prune({ graceMs: 0 }).catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(PruneRefusedError);
      expect((e2 as PruneRefusedError).object).toBe(snapshot);
      expect(await snapshotOfAll(storage)).toEqual(objects2);
    });

    it("refuses while another process holds a lock, and a backup cannot start while prune holds one", async () => {
      const writer = await openRepository(storage, "correct horse");
      await writer.saveBlob("data", new Uint8Array([1, 2, 3])); // takes the shared lock
      const pruner = await openRepository(storage, "correct horse");
      await expect(pruner.prune()).rejects.toMatchObject({ name: "RepositoryLockedError" });
      await writer.close();
      const exclusive = await pruner.acquireLock(true);
      const late = await openRepository(storage, "correct horse");
      await expect(late.saveBlob("data", new Uint8Array([4, 5, 6]))).rejects.toMatchObject({ name: "RepositoryLockedError" });
      await expect(late.hasBlob(scenario.kept[0] as never)).rejects.toMatchObject({ name: "RepositoryLockedError" });
      await exclusive.release();
      expect((await late.saveBlob("data", new Uint8Array([4, 5, 6]))).added).toBe(true);
      await late.close();
    });

    it("removeLocks removes only stale locks, or every lock when told", async () => {
      const crashed = await openRepository(storage, "correct horse");
      await crashed.saveBlob("data", new Uint8Array([9])); // takes a lock, then "dies" holding it
      const [held] = await keysOf(storage, "locks/");
      const admin = await openRepository(storage, "correct horse");
      expect(await admin.removeLocks()).toEqual([]);
      expect((await admin.listLocks()).map((l) => l.object)).toEqual([held]);
      const later = await openRepository(storage, "correct horse", { lock: { now: () => Date.now() + 31 * 60_000 } });
      expect(await later.removeLocks()).toEqual([held]);
      const other = await openRepository(storage, "correct horse");
      await other.saveBlob("data", new Uint8Array([8]));
      expect(await admin.removeLocks({ all: true })).toHaveLength(1);
      expect(await keysOf(storage, "locks/")).toEqual([]);
      await expect(other.saveSnapshot(snapshotOf(scenario.kept[0] as never, 1n))).rejects.toMatchObject({ name: "LockLostError" });
    });
  });
}

describe("prune and a backup that read the index before it", () => {
  it("a session that loaded the index before a prune dedupes only against what survived it", async () => {
    const repo = await newRepo((await BACKENDS[0]!.create()).storage);
    const old = await backup(repo, 1, { files: 2, chunks: 2, chunkBytes: 30_000 });
    await repo.close();
    const storage = repo.storage;
    // A backup session opens and reads the index (e.g. to find its parent snapshot's trees) ...
    const writer = await openRepository(storage, "correct horse");
    await writer.ensureIndex();
    expect(await writer.ctx.index.lookup(old.blobs[0]!)).toBeDefined();
    // ... meanwhile the old snapshot is forgotten and pruned away.
    const admin = await openRepository(storage, "correct horse");
    await admin.forget({ last: 0, tags: ["none"] });
    const pruned = await admin.prune({ graceMs: 0 });
    expect(pruned.packsDeleted).toBeGreaterThan(0);
    // The backup now saves the same content: it must store it again, not trust its stale view.
    const again = await backup(writer, 1, { files: 2, chunks: 2, chunkBytes: 30_000 });
    expect(again.blobs).toEqual(old.blobs);
    const report = await writer.check({ readData: true });
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    await readSnapshotFully(await openRepository(storage, "correct horse"), again.id);
  });

  it("a backup whose lock was judged stale by a prune fails instead of writing a snapshot", async () => {
    const { storage } = await BACKENDS[0]!.create();
    const repo = await newRepo(storage);
    await backup(repo, 1, { files: 1, chunks: 1 });
    await repo.close();
    const writer = await openRepository(storage, "correct horse");
    await writer.saveBlob("data", new Uint8Array(1000).fill(3));
    // A prune 31 minutes in the future sees the writer's lock as stale, deletes it and runs.
    const future = () => Date.now() + 31 * 60_000;
    const pruner = await openRepository(storage, "correct horse", { lock: { now: future } });
    await pruner.prune({ graceMs: 0, nowMs: future() });
    const before = await keysOf(storage, "snapshots/");
    await expect(backup(writer, 2, { files: 1, chunks: 1 })).rejects.toMatchObject({ name: "LockLostError" });
    expect(await keysOf(storage, "snapshots/")).toEqual(before);
  });
});
