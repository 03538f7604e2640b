// FileSystemStorage in one process: the conformance suite in claim mode and under injected
// faults with retry (the default and sharded layouts are in fileSystemStorage.conformance.test.ts,
// a separate file so the two run in parallel), plus what only a directory tree can get wrong:
// where files land, temporary files, claims, foreign files and symlinks, and escaping the root.
// Multi-process behaviour (killed writers, racing processes) is in test/fsProcesses.test.ts.
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyConflictError, ObjectNotFoundError, StorageUnavailableError, withRetry } from "../index.js";
import { describeStorageConformance, withFaults } from "../testing/index.js";
import { FileSystemStorage, type FileSystemStorageOptions } from "./index.js";

async function fixture(options?: FileSystemStorageOptions) {
  const parent = await mkdtemp(join(tmpdir(), "cairn-fs-"));
  const storage = new FileSystemStorage(join(parent, "store"), options);
  return { storage, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

/** Every path below `dir`, relative, `/`-separated, dot-files included. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map((e) => e.split("\\").join("/")).sort();
}

// These vary how objects are created, not how they are listed, which the default and sharded
// runs already check past 1000 objects; fewer objects keep the file well inside its time budget
// (every put is two fsyncs).
const createVariant = { manyObjects: 300 };
describeStorageConformance("FileSystemStorage, claim mode (no hard links)", () => fixture({ createMode: "claim" }), createVariant);
describeStorageConformance("withRetry(withFaults(FileSystemStorage)) with transient faults and crashed writers", async () => {
  const { storage, cleanup } = await fixture();
  const faulty = withFaults(storage, {
    seed: 7,
    rules: [
      { fault: { kind: "fail-before" }, probability: 0.1 },
      { fault: { kind: "fail-after" }, probability: 0.1 },
      { fault: { kind: "crash" }, probability: 0.1 },
    ],
  });
  return { storage: withRetry(faulty, { attempts: 12, baseDelayMs: 1, maxDelayMs: 4 }), cleanup };
}, createVariant);

describe("FileSystemStorage on disk", () => {
  let parent: string;
  let root: string;
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), "cairn-fs-"));
    root = join(parent, "store");
  });
  afterEach(() => rm(parent, { recursive: true, force: true }));

  it("stores <root>/<key>, sharding only the configured prefixes, with private permissions", async () => {
    const storage = new FileSystemStorage(root, { shardedPrefixes: ["data/"] });
    await storage.put("config", new Uint8Array(1));
    await storage.put("snapshots/ab12", new Uint8Array(2));
    await storage.put("data/ab12cd", new Uint8Array(3));
    expect(await tree(root)).toEqual(["config", "data", "data/ab", "data/ab/ab12cd", "snapshots", "snapshots/ab12"]);
    if (process.platform !== "win32") {
      expect((await stat(join(root, "config"))).mode & 0o777).toBe(0o600 & ~process.umask());
      expect((await stat(join(root, "snapshots"))).mode & 0o777).toBe(0o700 & ~process.umask());
    }
  });

  it("narrows the key space under a sharded prefix with a RangeError", async () => {
    const storage = new FileSystemStorage(root, { shardedPrefixes: ["data/"] });
    await expect(storage.put("data/a", new Uint8Array(1))).rejects.toThrow(RangeError);
    await expect(storage.put("data/ab/cd", new Uint8Array(1))).rejects.toThrow(RangeError);
    await expect(storage.get("data/a")).rejects.toThrow(RangeError);
    expect(() => new FileSystemStorage(root, { shardedPrefixes: ["data"] })).toThrow(RangeError);
    expect(() => new FileSystemStorage(root, { shardedPrefixes: ["data/", "data/x/"] })).toThrow(RangeError);
  });

  it("leaves no temporary file behind, after successful and refused puts", async () => {
    const storage = new FileSystemStorage(root);
    await storage.put("locks/l", new Uint8Array(10));
    await expect(storage.put("locks/l", new Uint8Array(5))).rejects.toThrow(/already exists/);
    await Promise.allSettled(Array.from({ length: 10 }, () => storage.put("locks/race", new Uint8Array(1000))));
    expect(await tree(root)).toEqual(["locks", "locks/l", "locks/race"]);
  });

  it("hides a crashed writer's temporary file from list and get, and cleanupTemporaryFiles removes it by age", async () => {
    const storage = new FileSystemStorage(root);
    await storage.put("index/kept", new Uint8Array(4));
    const faulty = withFaults(storage, { seed: 1, rules: [{ fault: { kind: "crash" }, times: 2 }] });
    await expect(faulty.put("index/lost", new Uint8Array(4096).fill(7))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(faulty.put("data/lost", new Uint8Array(4096).fill(7))).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(faulty.injected.map((f) => f.kind)).toEqual(["crash", "crash"]);
    const temporaries = (await tree(root)).filter((p) => p.includes(".cairn-tmp-"));
    expect(temporaries).toHaveLength(2);
    expect((await stat(join(root, temporaries[0]!))).size).toBeLessThan(4096);
    expect((await collect(storage)).map((o) => o.key)).toEqual(["index/kept"]);
    await expect(storage.get("index/lost")).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await storage.cleanupTemporaryFiles(60 * 60 * 1000)).toBe(0); // too young
    expect(await storage.cleanupTemporaryFiles(0)).toBe(2);
    expect((await tree(root)).filter((p) => p.includes(".cairn-"))).toEqual([]);
    await storage.put("index/lost", new Uint8Array(4));
  });

  it("a claim left by a dead writer blocks only its key, retryably, until cleaned up", async () => {
    const storage = new FileSystemStorage(root, { createMode: "claim" });
    await storage.put("keys/k1", new Uint8Array(1)); // creates keys/
    const { claimPath } = await import("./atomicCreate.js");
    await mkdir(claimPath(join(root, "keys", "k2")));
    const error = await storage.put("keys/k2", new Uint8Array(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ key: "keys/k2", retryable: true });
    await storage.put("keys/k3", new Uint8Array(1));
    expect((await collect(storage)).map((o) => o.key)).toEqual(["keys/k1", "keys/k3"]);
    expect(await storage.cleanupTemporaryFiles(0)).toBe(1);
    await storage.put("keys/k2", new Uint8Array(1));
  });

  it("refuses keys that would be both a file and a directory, and prunes emptied directories on delete", async () => {
    const storage = new FileSystemStorage(root);
    await storage.put("a/b/c", new Uint8Array(1));
    await expect(storage.put("a", new Uint8Array(1))).rejects.toBeInstanceOf(KeyConflictError);
    await expect(storage.put("a/b", new Uint8Array(1))).rejects.toBeInstanceOf(KeyConflictError);
    await expect(storage.get("a/b")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.delete("a/b")).resolves.toBeUndefined();
    await storage.put("x", new Uint8Array(1));
    await expect(storage.put("x/y", new Uint8Array(1))).rejects.toBeInstanceOf(KeyConflictError);
    await storage.delete("a/b/c");
    expect(await tree(root)).toEqual(["x"]);
    await storage.put("a", new Uint8Array(1));
  });

  it("ignores files that are not objects (foreign names, dot-files, symlinks) and never follows a symlink", async () => {
    const storage = new FileSystemStorage(root);
    await storage.put("snapshots/s1", new Uint8Array(3));
    const outside = join(parent, "secret");
    await writeFile(outside, "outside the store");
    await writeFile(join(root, "README"), "not an object");
    await writeFile(join(root, "snapshots", ".DS_Store"), "");
    await symlink(outside, join(root, "snapshots", "s2"));
    expect(await collect(storage)).toEqual([{ key: "snapshots/s1", size: 3 }]);
    await expect(storage.get("snapshots/s2")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.stat("snapshots/s2")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("never writes outside the root, whatever the key", async () => {
    const storage = new FileSystemStorage(root);
    await storage.put("config", new Uint8Array(1));
    const before = await tree(parent);
    for (const key of ["../escape", "a/../../escape", "/tmp/escape", "..\\escape", "data/../../x"]) {
      await expect(storage.put(key, new Uint8Array(1))).rejects.toThrow(RangeError);
    }
    expect(await tree(parent)).toEqual(before);
  });

  it("keeps objects across instances: a store reopened on the same directory reads them back", async () => {
    const first = new FileSystemStorage(root, { shardedPrefixes: ["data/"] });
    await first.put("data/0123456789", new Uint8Array([1, 2, 3]));
    await first.put("config", new Uint8Array([4]));
    await first.close();
    const second = new FileSystemStorage(root, { shardedPrefixes: ["data/"] });
    expect(Array.from(await second.get("data/0123456789"))).toEqual([1, 2, 3]);
    expect((await collect(second)).map((o) => o.key)).toEqual(["config", "data/0123456789"]);
  });

  it("reads a missing root as an empty store and creates it on the first put", async () => {
    const storage = new FileSystemStorage(root);
    expect(await collect(storage)).toEqual([]);
    await expect(storage.get("config")).rejects.toBeInstanceOf(ObjectNotFoundError);
    await storage.put("config", new Uint8Array(1));
    expect(await tree(parent)).toEqual(["store", "store/config"]);
  });
});

async function collect(storage: FileSystemStorage) {
  const out = [];
  for await (const info of storage.list()) out.push(info);
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}
