// MemoryStorage: the conformance suite, plus what is specific to holding objects in a Map.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { KeyConflictError, MemoryStorage } from "./index.js";
import { describeStorageConformance } from "./testing/index.js";

describeStorageConformance("MemoryStorage", async () => ({ storage: new MemoryStorage() }));

describe("MemoryStorage", () => {
  it("refuses a key that is also a directory of other keys, in both orders, and allows it once they are gone", async () => {
    const storage = new MemoryStorage();
    await storage.put("a/b/c", new Uint8Array(1));
    await expect(storage.put("a", new Uint8Array(1))).rejects.toBeInstanceOf(KeyConflictError);
    await expect(storage.put("a/b", new Uint8Array(1))).rejects.toBeInstanceOf(KeyConflictError);
    await storage.put("x", new Uint8Array(1));
    await expect(storage.put("x/y", new Uint8Array(1))).rejects.toBeInstanceOf(KeyConflictError);
    await storage.delete("a/b/c");
    await storage.put("a", new Uint8Array(1));
    await storage.put("ab/c", new Uint8Array(1)); // "a" is not a directory prefix of "ab/c"
  });

  it("returns plain Uint8Arrays even when given a Buffer", async () => {
    const storage = new MemoryStorage();
    await storage.put("config", Buffer.from("hello"));
    const out = await storage.get("config");
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(new TextDecoder().decode(out)).toBe("hello");
  });

  it("accepts a Uint8Array made in another realm (regression: the realm test's TextEncoder output was refused)", async () => {
    const storage = new MemoryStorage();
    const foreign = runInNewContext("new Uint8Array([1, 2, 3])") as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    await storage.put("config", foreign);
    expect(Array.from(await storage.get("config"))).toEqual([1, 2, 3]);
  });

  it("honours an aborted signal before doing anything", async () => {
    const storage = new MemoryStorage();
    const signal = AbortSignal.abort(new Error("stop"));
    await expect(storage.put("config", new Uint8Array(1), { signal })).rejects.toThrow("stop");
    await expect(storage.stat("config")).rejects.toThrow(/not found/);
  });
});
