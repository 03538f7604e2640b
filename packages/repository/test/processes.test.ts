// Several processes on one filesystem repository (test/children/actor.mjs runs the real code in
// a child process): concurrent writers that never corrupt each other and dedupe against what is
// indexed; a writer SIGKILLed mid-pack; prune SIGKILLed at many points; prune and a backup at
// the same time. After each, `check --read-data` passes and every snapshot reads back whole.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SnapshotId } from "@cairn/manifest";
import { FileSystemStorage } from "@cairn/storage/fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openRepository, type OpenOptions, type Repository } from "../src/index.js";
import { Actor, type ActorJob } from "./actor.js";
import { backup, keysOf, newRepo, pruneScenario, readSnapshotFully } from "./helpers.js";

const JS = inject("repositoryJs");
const STALE: OpenOptions = { lock: { now: () => Date.now() + 31 * 60_000 } }; // a killed process's lock is stale by then
const roots: string[] = [];

async function freshRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "cairn-procs-"));
  roots.push(root);
  return root;
}

afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

const start = (job: ActorJob) => new Actor(JS, job);

async function open(root: string, options: OpenOptions = {}): Promise<Repository> {
  return openRepository(new FileSystemStorage(root), "correct horse", options);
}

/** check --read-data passes, and every snapshot in the repository reads back whole. */
async function assertHealthy(root: string, where: string): Promise<SnapshotId[]> {
  const repo = await open(root);
  const report = await repo.check({ readData: true });
  expect(report.ok, `${where}: ${JSON.stringify(report.problems.filter((p) => p.severity === "error"))}`).toBe(true);
  const ids = (await repo.listSnapshots()).map((s) => s.id);
  for (const id of ids) expect(await readSnapshotFully(repo, id), `${where}: snapshot ${id}`).toBeGreaterThan(0);
  return ids;
}

/** Prunes until nothing unindexed or obsolete is left (debris goes at its second sighting). */
async function pruneClean(root: string): Promise<void> {
  const repo = await open(root, STALE);
  await repo.prune({ graceMs: 0 });
  await repo.prune({ graceMs: 0 });
  const report = await repo.check();
  expect(report.problems.map((p) => `${p.kind} ${p.object}`)).toEqual([]);
}

