// withFaults: faults are injected exactly where the plan says, reproducibly from the seed.
import { describe, expect, it } from "vitest";
import { MemoryStorage, StorageError, StorageUnavailableError } from "../index.js";
import { seededBytes, withFaults, type FaultPlan } from "./index.js";

async function outcomes(plan: FaultPlan, calls: number) {
  const memory = new MemoryStorage();
  await memory.put("config", new Uint8Array(8));
  const faulty = withFaults(memory, plan);
  const results: string[] = [];
  for (let i = 0; i < calls; i++) results.push(await faulty.get("config").then(() => "ok", (e: Error) => e.name));
  return { results, injected: faulty.injected };
}

describe("withFaults", () => {
  it("injects the same faults for the same seed and calls, and different ones for another seed", async () => {
    const plan = (seed: number): FaultPlan => ({ seed, rules: [{ fault: { kind: "fail-before" }, probability: 0.3 }] });
    const a = await outcomes(plan(1), 200);
    const b = await outcomes(plan(1), 200);
    const c = await outcomes(plan(2), 200);
    expect(b).toEqual(a);
    expect(c.results).not.toEqual(a.results);
    const failures = a.results.filter((r) => r !== "ok").length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
    expect(a.injected).toHaveLength(failures);
  });

  it("fail-before leaves the store untouched; fail-after applies the operation, then throws", async () => {
    const memory = new MemoryStorage();
    const before = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-before" }, times: 1 }] });
    await expect(before.put("a", new Uint8Array(1))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(memory.stat("a")).rejects.toThrow(/not found/);
    const after = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-after" }, times: 2 }] });
    await expect(after.put("a", new Uint8Array(1))).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await memory.stat("a")).toEqual({ size: 1 });
    await expect(after.delete("a")).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(memory.stat("a")).rejects.toThrow(/not found/);
  });

  it("truncate returns a strict prefix and flip-bit flips exactly one bit of a get", async () => {
    const memory = new MemoryStorage();
    const data = seededBytes(5, 4096);
    await memory.put("data/ab", data);
    const truncating = withFaults(memory, { seed: 9, rules: [{ fault: { kind: "truncate" } }] });
    for (let i = 0; i < 20; i++) {
      const got = await truncating.get("data/ab");
      expect(got.length).toBeLessThan(data.length);
      expect(Array.from(got)).toEqual(Array.from(data.subarray(0, got.length)));
    }
    const flipping = withFaults(memory, { seed: 9, rules: [{ fault: { kind: "flip-bit" } }] });
    for (let i = 0; i < 20; i++) {
      const got = await flipping.get("data/ab", { offset: 100, length: 1000 });
      let bits = 0;
      got.forEach((b, j) => (bits += popcount(b ^ data[100 + j]!)));
      expect(bits).toBe(1);
    }
    expect(flipping.injected).toHaveLength(20);
    expect(Array.from(await memory.get("data/ab"))).toEqual(Array.from(data)); // the store itself is intact
  });

  it("selects calls by operation, key prefix, skip and times", async () => {
    const memory = new MemoryStorage();
    const faulty = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-before" }, operations: ["put"], keyPrefix: "data/", skip: 2, times: 2 }] });
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(await faulty.put(`data/k${i}`, new Uint8Array(1)).then(() => "ok", () => "fail"));
    await faulty.put("index/k", new Uint8Array(1));
    await faulty.get("data/k0");
    expect(results).toEqual(["ok", "ok", "fail", "fail", "ok", "ok"]);
    expect(faulty.injected.map((f) => [f.call, f.operation, f.key, f.kind])).toEqual([
      [2, "put", "data/k2", "fail-before"],
      [3, "put", "data/k3", "fail-before"],
    ]);
  });

  it("a crash on a backend that cannot leave debris stores nothing", async () => {
    const memory = new MemoryStorage();
    const faulty = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "crash" }, times: 1 }] });
    await expect(faulty.put("data/ab", new Uint8Array(100))).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(faulty.injected[0]).toMatchObject({ kind: "crash", key: "data/ab" });
    await expect(memory.stat("data/ab")).rejects.toThrow(/not found/);
  });

  it("latency delays the call; retryable: false makes a failure final", async () => {
    const memory = new MemoryStorage();
    const slow = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "latency", ms: 40 } }] });
    const start = performance.now();
    await slow.put("a", new Uint8Array(1));
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
    const final = withFaults(memory, { seed: 1, rules: [{ fault: { kind: "fail-before", retryable: false } }] });
    await expect(final.get("a")).rejects.toSatisfy((e) => e instanceof StorageError && !e.retryable && !(e instanceof StorageUnavailableError));
  });

  it("keeps misuse as misuse, and validates the plan", async () => {
    const faulty = withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "fail-before" } }] });
    await expect(faulty.put("../x", new Uint8Array(1))).rejects.toBeInstanceOf(RangeError);
    expect(faulty.injected).toEqual([]);
    expect(() => withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "fail-before" }, probability: 2 }] })).toThrow(RangeError);
    expect(() => withFaults(new MemoryStorage(), { seed: -1, rules: [] })).toThrow(RangeError);
    expect(() => withFaults(new MemoryStorage(), { seed: 1, rules: [{ fault: { kind: "explode" } as never }] })).toThrow(RangeError);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
