// Prune interrupted at every one of its writes and deletes (fault injection through
// @cairn/storage's withFaults), on memory and filesystem storage: afterwards `check` passes, every
// remaining snapshot reads back whole, and later prunes finish the job and leave no garbage.
// The same, with real SIGKILLs of a separate process, is in test/processes.test.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStorage, type Storage } from "@cairn/storage";
import { FileSystemStorage } from "@cairn/storage/fs";
import { withFaults, type Fault } from "@cairn/storage/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { openRepository } from "../index.js";
import { cloneStorage, keysOf, pruneScenario, readSnapshotFully } from "../../test/helpers.js";

const STALE = { now: () => Date.now() + 31 * 60_000 }; // the interrupted prune's lock is stale by then

const BACKENDS = [
  { name: "memory", fresh: async () => ({ storage: new MemoryStorage() as Storage, done: async () => undefined }) },
  {
    name: "filesystem",
    fresh: async () => {
      const root = await mkdtemp(join(tmpdir(), "cairn-prune-crash-"));
      return { storage: new FileSystemStorage(root) as Storage, done: () => rm(root, { recursive: true, force: true }) };
    },
  },
];

for (const backend of BACKENDS) {
  describe(`prune interrupted at every step on ${backend.name} storage`, () => {
    const base = new MemoryStorage();
    let scenario: Awaited<ReturnType<typeof pruneScenario>>;
    let steps: { operation: "put" | "delete"; key: string }[] = [];
    let expectedBlobs: number[] = [];

    beforeAll(async () => {
      scenario = await pruneScenario(base);
      const repo = await openRepository(base, "correct horse");
      expectedBlobs = await Promise.all(scenario.kept.map((id) => readSnapshotFully(repo, id)));
      // A clean run through a wrapper that only records: the sequence of mutating calls.
      const counting = withFaults(await cloneStorage(base), { seed: 1, rules: [{ fault: { kind: "latency", ms: 0 }, operations: ["put", "delete"] }] });
      await (await openRepository(counting, "correct horse")).prune({ graceMs: 0 });
      steps = counting.injected.map((f) => ({ operation: f.operation as "put" | "delete", key: f.key }));
    });

    it("the clean run repacks, writes an index, deletes old index objects and packs", () => {
      const kinds = steps.map((s) => `${s.operation} ${s.key.split("/")[0]}`);
      for (const k of ["put data", "put index", "delete index", "delete data", "put locks", "delete locks"]) expect(kinds).toContain(k);
      expect(steps.length).toBeGreaterThan(15);
    });

    it("after a failure at any step: check passes, kept snapshots are whole, and prune completes later", async () => {
      for (let k = 0; k < steps.length; k++) {
        const step = steps[k]!;
        const nth = steps.slice(0, k).filter((s) => s.operation === step.operation).length;
        const fault: Fault = step.operation === "put" ? (k % 2 === 0 ? { kind: "crash" } : { kind: "fail-after" }) : k % 2 === 0 ? { kind: "fail-before" } : { kind: "fail-after" };
        const { storage, done } = await backend.fresh();
        try {
          await cloneStorage(base, storage);
          const faulty = withFaults(storage, { seed: k, rules: [{ fault, operations: [step.operation], skip: nth, times: 1 }] });
          const interrupted = await (await openRepository(faulty, "correct horse")).prune({ graceMs: 0 }).then(
            () => undefined,
            (e: unknown) => e,
          );
          const where = `step ${k} (${fault.kind} on ${step.operation} ${step.key.split("/")[0]})`;
          expect(faulty.injected.length, where).toBe(1);
          // The last step is the lock's release, whose failure prune ignores; every other one stops it.
          if (k < steps.length - 1) expect(interrupted, where).toBeInstanceOf(Error);

          const after = await openRepository(storage, "correct horse");
          const report = await after.check({ readData: true });
          expect(report.ok, `${where}: ${JSON.stringify(report.problems.filter((p) => p.severity === "error"))}`).toBe(true);
          expect(await Promise.all(scenario.kept.map((id) => readSnapshotFully(after, id))), where).toEqual(expectedBlobs);

          // Recovery: two more prunes (unindexed debris is deleted at its second sighting).
          const recovery = await openRepository(storage, "correct horse", { lock: STALE });
          await recovery.removeLocks();
          await recovery.prune({ graceMs: 0 });
          await recovery.prune({ graceMs: 0 });
          const final = await recovery.check({ readData: true });
          expect(final.ok, where).toBe(true);
          expect(final.problems.map((p) => `${p.kind} ${p.object}`), where).toEqual([]);
          expect(await Promise.all(scenario.kept.map((id) => readSnapshotFully(recovery, id))), where).toEqual(expectedBlobs);
          expect((await keysOf(storage, "snapshots/")).length, where).toBe(scenario.kept.length);
        } finally {
          await done();
        }
      }
    });
  });
}

