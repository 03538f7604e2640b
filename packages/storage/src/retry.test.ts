// withRetry: which failures are retried, how long it waits, and how a create-only put whose
// outcome is unknown is resolved. Also: the conformance suite over a faulty memory store.
import { describe, expect, it } from "vitest";
import {
  MemoryStorage,
  ObjectExistsError,
  ObjectNotFoundError,
  StorageError,
  StorageUnavailableError,
  withRetry,
  type ObjectInfo,
  type RetryEvent,
  type Storage,
} from "./index.js";
import { describeStorageConformance, withFaults } from "./testing/index.js";

describeStorageConformance("withRetry(withFaults(MemoryStorage)) with transient faults", async () => {
  const faulty = withFaults(new MemoryStorage(), {
    seed: 42,
    rules: [
      { fault: { kind: "fail-before" }, probability: 0.15 },
      { fault: { kind: "fail-after" }, probability: 0.15 },
      { fault: { kind: "latency", ms: 1 }, probability: 0.05 },
    ],
  });
  return { storage: withRetry(faulty, { attempts: 12, baseDelayMs: 0, maxDelayMs: 0 }) };
});

const fast = { baseDelayMs: 0, maxDelayMs: 0 };

async function listKeys(storage: Storage, prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of storage.list(prefix)) keys.push(info.key);
  return keys;
}