describe("separate processes on one filesystem repository", () => {
  it("two concurrent writers never corrupt each other and dedupe against what the other indexed", async () => {
    const root = await freshRoot();
    await (await newRepo(new FileSystemStorage(root))).close();
    // A stores and indexes shared content first; B, already running, must find it indexed.
    const a = start({ root, steps: [{ op: "open", indexEvery: 3 }, { op: "save", seed: 10 }, { op: "flush" }, { op: "wait", name: "a" }, { op: "save", seed: 1, files: 6 }, { op: "snapshot" }, { op: "close" }] });
    const b = start({ root, steps: [{ op: "open", indexEvery: 3 }, { op: "wait", name: "b" }, { op: "save", seed: 10 }, { op: "save", seed: 2, files: 6 }, { op: "save", seed: 3, files: 2 }, { op: "snapshot" }, { op: "close" }] });
    await a.reached("a");
    await b.release("b");
    const shared = await b.next((e) => e.event === "saved" && e.seed === 10);
    expect(shared.added).toBe(0); // every blob was already indexed by A
    await a.release("a"); // now both write at once, each writing many small index objects
    await Promise.all([a.succeeded(), b.succeeded()]);
    const ids = await assertHealthy(root, "after two writers");
    expect(ids).toHaveLength(2);
    expect((await keysOf(new FileSystemStorage(root), "index/")).length).toBeGreaterThan(4);
    // A third process finds everything both stored.
    const c = start({ root, steps: [{ op: "open" }, { op: "save", seed: 1, files: 6 }, { op: "save", seed: 2, files: 6 }, { op: "close" }] });
    await c.succeeded();
    expect(c.events.filter((e) => e.event === "saved").map((e) => e.added)).toEqual([0, 0]);
    await pruneClean(root);
    expect(await assertHealthy(root, "after prune")).toEqual(ids);
  });

  it("two writers racing on the same new content both succeed; duplicates are harmless and pruned", async () => {
    const root = await freshRoot();
    await (await newRepo(new FileSystemStorage(root))).close();
    const steps = [{ op: "open" as const }, { op: "save" as const, seed: 5, files: 4 }, { op: "snapshot" as const }, { op: "close" as const }];
    const [a, b] = [start({ root, steps }), start({ root, steps })];
    await Promise.all([a.succeeded(), b.succeeded()]);
    await assertHealthy(root, "after the race");
    await pruneClean(root);
    const ids = await assertHealthy(root, "after prune");
    expect(ids).toHaveLength(2);
  });

  it("a writer SIGKILLed mid-pack leaves only unreferenced objects: check passes, prune collects them", async () => {
    const root = await freshRoot();
    const repo = await newRepo(new FileSystemStorage(root));
    const before = await backup(repo, 1, { files: 2, chunks: 2, chunkBytes: 30_000 });
    await repo.close();
    // Small packs, an index object every four blobs: killed right after its third pack upload
    // (before that pack's index write can follow it), with earlier packs indexed, the third
    // uploaded but unindexed, and the next one being filled.
    const writer = start({ root, kill: { after: 2, when: "after", keyPrefix: "data/" }, steps: [{ op: "open", indexEvery: 4 }, { op: "save", seed: 7, files: 40, chunks: 2 }, { op: "snapshot" }, { op: "close" }] });
    expect((await writer.ended).signal).toBe("SIGKILL");
    const puts = writer.events.filter((e) => e.event === "mutation").map((e) => String(e.key).split("/")[0]);
    expect(puts.filter((k) => k === "data")).toHaveLength(3);
    expect(puts).toContain("index");
    expect(writer.events.some((e) => e.event === "snapshot")).toBe(false);
    const report = await (await open(root)).check({ readData: true });
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    expect(report.problems.every((p) => p.severity === "warning")).toBe(true);
    expect(report.problems.map((p) => p.kind)).toContain("pack-unindexed"); // it did die mid-stream
    expect(await assertHealthy(root, "after the killed writer")).toEqual([before.id]);
    await pruneClean(root);
    expect(await assertHealthy(root, "after prune")).toEqual([before.id]);
  });

  describe("prune SIGKILLed", () => {
    let base: string;
    let kept: SnapshotId[];
    let steps = 0;
    beforeAll(async () => {
      base = await freshRoot();
      ({ kept } = await pruneScenario(new FileSystemStorage(base)));
      // How many mutating calls a whole prune makes here (a clean run on a copy).
      const copy = await freshRoot();
      await cp(base, copy, { recursive: true });
      const clean = start({ root: copy, steps: [{ op: "open" }, { op: "prune" }] });
      await clean.succeeded();
      steps = clean.events.filter((e) => e.event === "mutation").length;
    });

    it("at points spread over the whole run: check passes, kept snapshots are whole, a later prune finishes", async () => {
      expect(steps).toBeGreaterThan(15);
      // Every third call, alternately just before and just after it reaches the store.
      const points = Array.from({ length: steps }, (_, n) => n).filter((n) => n % 3 === 1 || n === steps - 2);
      for (const n of points) {
        const root = await freshRoot();
        await cp(base, root, { recursive: true });
        const kill = { after: n, when: n % 2 === 0 ? ("before" as const) : ("after" as const) };
        const pruner = start({ root, kill, steps: [{ op: "open" }, { op: "prune" }] });
        const ended = await pruner.ended;
        const where = `SIGKILL ${kill.when} mutation ${n} of ${steps}`;
        expect(ended.signal, where).toBe("SIGKILL");
        expect((await assertHealthy(root, where)).sort(), where).toEqual([...kept].sort());
        await pruneClean(root);
        expect((await assertHealthy(root, `${where}, then pruned`)).sort()).toEqual([...kept].sort());
        await rm(root, { recursive: true, force: true });
      }
    });

    it("at random moments (killed by the parent while its calls are slowed down)", async () => {
      let killedMidway = 0;
      let seed = 12345;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let round = 0; round < 3; round++) {
        const root = await freshRoot();
        await cp(base, root, { recursive: true });
        const pruner = start({ root, slowMs: 15, steps: [{ op: "open" }, { op: "prune" }] });
        await pruner.next((e) => e.event === "mutation", "a first mutation");
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * steps * 15)));
        pruner.kill();
        if ((await pruner.ended).signal === "SIGKILL") killedMidway++;
        const where = `round ${round}, killed after ${pruner.events.filter((e) => e.event === "mutation").length} mutations`;
        expect((await assertHealthy(root, where)).sort()).toEqual([...kept].sort());
        await pruneClean(root);
        expect((await assertHealthy(root, `${where}, then pruned`)).sort()).toEqual([...kept].sort());
      }
      expect(killedMidway).toBeGreaterThan(0);
    });
  });

  describe("prune and a backup at the same time", () => {
    it("a prune while a backup holds its lock is refused; the backup finishes intact", async () => {
      const root = await freshRoot();
      const repo = await newRepo(new FileSystemStorage(root));
      const old = await backup(repo, 1, { files: 2, chunks: 2, chunkBytes: 30_000 });
      await repo.close();
      const writer = start({ root, steps: [{ op: "open" }, { op: "save", seed: 1, files: 2 }, { op: "save", seed: 8, files: 3 }, { op: "flush" }, { op: "wait", name: "go" }, { op: "save", seed: 9, files: 3 }, { op: "snapshot" }, { op: "close" }] });
      await writer.reached("go");
      const admin = await open(root);
      await admin.deleteSnapshot(old.id); // the backup is re-using the old snapshot's blobs
      await expect(admin.prune({ graceMs: 0 })).rejects.toMatchObject({ name: "RepositoryLockedError" });
      await writer.release("go");
      await writer.succeeded();
      const ids = await assertHealthy(root, "after the backup");
      expect(ids).toHaveLength(1);
      await pruneClean(root);
      expect(await assertHealthy(root, "after prune")).toEqual(ids);
    });

    it("a backup while prune holds its lock is refused without writing anything; retried afterwards it succeeds", async () => {
      const root = await freshRoot();
      const { kept } = await pruneScenario(new FileSystemStorage(root));
      // A pruner that pauses right after writing its new index (before deleting anything).
      const pruner = start({ root, pause: { operation: "put", keyPrefix: "index/" }, steps: [{ op: "open" }, { op: "prune" }] });
      await pruner.reached("pause");
      const storage = new FileSystemStorage(root);
      const snapshotsBefore = await keysOf(storage, "snapshots/");
      const packsBefore = await keysOf(storage, "data/");
      const writer = await open(root);
      await expect(backup(writer, 2, { files: 1, chunks: 1 })).rejects.toMatchObject({ name: "RepositoryLockedError" });
      expect(await keysOf(storage, "snapshots/")).toEqual(snapshotsBefore);
      expect(await keysOf(storage, "data/")).toEqual(packsBefore);
      await pruner.release("pause");
      await pruner.succeeded();
      const done = await backup(writer, 2, { files: 1, chunks: 1 }); // the same session, retried
      const ids = await assertHealthy(root, "after prune and the retried backup");
      expect(ids.sort()).toEqual([...kept, done.id].sort());
    });

    it("backups and prunes started together in many rounds: whoever wins, nothing is lost", async () => {
      const root = await freshRoot();
      await (await newRepo(new FileSystemStorage(root))).close();
      const written: string[] = [];
      for (let round = 0; round < 3; round++) {
        const b = start({ root, steps: [{ op: "open" }, { op: "save", seed: round, files: 3 }, { op: "save", seed: 100 + round, files: 2 }, { op: "snapshot" }, { op: "close" }] });
        const p = start({ root, steps: [{ op: "open" }, { op: "prune" }] });
        await Promise.all([b.ended, p.ended]);
        const snap = b.events.find((e) => e.event === "snapshot");
        if (snap) written.push(String(snap.id));
        else expect(b.events.at(-1), `round ${round}: backup`).toMatchObject({ event: "error", name: "RepositoryLockedError" });
        if (!p.events.some((e) => e.event === "pruned")) expect(p.events.at(-1), `round ${round}: prune`).toMatchObject({ event: "error", name: "RepositoryLockedError" });
        const ids = await assertHealthy(root, `round ${round}`);
        expect(ids.sort()).toEqual([...written].sort());
        if (round === 1) {
          const { removed } = await (await open(root)).forget({ last: 1 }, { groupBy: ["paths"] });
          written.splice(0, written.length, ...written.filter((id) => !removed.includes(id as SnapshotId)));
        }
      }
      expect(written.length).toBeGreaterThan(0);
    });
  });
});
