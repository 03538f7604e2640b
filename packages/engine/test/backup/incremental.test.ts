// Change detection against the parent snapshot: unchanged files are not read (measured with the
// process's own read counter, /proc/self/io) and keep their content lists, unchanged
// directories keep their tree IDs, changed ones are read again, and "latest" finds the right
// parent by host and paths.
import { Buffer } from "node:buffer";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DirNode, FileNode } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { backup, findParentSnapshot, type BackupProgress } from "../../src/index.js";
import { bytesOf, contentOf, newRepo, nodeAt, sandbox, type Sandbox } from "./helpers.js";

/** Bytes this process has read through read(2) and friends so far. */
function bytesReadByProcess(): number {
  const m = /rchar:\s*(\d+)/.exec(readFileSync("/proc/self/io", "utf8"));
  return Number(m![1]);
}

describe("incremental backups", () => {
  let box: Sandbox;
  let repo: Repository;
  beforeEach(async () => {
    // Below a directory of this process's own in the package's (git-ignored) .tmp/, not /tmp:
    // the root tree records every ancestor's mtime, other processes change /tmp's at any
    // moment, and these tests compare root trees.
    box = await sandbox(join(fileURLToPath(new URL("../../.tmp/", import.meta.url)), `incremental-${process.pid}`));
    mkdirSync(join(box.src, "stable/deep"), { recursive: true });
    mkdirSync(join(box.src, "changing"), { recursive: true });
    writeFileSync(join(box.src, "stable/deep/large.bin"), bytesOf(1, 16_000_000));
    writeFileSync(join(box.src, "stable/a.txt"), "a");
    writeFileSync(join(box.src, "changing/log.txt"), "line 1\n");
    writeFileSync(join(box.src, "changing/gone.txt"), "bye");
    repo = await newRepo(box.repoDir);
  });
  afterEach(async () => {
    await repo.close();
    await box.cleanup();
  });
  afterAll(() => rmSync(join(fileURLToPath(new URL("../../.tmp/", import.meta.url)), `incremental-${process.pid}`), { recursive: true, force: true }));

  it("reuses unchanged files without reading them and stores only what changed", async () => {
    const first = await backup(repo, { paths: [box.src] });
    appendFileSync(join(box.src, "changing/log.txt"), "line 2\n");
    rmSync(join(box.src, "changing/gone.txt"));
    writeFileSync(join(box.src, "changing/new.txt"), "new");

    const before = bytesReadByProcess();
    const second = await backup(repo, { paths: [box.src] });
    const read = bytesReadByProcess() - before;
    // The 16 MB file was not read again: the whole backup read far less than its size (what it
    // does read is the worker threads' modules, trees, the index and pack headers: ~3 MB).
    expect(read).toBeLessThan(8_000_000);

    expect(second.parent).toBe(first.snapshotId);
    expect(second.snapshot.parent).toBe(first.snapshotId);
    const s = second.snapshot.stats;
    expect([s.filesNew, s.filesChanged, s.filesUnmodified]).toEqual([1, 1, 2]);
    expect(s.dataBlobsAdded).toBe(2); // new.txt and the new log.txt
    const a = (await nodeAt(repo, first.snapshot.tree, join(box.src, "stable/deep/large.bin"))) as FileNode;
    const b = (await nodeAt(repo, second.snapshot.tree, join(box.src, "stable/deep/large.bin"))) as FileNode;
    expect(b.content).toEqual(a.content);
    // The unchanged directory kept its tree; the changed one got a new tree with the new listing.
    const stableA = (await nodeAt(repo, first.snapshot.tree, join(box.src, "stable"))) as DirNode;
    const stableB = (await nodeAt(repo, second.snapshot.tree, join(box.src, "stable"))) as DirNode;
    expect(stableB.subtree).toBe(stableA.subtree);
    expect(s.dirsUnmodified).toBe(2); // stable, stable/deep
    const log = (await nodeAt(repo, second.snapshot.tree, join(box.src, "changing/log.txt"))) as FileNode;
    expect((await contentOf(repo, log)).toString()).toBe("line 1\nline 2\n");
    expect(await nodeAt(repo, second.snapshot.tree, join(box.src, "changing/gone.txt"))).toBeUndefined();

    // A third backup with no change stores no data and no tree.
    const third = await backup(repo, { paths: [box.src] });
    expect(third.snapshot.stats.dataBlobsAdded).toBe(0);
    expect(third.snapshot.stats.treeBlobsAdded).toBe(0);
    expect(third.snapshot.tree).toBe(second.snapshot.tree);
  });

  it("parent: null reads everything again, but dedupes every blob", async () => {
    await backup(repo, { paths: [box.src] });
    const before = bytesReadByProcess();
    const again = await backup(repo, { paths: [box.src], parent: null });
    expect(bytesReadByProcess() - before).toBeGreaterThan(16_000_000);
    expect(again.parent).toBeNull();
    expect(again.snapshot.stats.filesNew).toBe(4);
    expect(again.snapshot.stats.dataBlobsAdded).toBe(0);
  });

  it("a file whose metadata changed is read again even if its size did not", async () => {
    await backup(repo, { paths: [box.src] });
    writeFileSync(join(box.src, "stable/a.txt"), "b"); // same size, new mtime/ctime
    const second = await backup(repo, { paths: [box.src] });
    expect(second.snapshot.stats.filesChanged).toBe(1);
    const n = (await nodeAt(repo, second.snapshot.tree, join(box.src, "stable/a.txt"))) as FileNode;
    expect((await contentOf(repo, n)).toString()).toBe("b");
  });

  it("latest means the newest snapshot of the same host and the same paths", async () => {
    const one = await backup(repo, { paths: [box.src], host: "h1" });
    await backup(repo, { paths: [box.src], host: "h2" });
    await backup(repo, { paths: [join(box.src, "stable")], host: "h1" });
    expect((await findParentSnapshot(repo, { paths: [box.src], host: "h1" }))?.id).toBe(one.snapshotId);
    expect(await findParentSnapshot(repo, { paths: [join(box.src, "changing")], host: "h1" })).toBeNull();
    const next = await backup(repo, { paths: [box.src], host: "h1" });
    expect(next.parent).toBe(one.snapshotId);
    // An explicit parent is used as given.
    const explicit = await backup(repo, { paths: [box.src], host: "h1", parent: next.snapshotId });
    expect(explicit.parent).toBe(next.snapshotId);
  });

  it("reports progress: totals become final and everything found is done", async () => {
    const reports: BackupProgress[] = [];
    await backup(repo, { paths: [box.src], onProgress: (p) => reports.push(p), progressIntervalMs: 5 });
    const last = reports[reports.length - 1]!;
    expect(last.totalsFinal).toBe(true);
    expect(last.filesDone).toBe(4);
    expect(last.filesTotal).toBe(4);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBe(16_000_000 + 1 + 7 + 3);
    expect(last.etaSeconds).toBe(0);
    expect(last.bytesAdded).toBeGreaterThan(16_000_000);
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.bytesDone).toBeGreaterThanOrEqual(reports[i - 1]!.bytesDone);
  });

  it("records the snapshot's programVersion, agent and configuration", async () => {
    const r = await backup(repo, { paths: [box.src], agentId: "8e4f6a1c-agent", configurationId: "cfg-1", programVersion: "cairn-agent 9.9" });
    expect(r.snapshot).toMatchObject({ agentId: "8e4f6a1c-agent", configurationId: "cfg-1", programVersion: "cairn-agent 9.9" });
    await expect(backup(repo, { paths: [box.src], host: "" })).rejects.toBeInstanceOf(RangeError);
    await expect(backup(repo, { paths: [box.src], workers: 0 })).rejects.toBeInstanceOf(RangeError);
    expect(Buffer.from(r.snapshot.paths[0]!).toString()).toBe(box.src);
  });
});
