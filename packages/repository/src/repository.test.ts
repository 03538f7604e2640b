// Blobs, packs, the index and snapshots through the public API, on memory and filesystem storage.
import { parseBlobId } from "@cairn/manifest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Storage } from "@cairn/storage";
import { BlobNotFoundError, CorruptObjectError, MissingObjectError, openRepository, type Repository } from "./index.js";
import { BACKENDS, backup, bytesOf, newRepo, sameBytes } from "../test/helpers.js";

async function keys(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of storage.list(prefix)) out.push(o.key);
  return out.sort();
}

async function replace(storage: Storage, key: string, f: (b: Uint8Array) => Uint8Array): Promise<void> {
  const bytes = f(await storage.get(key));
  await storage.delete(key);
  await storage.put(key, bytes);
}

for (const backend of BACKENDS) {
  describe(`repository on ${backend.name} storage`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;
    let repo: Repository;
    beforeEach(async () => {
      ({ storage, cleanup } = await backend.create());
      repo = await newRepo(storage);
    });
    afterEach(() => cleanup());

    it("round-trips blobs of all sizes, compressed and raw, and dedupes", async () => {
      const blobs = [new Uint8Array(0), new Uint8Array([7]), bytesOf(1, 100_000, true), bytesOf(2, 100_000), bytesOf(3, 300_000)];
      const ids = [];
      for (const b of blobs) {
        const saved = await repo.saveBlob("data", b);
        expect(saved.added).toBe(true);
        ids.push(saved.id);
      }
      expect((await repo.saveBlob("data", blobs[2]!)).added).toBe(false); // pending in this session
      for (let i = 0; i < blobs.length; i++) expect(sameBytes(await repo.loadBlob(ids[i]!), blobs[i]!)).toBe(true);
      await repo.flush();
      expect((await repo.saveBlob("data", blobs[3]!)).added).toBe(false); // indexed
      const packs = await keys(storage, "data/");
      expect(packs.length).toBeGreaterThanOrEqual(2);
      // Compressible text is stored much smaller than its 100 kB; random bytes are not.
      const text = await repo.saveBlob("data", bytesOf(9, 200_000, true));
      expect(text.storedLength).toBeLessThan(100_000);
      const random = await repo.saveBlob("data", bytesOf(10, 200_000));
      expect(random.storedLength).toBe(200_000 + 16);
      await repo.close();

      const again = await openRepository(storage, "correct horse");
      for (let i = 0; i < blobs.length; i++) expect(sameBytes(await again.loadBlob(ids[i]!), blobs[i]!)).toBe(true);
      expect((await again.saveBlob("data", blobs[4]!)).added).toBe(false);
      await expect(again.loadBlob(parseBlobId("00".repeat(32)))).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it("writes data, then index, then snapshot; snapshots and trees round-trip", async () => {
      const first = await backup(repo, 1, { files: 4, chunks: 3, chunkBytes: 20_000 });
      const snapshots = await repo.listSnapshots();
      expect(snapshots.map((s) => s.id)).toEqual([first.id]);
      expect(await keys(storage, "index/")).not.toEqual([]);
      const again = await openRepository(storage, "correct horse");
      const snap = await again.loadSnapshot(first.id);
      const root = await again.loadTree(snap.tree);
      expect(root.nodes.map((n) => new TextDecoder().decode(n.name))).toEqual(["data"]);
      const sub = await again.loadTree(first.sub);
      expect(sub.nodes.length).toBe(4);
      // Data and tree blobs live in separate packs.
      expect(first.blobs.length).toBe(12);
    });

    it("a second session dedupes what the first indexed", async () => {
      await backup(repo, 1);
      await repo.close();
      const packsBefore = await keys(storage, "data/");
      const second = await openRepository(storage, "correct horse");
      await backup(second, 1);
      await second.close();
      expect(await keys(storage, "data/")).toEqual(packsBefore);
    });

    it("pack sizes are padded (Padmé) and packs respect the target size", async () => {
      for (let i = 0; i < 20; i++) await repo.saveBlob("data", bytesOf(100 + i, 10_000));
      await repo.flush();
      const { padme } = await import("./index.js");
      for await (const { key, size } of storage.list("data/")) {
        expect(padme(size), key).toBe(size);
        expect(size).toBeLessThan(64 * 1024 + 12_000);
      }
    });

    it("a modified byte in a pack is reported as a corrupt blob of that pack", async () => {
      const data = bytesOf(5, 50_000);
      const { id } = await repo.saveBlob("data", data);
      await repo.flush();
      const [pack] = await keys(storage, "data/");
      await replace(storage, pack!, (b) => {
        b[100]! ^= 1;
        return b;
      });
      const fresh = await openRepository(storage, "correct horse");
      const error = await fresh.loadBlob(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorruptObjectError);
      expect((error as CorruptObjectError).object).toBe(pack);
      expect((error as CorruptObjectError).blobId).toBe(id);
    });

    it("a truncated pack and a missing pack give precise errors", async () => {
      const { id } = await repo.saveBlob("data", bytesOf(6, 50_000));
      await repo.flush();
      const [pack] = await keys(storage, "data/");
      await replace(storage, pack!, (b) => b.slice(0, 1000));
      const fresh = await openRepository(storage, "correct horse");
      const truncated = await fresh.loadBlob(id).catch((e: unknown) => e);
      expect(truncated).toBeInstanceOf(CorruptObjectError);
      expect((truncated as Error).message).toMatch(/truncated/);
      await storage.delete(pack!);
      const missing = await fresh.loadBlob(id).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(MissingObjectError);
      expect((missing as MissingObjectError).object).toBe(pack);
    });

    it("an index or snapshot moved to another name fails authentication", async () => {
      const { id } = await backup(repo, 3);
      const [index] = await keys(storage, "index/");
      const bytes = await storage.get(index!);
      await storage.put(`index/${"ab".repeat(32)}`, bytes);
      const moved = await storage.get(`snapshots/${id}`);
      await storage.put(`snapshots/${"cd".repeat(32)}`, moved);
      const fresh = await openRepository(storage, "correct horse");
      await expect(fresh.loadSnapshot(id)).resolves.toBeDefined();
      await expect(fresh.listSnapshots()).rejects.toBeInstanceOf(CorruptObjectError);
      await expect(fresh.ensureIndex()).rejects.toBeInstanceOf(CorruptObjectError);
    });
  });
}
