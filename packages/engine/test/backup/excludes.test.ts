// Selection on a real tree: Cloud Backup exclusions, glob excludes, CACHEDIR.TAG, marker files
// and one-file-system, checked by listing what the snapshot holds.
import { lstatSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backup, CACHEDIR_TAG_SIGNATURE } from "../../src/index.js";
import { listTree, newRepo, nodeAt, sandbox, type Sandbox } from "./helpers.js";
import type { DirNode } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";

function files(root: string, list: Record<string, string>): void {
  for (const [rel, body] of Object.entries(list)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), body);
  }
}

describe("excludes", () => {
  let box: Sandbox;
  let repo: Repository;
  beforeEach(async () => {
    box = await sandbox();
    files(box.src, {
      "keep.txt": "k",
      "a.tmp": "t",
      "deep/b.tmp": "t",
      "deep/keep.c": "c",
      "node_modules/x.js": "x",
      "pkg/node_modules/y.js": "y",
      "notdir/node_modules": "a file named like the dir-only pattern",
      "cache/CACHEDIR.TAG": `${CACHEDIR_TAG_SIGNATURE}\n# a cache\n`,
      "cache/blob.bin": "cached",
      "fakecache/CACHEDIR.TAG": "Signature: not the right one",
      "fakecache/data.bin": "kept",
      "marked/.nobackup": "",
      "marked/big.iso": "iso",
      "marked/sub/x": "x",
      "excluded/dir/f": "f",
      "one-file": "o",
      "build/out/x.o": "o",
      "build/out/x.c": "c",
    });
    repo = await newRepo(box.repoDir);
  });
  afterEach(async () => {
    await repo.close();
    await box.cleanup();
  });

  it("applies exclusions, globs, caches and markers; the markers themselves are kept", async () => {
    const result = await backup(repo, {
      selection: { inclusions: [{ type: "folder", path: box.src }], exclusions: [{ type: "folder", path: join(box.src, "excluded") }, { type: "file", path: join(box.src, "one-file") }] },
      excludes: ["*.tmp", "node_modules/", "/**/build/out/*.o"],
      excludeCaches: true,
      excludeIfPresent: [".nobackup"],
    });
    expect(result.errors).toEqual([]);
    const src = (await nodeAt(repo, result.snapshot.tree, box.src)) as DirNode;
    expect(await listTree(repo, src.subtree)).toEqual([
      "build",
      "build/out",
      "build/out/x.c",
      "cache",
      "cache/CACHEDIR.TAG",
      "deep",
      "deep/keep.c",
      "fakecache",
      "fakecache/CACHEDIR.TAG",
      "fakecache/data.bin",
      "keep.txt",
      "marked",
      "marked/.nobackup",
      "notdir",
      "notdir/node_modules",
      "pkg",
    ]);
    expect(result.snapshot.excludes).toEqual([join(box.src, "excluded"), join(box.src, "one-file"), "*.tmp", "node_modules/", "/**/build/out/*.o"]);
  });

  it("without the options nothing is left out", async () => {
    const result = await backup(repo, { paths: [box.src] });
    const src = (await nodeAt(repo, result.snapshot.tree, box.src)) as DirNode;
    expect((await listTree(repo, src.subtree)).length).toBe(18 + 13); // 18 files, 13 directories
    expect(result.snapshot.excludes).toEqual([]);
  });

  const devShmIsAnotherFs = (() => {
    try {
      return lstatSync("/dev/shm").dev !== lstatSync("/dev").dev && lstatSync("/dev").isDirectory();
    } catch {
      return false;
    }
  })();

  it.runIf(devShmIsAnotherFs)("oneFileSystem keeps mount points as empty directories (on this machine's /dev and /dev/shm)", async () => {
    writeFileSync(join("/dev/shm", `cairn-test-${process.pid}`), "x");
    try {
      const result = await backup(repo, { paths: ["/dev"], oneFileSystem: true, xattrs: false });
      const shm = (await nodeAt(repo, result.snapshot.tree, "/dev/shm")) as DirNode;
      expect(shm.type).toBe("dir");
      expect((await repo.loadTree(shm.subtree)).nodes).toEqual([]);
      const all = await backup(repo, { paths: ["/dev/shm"], xattrs: false });
      const shm2 = (await nodeAt(repo, all.snapshot.tree, "/dev/shm")) as DirNode;
      expect((await repo.loadTree(shm2.subtree)).nodes.length).toBeGreaterThan(0);
    } finally {
      (await import("node:fs")).rmSync(join("/dev/shm", `cairn-test-${process.pid}`), { force: true });
    }
  });
});
