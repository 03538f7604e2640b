// check: a clean repository passes; damage anywhere is found, named, and traced to the files of
// the snapshots that need it — in particular a single flipped bit in any object.
import type { Storage } from "@cairn/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRepository, type CheckReport, type Repository } from "../index.js";
import { BACKENDS, backup, newRepo } from "../../test/helpers.js";

async function keys(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of storage.list(prefix)) out.push(o.key);
  return out.sort();
}

async function flipBit(storage: Storage, key: string, bit: number): Promise<void> {
  const bytes = await storage.get(key);
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  await storage.delete(key);
  await storage.put(key, bytes);
}

function errors(report: CheckReport) {
  return report.problems.filter((p) => p.severity === "error");
}

for (const backend of BACKENDS) {
  describe(`check on ${backend.name} storage`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;
    let repo: Repository;
    let first: Awaited<ReturnType<typeof backup>>;
    let second: Awaited<ReturnType<typeof backup>>;
    beforeEach(async () => {
      ({ storage, cleanup } = await backend.create());
      repo = await newRepo(storage);
      first = await backup(repo, 1, { files: 3, chunks: 2, chunkBytes: 30_000, timeNs: 1_000n });
      second = await backup(repo, 2, { files: 2, chunks: 2, chunkBytes: 30_000, timeNs: 2_000n });
      await repo.close();
    });
    afterEach(() => cleanup());

    it("passes on an intact repository, with and without reading data", async () => {
      const r = await openRepository(storage, "correct horse");
      const plain = await r.check();
      expect(plain.problems).toEqual([]);
      expect(plain.ok).toBe(true);
      expect(plain.counts.snapshots).toBe(2);
      const full = await r.check({ readData: true });
      expect(full.ok).toBe(true);
      expect(full.counts.packsRead).toBe(full.counts.packs);
      const some = await r.check({ readData: { fraction: 0.5, seed: 1 } });
      expect(some.counts.packsRead).toBeLessThanOrEqual(full.counts.packsRead);
    });

    it("a flipped bit in any object is detected by check --read-data, naming the object and the affected files", async () => {
      const objects = (await keys(storage, "")).filter((k) => !k.startsWith("locks/"));
      for (const key of objects) {
        const size = (await storage.stat(key)).size;
        // A bit in the middle of the object (in packs, inside blob data), and one in its first bytes.
        for (const bit of [Math.floor((size * 8) / 2) + 3, 5 * 8 + 1]) {
          await flipBit(storage, key, bit);
          let report: CheckReport | undefined;
          let openError: unknown;
          try {
            const r = await openRepository(storage, "correct horse");
            report = await r.check({ readData: true });
          } catch (error) {
            openError = error; // config and key slot damage stops open itself, with a precise error
          }
          if (openError) {
            expect(key === "config" || key.startsWith("keys/"), `${key}: ${String(openError)}`).toBe(true);
            expect((openError as { object?: string }).object).toBe(key);
          } else {
            expect(report!.ok, `bit ${bit} of ${key} went unnoticed`).toBe(false);
            const found = errors(report!).filter((p) => p.object === key || p.object === undefined);
            expect(found.length, `${key}: ${JSON.stringify(errors(report!).map((p) => p.message))}`).toBeGreaterThan(0);
            if (key.startsWith("data/")) {
              // Damage in a pack is traced to files (or directories) of the snapshots.
              const affected = errors(report!).flatMap((p) => p.affected);
              expect(affected.length, `${key}: affected files`).toBeGreaterThan(0);
              for (const a of affected) expect([first.id, second.id]).toContain(a.snapshotId);
            }
          }
          await flipBit(storage, key, bit); // restore
        }
      }
      const healed = await (await openRepository(storage, "correct horse")).check({ readData: true });
      expect(healed.ok).toBe(true);
    });

    it("a damaged data blob names exactly the file that contains it", async () => {
      const r = await openRepository(storage, "correct horse");
      await r.ensureIndex();
      const target = first.blobs[2]!; // file-1.txt, first chunk, only in the first snapshot
      const loc = (await r.ctx.index.lookup(target))!;
      await flipBit(storage, `data/${loc.packId}`, (loc.offset + 10) * 8);
      const report = await (await openRepository(storage, "correct horse")).check({ readData: true });
      const problem = errors(report).find((p) => p.blobId === target)!;
      expect(problem.kind).toBe("blob-corrupt");
      expect(problem.object).toBe(`data/${loc.packId}`);
      expect(problem.affected).toEqual([{ snapshotId: first.id, path: "/data/file-1.txt" }]);
      // Without reading data, the header is intact, so this damage is invisible: that is what --read-data is for.
      expect((await (await openRepository(storage, "correct horse")).check()).ok).toBe(true);
    });

    it("a missing pack is reported with every file that needed it; a truncated one too", async () => {
      const r = await openRepository(storage, "correct horse");
      await r.ensureIndex();
      const loc = (await r.ctx.index.lookup(second.blobs[0]!))!;
      const bytes = await storage.get(`data/${loc.packId}`);
      await storage.delete(`data/${loc.packId}`);
      const missing = await (await openRepository(storage, "correct horse")).check();
      const p = errors(missing).find((x) => x.kind === "pack-missing")!;
      expect(p.object).toBe(`data/${loc.packId}`);
      expect(p.affected.map((a) => a.path)).toContain("/data/file-0.txt");
      await storage.put(`data/${loc.packId}`, bytes.slice(0, bytes.length - 7));
      const truncated = await (await openRepository(storage, "correct horse")).check();
      expect(errors(truncated).map((x) => x.kind)).toContain("pack-size");
    });

    it("trees lost with their pack are reported with the snapshot they belong to", async () => {
      const r = await openRepository(storage, "correct horse");
      await r.ensureIndex();
      const loc = (await r.ctx.index.lookup(second.sub))!;
      await storage.delete(`data/${loc.packId}`);
      const report = await (await openRepository(storage, "correct horse")).check();
      expect(report.ok).toBe(false);
      // The root tree of the second snapshot was in the same tree pack: the whole snapshot is affected.
      const affected = errors(report).flatMap((p) => p.affected);
      expect(affected).toContainEqual({ snapshotId: second.id, path: "/" });
      expect(errors(report).map((p) => p.kind)).toContain("tree-missing");
    });
  });
}
