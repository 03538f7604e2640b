// Conformance: bytes go in and come back out unchanged, whole, and independent of the
// caller's buffers; nobody ever sees half an object.
import { expect, it } from "vitest";
import { ObjectNotFoundError, StorageError } from "../../errors.js";
import { bytesFor, expectSameBytes, listAll, rejection, type CaseContext } from "./context.js";

export function readWriteCases(ctx: CaseContext): void {
  const { timeoutMs } = ctx;

  it("round-trips bytes and reports their size in stat and list", async () => {
    const storage = ctx.storage();
    const data = bytesFor(1, 1000);
    await storage.put("config", data);
    expectSameBytes(await storage.get("config"), data);
    expect(await storage.stat("config")).toEqual({ size: 1000 });
    expect(await listAll(storage, "config")).toEqual([{ key: "config", size: 1000 }]);
  }, timeoutMs);

  it("stores an empty object", async () => {
    const storage = ctx.storage();
    await storage.put("locks/empty", new Uint8Array(0));
    expectSameBytes(await storage.get("locks/empty"), new Uint8Array(0));
    expect(await storage.stat("locks/empty")).toEqual({ size: 0 });
    expect(await listAll(storage, "locks/")).toEqual([{ key: "locks/empty", size: 0 }]);
  }, timeoutMs);

  it("round-trips a multi-MiB object", async () => {
    const storage = ctx.storage();
    const data = bytesFor(2, ctx.largeObjectBytes);
    await storage.put("data/large", data);
    expect(await storage.stat("data/large")).toEqual({ size: data.length });
    expectSameBytes(await storage.get("data/large"), data);
  }, timeoutMs);

  it("stores exactly the bytes of a view, not its whole underlying buffer", async () => {
    const storage = ctx.storage();
    const backing = bytesFor(3, 4096);
    const view = backing.subarray(100, 600);
    await storage.put("index/view", view);
    expectSameBytes(await storage.get("index/view"), backing.slice(100, 600));
  }, timeoutMs);

  it("copies data in: changing the caller's buffer after put leaves the object as stored", async () => {
    const storage = ctx.storage();
    const data = bytesFor(4, 512);
    const original = data.slice();
    await storage.put("keys/k1", data);
    data.fill(0xaa);
    expectSameBytes(await storage.get("keys/k1"), original);
  }, timeoutMs);

  it("copies data out: changing a returned buffer (whole or ranged) leaves the object as stored", async () => {
    const storage = ctx.storage();
    const data = bytesFor(5, 512);
    await storage.put("keys/k2", data);
    (await storage.get("keys/k2")).fill(0x55);
    (await storage.get("keys/k2", { offset: 10, length: 20 })).fill(0x55);
    expectSameBytes(await storage.get("keys/k2"), data);
  }, timeoutMs);

  it("readers never see a partial object while a put is in flight", async () => {
    const storage = ctx.storage();
    const data = bytesFor(6, ctx.largeObjectBytes);
    let done = false;
    const put = storage.put("data/visible", data).finally(() => {
      done = true;
    });
    while (!done) {
      const stat = await storage.stat("data/visible").then(
        (s) => s.size,
        (error: unknown) => (error instanceof ObjectNotFoundError ? "missing" : Promise.reject(error)),
      );
      expect([data.length, "missing"]).toContain(stat);
      for (const info of await listAll(storage, "data/")) expect(info).toEqual({ key: "data/visible", size: data.length });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await put;
    expectSameBytes(await storage.get("data/visible"), data);
  }, timeoutMs);

  it("after close, operations reject with a StorageError and close again does nothing", async (test) => {
    const storage = ctx.storage();
    if (storage.close === undefined) return test.skip();
    await storage.put("config", bytesFor(7, 10));
    await storage.close();
    await storage.close();
    for (const attempt of [storage.get("config"), storage.put("config2", new Uint8Array(1)), storage.stat("config"), storage.delete("config"), listAll(storage)]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ retryable: false });
    }
  }, timeoutMs);
}
