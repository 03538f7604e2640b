// Conformance: missing objects are reported precisely, and delete is idempotent.
import { expect, it } from "vitest";
import { ObjectNotFoundError } from "../../errors.js";
import { bytesFor, expectSameBytes, expectStorageError, listKeys, type CaseContext } from "./context.js";

export function missingCases(ctx: CaseContext): void {
  const { timeoutMs } = ctx;

  it("get and stat of a missing key reject with ObjectNotFoundError naming the key", async () => {
    const storage = ctx.storage();
    await storage.put("keys/present", bytesFor(50, 10));
    await expectStorageError(storage.get("keys/absent"), ObjectNotFoundError, "keys/absent");
    await expectStorageError(storage.stat("keys/absent"), ObjectNotFoundError, "keys/absent");
    // A prefix of a stored key is not a stored key.
    await expectStorageError(storage.get("keys/pres"), ObjectNotFoundError, "keys/pres");
    await expectStorageError(storage.stat("keys"), ObjectNotFoundError, "keys");
  }, timeoutMs);

  it("delete of a missing key resolves (delete is idempotent)", async () => {
    const storage = ctx.storage();
    await expect(storage.delete("locks/never-there")).resolves.toBeUndefined();
    await expect(storage.delete("locks/never-there")).resolves.toBeUndefined();
  }, timeoutMs);

  it("after delete, get and stat reject with ObjectNotFoundError and list omits the key", async () => {
    const storage = ctx.storage();
    await storage.put("locks/a", bytesFor(51, 10));
    await storage.put("locks/ab", bytesFor(52, 10));
    await storage.put("locks/a-b/c", bytesFor(53, 10));
    await storage.delete("locks/a");
    await expectStorageError(storage.get("locks/a"), ObjectNotFoundError, "locks/a");
    await expectStorageError(storage.stat("locks/a"), ObjectNotFoundError, "locks/a");
    expect(await listKeys(storage, "locks/")).toEqual(["locks/a-b/c", "locks/ab"]);
    expectSameBytes(await storage.get("locks/ab"), bytesFor(52, 10));
    await storage.delete("locks/a-b/c");
    expect(await listKeys(storage)).toEqual(["locks/ab"]);
    await expect(storage.delete("locks/a")).resolves.toBeUndefined();
  }, timeoutMs);
}
