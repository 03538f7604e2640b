// Entries that cannot be backed up are reported (path and reason) and the snapshot completes
// "with errors": unreadable files and directories, missing paths, files that change while
// being read. As root, chmod 000 does not stop reads, so the unreadable case runs the backup in
// a child process under an unprivileged uid (spawn's `uid`); otherwise chmod 000 in-process.
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FileNode } from "@cairn/manifest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backup, SelectionError, type BackupFileError } from "../../src/index.js";
import { contentOf, isRoot, newRepo, nodeAt, PASSWORD, reopen, sandbox, TEST_CHUNKER, type Sandbox } from "./helpers.js";

const child = fileURLToPath(new URL("./backupChild.mjs", import.meta.url));
const NOBODY = 65534;

describe("errors during a backup", () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
    mkdirSync(box.src);
  });
  afterEach(() => box.cleanup());

  it("unreadable files and directories are reported and left out; the rest is backed up", async () => {
    writeFileSync(join(box.src, "ok.txt"), "fine");
    writeFileSync(join(box.src, "secret.txt"), "no");
    mkdirSync(join(box.src, "locked"));
    writeFileSync(join(box.src, "locked/inner.txt"), "hidden");
    chmodSync(join(box.src, "secret.txt"), 0o000);
    chmodSync(join(box.src, "locked"), 0o000);
    let errors: readonly BackupFileError[] | readonly { path: string; kind: string; message: string }[];
    let snapshotTree: string;
    if (isRoot) {
      // The child runs as nobody: it needs to traverse the sandbox and write its repository.
      chmodSync(box.dir, 0o755);
      chmodSync(box.src, 0o755);
      chmodSync(join(box.src, "ok.txt"), 0o644);
      mkdirSync(box.repoDir, { mode: 0o777 });
      chmodSync(box.repoDir, 0o777);
      const args = { repoDir: box.repoDir, init: true, password: PASSWORD, chunker: TEST_CHUNKER, packSize: 256 * 1024, options: { paths: [box.src], xattrs: false } };
      const r = spawnSync(process.execPath, [child, JSON.stringify(args)], { uid: NOBODY, gid: NOBODY, encoding: "utf8", cwd: box.dir });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
      errors = out.errors;
      expect(out.errorCount).toBe(2);
      const repo = await reopen(box.repoDir);
      snapshotTree = (await repo.loadSnapshot(out.snapshotId)).tree;
      expect(await nodeAt(repo, snapshotTree as never, join(box.src, "ok.txt"))).toBeDefined();
      expect(await nodeAt(repo, snapshotTree as never, join(box.src, "secret.txt"))).toBeUndefined();
      expect(await nodeAt(repo, snapshotTree as never, join(box.src, "locked"))).toBeUndefined();
      const snap = await repo.loadSnapshot(out.snapshotId);
      expect(snap.errors.map((e) => Buffer.from(e.path).toString()).sort()).toEqual([join(box.src, "locked"), join(box.src, "secret.txt")]);
      await repo.close();
    } else {
      const repo = await newRepo(box.repoDir);
      const result = await backup(repo, { paths: [box.src] });
      errors = result.errors;
      expect(result.snapshot.errorCount).toBe(2);
      expect(await nodeAt(repo, result.snapshot.tree, join(box.src, "secret.txt"))).toBeUndefined();
      await repo.close();
    }
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e]));
    expect(byPath[join(box.src, "secret.txt")]).toMatchObject({ kind: "unreadable" });
    expect(byPath[join(box.src, "secret.txt")]!.message).toMatch(/EACCES/);
    expect(byPath[join(box.src, "locked")]).toMatchObject({ kind: "unreadable" });
  });

  it("a selected path that does not exist is reported as missing; if none exists the backup fails", async () => {
    writeFileSync(join(box.src, "ok.txt"), "fine");
    const repo = await newRepo(box.repoDir);
    const result = await backup(repo, { paths: [box.src, join(box.dir, "nope")] });
    expect(result.errors).toEqual([expect.objectContaining({ path: join(box.dir, "nope"), kind: "missing" })]);
    expect(result.snapshot.errorCount).toBe(1);
    expect(result.snapshot.paths.map((p) => Buffer.from(p).toString())).toEqual([join(box.dir, "nope"), box.src]);
    await expect(backup(repo, { paths: [join(box.dir, "nope"), "/nonexistent-parent/x"] })).rejects.toBeInstanceOf(SelectionError);
    await repo.close();
  });

  it("a file that changes while being read is stored as read and reported as changed", async () => {
    const path = join(box.src, "growing.log");
    writeFileSync(path, Buffer.alloc(2_000_000, 97));
    // Another process keeps appending while the backup runs.
    const writer = spawn(process.execPath, ["-e", `const fs = require("fs"); const b = Buffer.alloc(65536, 98); setInterval(() => fs.appendFileSync(${JSON.stringify(path)}, b), 1);`], { stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const repo = await newRepo(box.repoDir);
      const result = await backup(repo, { paths: [box.src] });
      expect(result.errors).toEqual([expect.objectContaining({ path, kind: "changed" })]);
      expect(result.snapshot.errorCount).toBe(1);
      const node = (await nodeAt(repo, result.snapshot.tree, path)) as FileNode;
      const bytes = await contentOf(repo, node);
      expect(BigInt(bytes.length)).toBe(node.size); // what was read, consistently
      expect(bytes.length).toBeGreaterThanOrEqual(2_000_000);
      expect(bytes.subarray(0, 2_000_000).every((b) => b === 97)).toBe(true);
      await repo.close();
    } finally {
      writer.kill("SIGKILL");
    }
  });

  it("an inclusion of type file that is a folder is recorded without contents and reported", async () => {
    mkdirSync(join(box.src, "d"));
    writeFileSync(join(box.src, "d/x"), "x");
    const repo = await newRepo(box.repoDir);
    const result = await backup(repo, { selection: { inclusions: [{ type: "file", path: join(box.src, "d") }] } });
    expect(result.errors).toEqual([expect.objectContaining({ kind: "unsupported", path: join(box.src, "d") })]);
    const d = await nodeAt(repo, result.snapshot.tree, join(box.src, "d"));
    expect(d?.type).toBe("dir");
    expect(await nodeAt(repo, result.snapshot.tree, join(box.src, "d/x"))).toBeUndefined();
    await repo.close();
  });

  it("an aborted backup rejects with the signal's reason and writes no snapshot", async () => {
    writeFileSync(join(box.src, "ok.txt"), "fine");
    const repo = await newRepo(box.repoDir);
    const controller = new AbortController();
    controller.abort(new Error("stop now"));
    await expect(backup(repo, { paths: [box.src], signal: controller.signal })).rejects.toThrow("stop now");
    expect(await repo.listSnapshots()).toEqual([]);
    await repo.close();
  });
  it("a backup aborted mid-way leaves no descriptor open (reads started ahead finish before the workers stop)", async () => {
    // Many small files in a few directories: the workers read the next batches ahead on the
    // thread pool, and the abort lands while those reads are in flight.
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(box.src, `d${d}`));
      for (let f = 0; f < 200; f++) writeFileSync(join(box.src, `d${d}`, `f${f}`), `file ${d}/${f}\n`.repeat(50));
    }
    const fds = () => readdirSync("/proc/self/fd").length;
    const repo = await newRepo(box.repoDir);
    const before = fds();
    for (const delayMs of [0, 20, 60, 120]) {
      const controller = new AbortController();
      const running = backup(repo, { paths: [box.src], signal: controller.signal, workers: 2 });
      setTimeout(() => controller.abort(new Error("stop now")), delayMs);
      await running.catch((error: unknown) => expect((error as Error).message).toBe("stop now"));
    }
    // Helpers wind down asynchronously (the xattr reader's python3 pipes): allow them a moment;
    // a leaked descriptor never goes away.
    for (let waited = 0; fds() !== before && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(fds()).toBe(before);
    await repo.close();
  });
});