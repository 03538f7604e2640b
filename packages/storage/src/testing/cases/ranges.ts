// Conformance: ranged reads return exactly the bytes asked for, or fail; never a short read.
import { expect, it } from "vitest";
import { ObjectNotFoundError, RangeNotSatisfiableError } from "../../errors.js";
import type { ByteRange } from "../../storage.js";
import { bytesFor, expectMisuse, expectSameBytes, expectStorageError, type CaseContext } from "./context.js";

export function rangeCases(ctx: CaseContext): void {
  const { timeoutMs } = ctx;
  const data = bytesFor(40, 1000);

  it("reads ranges at the start, in the middle, at the end and over the whole object", async () => {
    const storage = ctx.storage();
    await storage.put("data/ranged", data);
    for (const { offset, length } of [
      { offset: 0, length: 10 },
      { offset: 500, length: 37 },
      { offset: 990, length: 10 },
      { offset: 0, length: 1000 },
      { offset: 999, length: 1 },
    ]) {
      expectSameBytes(await storage.get("data/ranged", { offset, length }), data.slice(offset, offset + length), `range ${offset}+${length}`);
    }
  }, timeoutMs);

  it("a zero-length range anywhere from 0 to the size returns empty bytes", async () => {
    const storage = ctx.storage();
    await storage.put("data/ranged", data);
    await storage.put("data/empty", new Uint8Array(0));
    for (const offset of [0, 500, 1000]) expectSameBytes(await storage.get("data/ranged", { offset, length: 0 }), new Uint8Array(0), `range ${offset}+0`);
    expectSameBytes(await storage.get("data/empty", { offset: 0, length: 0 }), new Uint8Array(0));
  }, timeoutMs);

  it("a range that does not lie inside the object rejects with RangeNotSatisfiableError", async () => {
    const storage = ctx.storage();
    await storage.put("data/ranged", data);
    await storage.put("data/empty", new Uint8Array(0));
    const cases: [string, ByteRange, number][] = [
      ["data/ranged", { offset: 995, length: 10 }, 1000],
      ["data/ranged", { offset: 1000, length: 1 }, 1000],
      ["data/ranged", { offset: 1001, length: 0 }, 1000],
      ["data/ranged", { offset: 0, length: 1001 }, 1000],
      ["data/ranged", { offset: 5000, length: 5 }, 1000],
      ["data/empty", { offset: 0, length: 1 }, 0],
    ];
    for (const [key, range, size] of cases) {
      const error = await expectStorageError(storage.get(key, range), RangeNotSatisfiableError, key);
      expect(error, `range ${range.offset}+${range.length}`).toMatchObject({ size, offset: range.offset, length: range.length });
    }
  }, timeoutMs);

  it("a range on a missing object rejects with ObjectNotFoundError", async () => {
    const storage = ctx.storage();
    await expectStorageError(storage.get("data/nothing-here", { offset: 0, length: 1 }), ObjectNotFoundError, "data/nothing-here");
  }, timeoutMs);

  it("a malformed range is a TypeError or RangeError, checked before the key is looked up", async () => {
    const storage = ctx.storage();
    await storage.put("data/ranged", data);
    await expectMisuse(storage.get("data/ranged", { offset: -1, length: 1 }), RangeError);
    await expectMisuse(storage.get("data/ranged", { offset: 0, length: -1 }), RangeError);
    await expectMisuse(storage.get("data/ranged", { offset: 1.5, length: 1 }), TypeError);
    await expectMisuse(storage.get("data/ranged", { offset: Number.NaN, length: 1 }), TypeError);
    await expectMisuse(storage.get("data/ranged", { offset: 0 } as ByteRange), TypeError);
    await expectMisuse(storage.get("data/ranged", { offset: Number.MAX_SAFE_INTEGER, length: 2 }), RangeError);
    await expectMisuse(storage.get("data/nothing-here", { offset: -1, length: 1 }), RangeError);
  }, timeoutMs);
}