describe("withRetry", () => {
  it("retries a retryable failure until the call succeeds, reporting each retry", async () => {
    const memory = new MemoryStorage();
    await memory.put("config", new Uint8Array([1, 2, 3]));
    const faulty = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-before" }, operations: ["get"], times: 3 }] });
    const events: RetryEvent[] = [];
    const storage = withRetry(faulty, { ...fast, attempts: 4, onRetry: (e) => events.push(e) });
    expect(Array.from(await storage.get("config"))).toEqual([1, 2, 3]);
    expect(events.map((e) => [e.operation, e.key, e.attempt])).toEqual([
      ["get", "config", 1],
      ["get", "config", 2],
      ["get", "config", 3],
    ]);
    expect(events.every((e) => e.error instanceof StorageUnavailableError)).toBe(true);
  });

  it("gives up after `attempts` tries and rethrows the last error", async () => {
    const faulty = withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "fail-before" } }] });
    await expect(withRetry(faulty, { ...fast, attempts: 3 }).stat("config")).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(faulty.injected).toHaveLength(3);
  });

  it("never retries final errors or misuse", async () => {
    const final = withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "fail-before", retryable: false }, times: 1 }] });
    await expect(withRetry(final, fast).stat("config")).rejects.toSatisfy((e) => e instanceof StorageError && !e.retryable);
    expect(final.injected).toHaveLength(1);

    const events: RetryEvent[] = [];
    const storage = withRetry(new MemoryStorage(), { ...fast, onRetry: (e) => events.push(e) });
    await expect(storage.get("config")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.get("../config")).rejects.toBeInstanceOf(RangeError);
    expect(events).toEqual([]);
  });

  it("treats a put whose acknowledgement was lost as done when the stored bytes are ours", async () => {
    const memory = new MemoryStorage();
    const faulty = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-after" }, operations: ["put"], times: 1 }] });
    await withRetry(faulty, fast).put("data/ab", new Uint8Array([9, 9]));
    expect(faulty.injected.map((f) => f.kind)).toEqual(["fail-after"]);
    expect(Array.from(await memory.get("data/ab"))).toEqual([9, 9]);
  });

  it("rethrows ObjectExistsError when another writer stored different bytes between attempts", async () => {
    const memory = new MemoryStorage();
    const faulty = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-before" }, operations: ["put"], times: 1 }] });
    // The other writer's put completes synchronously, during the wait before our second attempt.
    const storage = withRetry(faulty, { ...fast, onRetry: () => void memory.put("data/ab", new Uint8Array([1])) });
    await expect(storage.put("data/ab", new Uint8Array([2]))).rejects.toBeInstanceOf(ObjectExistsError);
    expect(Array.from(await memory.get("data/ab"))).toEqual([1]);
    // Same length, different bytes: the content comparison, not just the size, decides.
    const again = withRetry(withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-before" }, operations: ["put"], times: 1 }] }), {
      ...fast,
      onRetry: () => void memory.put("data/cd", new Uint8Array([1, 2, 3])),
    });
    await expect(again.put("data/cd", new Uint8Array([1, 2, 4]))).rejects.toBeInstanceOf(ObjectExistsError);
  });

  it("refuses a put of an existing key without an earlier failure, even with identical bytes", async () => {
    const memory = new MemoryStorage();
    await memory.put("data/ab", new Uint8Array([1]));
    await expect(withRetry(memory, fast).put("data/ab", new Uint8Array([1]))).rejects.toBeInstanceOf(ObjectExistsError);
  });

  it("restarts a listing that failed midway and yields each key once", async () => {
    const memory = new MemoryStorage();
    const keys = Array.from({ length: 50 }, (_, i) => `index/${String(i).padStart(2, "0")}`);
    for (const key of keys) await memory.put(key, new Uint8Array(1));
    const faulty = withFaults(memory, { seed: 3, rules: [{ fault: { kind: "fail-after" }, operations: ["list"], times: 3 }] });
    const listed = await listKeys(withRetry(faulty, fast), "index/");
    expect(faulty.injected).toHaveLength(3);
    expect(faulty.injected.some((f) => (f.detail ?? 0) > 0)).toBe(true); // at least one failed after yielding
    expect(listed.sort()).toEqual(keys);
  });

  it("counts only failures without progress against a listing's attempts", async () => {
    const keys = ["a", "b", "c", "d", "e"];
    let calls = 0;
    // Each listing yields one key more than the previous one did, then fails.
    const memory = new MemoryStorage();
    const flaky: Storage = {
      put: (key, data) => memory.put(key, data),
      get: (key, range) => memory.get(key, range),
      stat: (key) => memory.stat(key),
      delete: (key) => memory.delete(key),
      async *list(): AsyncGenerator<ObjectInfo> {
        const n = ++calls;
        for (const key of keys.slice(0, n)) yield { key, size: 0 };
        if (n < keys.length) throw new StorageUnavailableError("connection reset");
      },
    };
    expect(await listKeys(withRetry(flaky, { ...fast, attempts: 2 }))).toEqual(keys);
    expect(calls).toBe(5);
  });

  it("waits exponentially longer, up to the cap, with jitter within [0, delay]", async () => {
    const always = () => withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "fail-before" } }] });
    const exact: number[] = [];
    await expect(withRetry(always(), { attempts: 5, baseDelayMs: 4, maxDelayMs: 10, jitter: 0, onRetry: (e) => exact.push(e.delayMs) }).stat("x")).rejects.toThrow();
    expect(exact).toEqual([4, 8, 10, 10]);
    const jittered: number[] = [];
    await expect(withRetry(always(), { attempts: 8, baseDelayMs: 2, maxDelayMs: 8, onRetry: (e) => jittered.push(e.delayMs) }).stat("x")).rejects.toThrow();
    const caps = [2, 4, 8, 8, 8, 8, 8];
    jittered.forEach((d, i) => expect(d).toBeLessThanOrEqual(caps[i]!));
    expect(new Set(jittered).size).toBeGreaterThan(1);
  });

  it("stops waiting when its signal or the call's signal aborts", async () => {
    const faulty = withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "fail-before" } }] });
    const controller = new AbortController();
    const storage = withRetry(faulty, { attempts: 100, baseDelayMs: 60_000, signal: controller.signal, onRetry: () => controller.abort(new Error("shutting down")) });
    await expect(storage.stat("config")).rejects.toThrow("shutting down");
    const call = new AbortController();
    const slow = withRetry(faulty, { attempts: 100, baseDelayMs: 60_000, onRetry: () => call.abort(new Error("user cancelled")) });
    await expect(slow.get("config", undefined, { signal: call.signal })).rejects.toThrow("user cancelled");
  });

  it("validates its options", () => {
    const memory = new MemoryStorage();
    expect(() => withRetry(memory, { attempts: 0 })).toThrow(RangeError);
    expect(() => withRetry(memory, { attempts: 1.5 })).toThrow(TypeError);
    expect(() => withRetry(memory, { jitter: 2 })).toThrow(RangeError);
    expect(() => withRetry(memory, { baseDelayMs: -1 })).toThrow(RangeError);
  });
});
