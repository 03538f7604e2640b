// Conformance: put never overwrites. One winner per key however the writers race, and the
// stored bytes are the winner's.
import { expect, it } from "vitest";
import { KeyConflictError, ObjectExistsError } from "../../errors.js";
import { bytesFor, expectSameBytes, expectStorageError, listKeys, type CaseContext } from "./context.js";

export function createOnlyCases(ctx: CaseContext): void {
  const { timeoutMs } = ctx;

  it("a second put of a key rejects with ObjectExistsError and leaves the original intact", async () => {
    const storage = ctx.storage();
    const first = bytesFor(10, 300);
    await storage.put("snapshots/s1", first);
    await expectStorageError(storage.put("snapshots/s1", bytesFor(11, 300)), ObjectExistsError, "snapshots/s1");
    await expectStorageError(storage.put("snapshots/s1", bytesFor(12, 10)), ObjectExistsError, "snapshots/s1");
    await expectStorageError(storage.put("snapshots/s1", new Uint8Array(0)), ObjectExistsError, "snapshots/s1");
    expectSameBytes(await storage.get("snapshots/s1"), first);
  }, timeoutMs);

  it("racing puts of one key: exactly one wins and the object holds the winner's bytes", async () => {
    const storage = ctx.storage();
    const writers = 8;
    const keys = ["locks/race-a", "locks/race-b", "locks/race-c", "locks/race-d"];
    const payload = (k: number, w: number) => bytesFor(1000 + k * writers + w, 64 * 1024 + w);
    const results = await Promise.all(
      keys.map((key, k) => Promise.allSettled(Array.from({ length: writers }, (_, w) => storage.put(key, payload(k, w))))),
    );
    for (const [k, key] of keys.entries()) {
      const outcomes = results[k]!;
      const winners = outcomes.flatMap((o, w) => (o.status === "fulfilled" ? [w] : []));
      expect(winners, `winners for ${key}`).toHaveLength(1);
      for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ObjectExistsError);
      expectSameBytes(await storage.get(key), payload(k, winners[0]!), key);
    }
  }, timeoutMs);

  it("concurrent puts of different keys all land", async () => {
    const storage = ctx.storage();
    const keys = Array.from({ length: 64 }, (_, i) => `index/part-${i.toString().padStart(2, "0")}`);
    await Promise.all(keys.map((key, i) => storage.put(key, bytesFor(2000 + i, 1000 + i))));
    expect(await listKeys(storage, "index/")).toEqual(keys);
    for (const [i, key] of keys.entries()) expectSameBytes(await storage.get(key), bytesFor(2000 + i, 1000 + i), key);
  }, timeoutMs);

  it("a key that is also a directory of other keys is either refused with KeyConflictError or stored independently", async () => {
    const storage = ctx.storage();
    const pairs: [first: string, second: string][] = [
      ["tree/a", "tree/a/b"],
      ["tree/c/d", "tree/c"],
    ];
    for (const [first, second] of pairs) {
      await storage.put(first, bytesFor(20, 10));
      const outcome = await storage.put(second, bytesFor(21, 20)).then(
        () => "stored",
        (error: unknown) => error,
      );
      if (outcome === "stored") {
        expectSameBytes(await storage.get(second), bytesFor(21, 20));
      } else {
        expect(outcome).toBeInstanceOf(KeyConflictError);
        expect(outcome).toMatchObject({ key: second, retryable: false });
        expect(await listKeys(storage, second)).not.toContain(second);
      }
      expectSameBytes(await storage.get(first), bytesFor(20, 10));
    }
  }, timeoutMs);

  it("once a key is deleted, a put stores the new bytes", async () => {
    const storage = ctx.storage();
    await storage.put("locks/l1", bytesFor(30, 100));
    await storage.delete("locks/l1");
    await storage.put("locks/l1", bytesFor(31, 50));
    expectSameBytes(await storage.get("locks/l1"), bytesFor(31, 50));
  }, timeoutMs);
}
