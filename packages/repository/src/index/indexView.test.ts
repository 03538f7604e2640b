// The index summary: lookups across many shards with a tiny cache, shards appearing and
// disappearing, and the memory it needs per million blobs.
import { createAes } from "@cairn/core";
import { blobIdFromBytes } from "@cairn/manifest";
import { MemoryStorage } from "@cairn/storage";
import { describe, expect, it } from "vitest";
import { ObjectCipher } from "../crypto/objectCipher.js";
import type { PackEntry } from "../pack/packFormat.js";
import { decodeIndex, encodeIndex } from "./indexFormat.js";
import { IndexView } from "./indexView.js";

async function setup() {
  const storage = new MemoryStorage();
  const cipher = await ObjectCipher.create(await createAes(), crypto.getRandomValues(new Uint8Array(32)));
  return { storage, cipher };
}

function randomEntries(n: number): PackEntry[] {
  const out: PackEntry[] = [];
  const ids = new Uint8Array(32 * n);
  for (let at = 0; at < ids.length; at += 65536) crypto.getRandomValues(ids.subarray(at, Math.min(ids.length, at + 65536)));
  for (let i = 0; i < n; i++) out.push({ id: blobIdFromBytes(ids.subarray(32 * i, 32 * i + 32)), type: "data", codec: 1, offset: 40 + i, sealedLength: 100, rawLength: 200 });
  return out;
}

async function writeShard(storage: MemoryStorage, cipher: ObjectCipher, entries: PackEntry[], packId = "ab".repeat(32)): Promise<string> {
  const plain = encodeIndex([{ packId, salt: new Uint8Array(32).fill(1), size: 1 << 20, entries }]);
  const { key, bytes } = await cipher.seal("index", plain, (id) => `index/${id}`);
  await storage.put(key, bytes);
  return key;
}

describe("IndexView", () => {
  it("finds every blob across shards with a cache far smaller than the index, and nothing else", async () => {
    const { storage, cipher } = await setup();
    const shards = [randomEntries(3000), randomEntries(2000), randomEntries(1)];
    for (const s of shards) await writeShard(storage, cipher, s);
    const view = new IndexView(storage, cipher, { cacheBytes: 60_000 });
    expect(await view.refresh()).toBe(3);
    expect(view.size).toBe(5001);
    for (const s of shards) for (const e of s.filter((_, i) => i % 97 === 0)) expect((await view.lookup(e.id))?.offset).toBe(e.offset);
    for (const e of randomEntries(200)) expect(await view.lookup(e.id)).toBeUndefined();
  });

  it("folds in new shards on refresh and rebuilds when prune replaced one", async () => {
    const { storage, cipher } = await setup();
    const a = randomEntries(100);
    const keyA = await writeShard(storage, cipher, a);
    const view = new IndexView(storage, cipher);
    await view.refresh();
    const b = randomEntries(50);
    await writeShard(storage, cipher, b);
    expect(await view.lookup(b[0]!.id)).toBeUndefined();
    expect(await view.refresh()).toBe(1);
    expect(await view.lookup(b[0]!.id)).toBeDefined();
    // "prune": a consolidated shard replaces A, then A is deleted.
    await writeShard(storage, cipher, a, "cd".repeat(32));
    await storage.delete(keyA);
    await writeShard(storage, cipher, a.slice(50, 60), "ef".repeat(32));
    await view.refresh();
    expect(view.shardKeys).not.toContain(keyA);
    expect(view.shardKeys.length).toBe(3);
    expect((await view.lookup(a[5]!.id))?.packId).toBe("cd".repeat(32));
    // A view that never cached A finds the replacement when A vanishes under it.
    const cold = new IndexView(storage, cipher, { cacheBytes: 0 });
    await cold.refresh();
    expect((await cold.lookup(b[7]!.id))?.packId).toBe("ab".repeat(32));
  });

  it("rejects a shard whose records are out of order", () => {
    const plain = encodeIndex([{ packId: "ab".repeat(32), salt: new Uint8Array(32), size: 1, entries: randomEntries(3) }]);
    plain.copyWithin(16 + 72, 16 + 72 + 52, 16 + 72 + 104); // duplicate record 1 over record 0
    expect(() => decodeIndex("index/x", plain)).toThrow(/ascending/);
  });

  it("rejects nonzero reserved bytes in the header, pack records and garbage records", () => {
    const good = encodeIndex([{ packId: "ab".repeat(32), salt: new Uint8Array(32), size: 1, entries: randomEntries(2) }], [{ packId: "cd".repeat(32), kind: 2, timeMs: 5 }]);
    expect(decodeIndex("index/x", good).garbage).toEqual([{ packId: "cd".repeat(32), kind: 2, timeMs: 5 }]);
    for (const at of [1, 16 + 68, 16 + 72 + 2 * 52 + 33]) {
      const bad = good.slice();
      bad[at] = 1;
      expect(() => decodeIndex("index/x", bad), `byte ${at}`).toThrow(/reserved/);
    }
  });

  it("needs about 8 bytes of memory per blob (measured at one million blobs)", async () => {
    const { storage, cipher } = await setup();
    const total = 1_000_000;
    const perShard = 125_000;
    for (let s = 0; s < total / perShard; s++) await writeShard(storage, cipher, randomEntries(perShard), (s + 16).toString(16).padStart(64, "0"));
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    const view = new IndexView(storage, cipher, { cacheBytes: 0 });
    const start = performance.now();
    await view.refresh();
    const loadMs = performance.now() - start;
    gc?.();
    const after = process.memoryUsage();
    const resident = view.memoryBytes;
    console.log(
      `index summary for ${total} blobs: ${(resident / 1e6).toFixed(1)} MB resident in the view (${(resident / total).toFixed(1)} B/blob), ` +
        `heap+arrayBuffers delta ${((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6).toFixed(1)} MB${gc ? "" : " (no --expose-gc: delta includes garbage)"}, loaded in ${loadMs.toFixed(0)} ms`,
    );
    expect(resident / total).toBeLessThanOrEqual(8.5);
    const probe = randomEntries(1000);
    for (const e of probe) expect(await view.lookup(e.id)).toBeUndefined();
    const t0 = performance.now();
    for (const e of probe) await view.lookup(e.id);
    console.log(`1000 absent lookups (warm): ${(performance.now() - t0).toFixed(1)} ms`);
  });
});
