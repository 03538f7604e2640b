// Conformance: list by prefix is exact (a plain string prefix, not a directory), complete and
// yields each key once, however many objects there are.
import { expect, it } from "vitest";
import { bytesFor, expectMisuse, listAll, listKeys, type CaseContext } from "./context.js";

/** Names like restic IDs (hex), so that stores sharding `data/` can hold them. */
function hexName(i: number): string {
  return Array.from(bytesFor(9000 + i, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function listingCases(ctx: CaseContext): void {
  const { timeoutMs } = ctx;

  it("a prefix is a plain string prefix: it need not end at a '/'", async () => {
    const storage = ctx.storage();
    const keys = ["snap", "snapshots/a1", "snapshots/a2", "snapshots/b1", "snapshotsx/a", "data/0123", "config"];
    for (const [i, key] of keys.entries()) await storage.put(key, bytesFor(60 + i, i * 3));
    expect(await listKeys(storage, "snapshots/")).toEqual(["snapshots/a1", "snapshots/a2", "snapshots/b1"]);
    expect(await listKeys(storage, "snapshots/a")).toEqual(["snapshots/a1", "snapshots/a2"]);
    expect(await listKeys(storage, "snapshots/a1")).toEqual(["snapshots/a1"]);
    expect(await listKeys(storage, "snap")).toEqual(["snap", "snapshots/a1", "snapshots/a2", "snapshots/b1", "snapshotsx/a"]);
    expect(await listKeys(storage, "snapshots")).toEqual(["snapshots/a1", "snapshots/a2", "snapshots/b1", "snapshotsx/a"]);
    expect(await listKeys(storage, "c")).toEqual(["config"]);
    expect(await listKeys(storage, "")).toEqual([...keys].sort());
    expect(await listKeys(storage)).toEqual([...keys].sort());
    const sizes = Object.fromEntries((await listAll(storage)).map((info) => [info.key, info.size]));
    expect(sizes).toEqual(Object.fromEntries(keys.map((key, i) => [key, i * 3])));
  }, timeoutMs);

  it("lists nested keys at every depth under a prefix", async () => {
    const storage = ctx.storage();
    const keys = ["nested/a", "nested/b/c", "nested/b/d/e", "nested/b/d/f/g", "nestedx"];
    for (const [i, key] of keys.entries()) await storage.put(key, bytesFor(70 + i, 5));
    expect(await listKeys(storage, "nested/")).toEqual(["nested/a", "nested/b/c", "nested/b/d/e", "nested/b/d/f/g"]);
    expect(await listKeys(storage, "nested/b/d")).toEqual(["nested/b/d/e", "nested/b/d/f/g"]);
    expect(await listKeys(storage, "nested/b/d/f/")).toEqual(["nested/b/d/f/g"]);
  }, timeoutMs);

  it("yields nothing for an empty store, an unused prefix, or a prefix longer than every key", async () => {
    const storage = ctx.storage();
    expect(await listAll(storage)).toEqual([]);
    expect(await listAll(storage, "locks/")).toEqual([]);
    await storage.put("locks/l1", bytesFor(80, 1));
    expect(await listAll(storage, "index/")).toEqual([]);
    expect(await listAll(storage, "locks/l1/")).toEqual([]);
    expect(await listAll(storage, "locks/l10")).toEqual([]);
  }, timeoutMs);

  it(`lists many objects (${ctx.manyObjects}) completely, each once, and can stop early`, async () => {
    const storage = ctx.storage();
    const keys = Array.from({ length: ctx.manyObjects }, (_, i) => `data/${hexName(i)}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key, j) => storage.put(key, new Uint8Array((i + j) % 7))));
    }
    for (let i = 0; i < 5; i++) await storage.put(`index/${hexName(i)}`, new Uint8Array(1));
    const listed = await listAll(storage, "data/");
    expect(listed).toHaveLength(keys.length);
    expect(new Set(listed.map((info) => info.key))).toEqual(new Set(keys));
    const sizeOf = new Map(keys.map((key, i) => [key, i % 7]));
    for (const info of listed) expect(info.size, info.key).toBe(sizeOf.get(info.key));
    expect(await listKeys(storage, "index/")).toHaveLength(5);
    let seen = 0;
    for await (const _ of storage.list("data/")) if (++seen === 10) break;
    expect(seen).toBe(10);
  }, timeoutMs);

  it("a malformed prefix is a RangeError delivered by the iterator (never thrown by list itself)", async () => {
    const storage = ctx.storage();
    for (const prefix of ["/", "../", "./", "a//", "Data/", "data\\", "a\u0000", "data/.tmp"]) await expectMisuse(listAll(storage, prefix), RangeError);
    await expectMisuse(listAll(storage, 42 as unknown as string), TypeError);
  }, timeoutMs);
}
