// Every file type and every piece of metadata a whole-system restore needs, from real files on
// disk into a real repository and back out through Repository.loadTree/loadBlob.
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, closeSync, linkSync, lstatSync, mkdirSync, openSync, symlinkSync, utimesSync, writeFileSync, writeSync, ftruncateSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import type { FileNode, Node } from "@cairn/manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backup, type BackupResult } from "../../src/index.js";
import { bytesOf, contentOf, hasPython, isRoot, newRepo, nodeAt, sandbox, type Sandbox } from "./helpers.js";
import type { Repository } from "@cairn/repository";

const latin1Name = Buffer.from([0x6e, 0xe9, 0xff, 0x2e, 0x62, 0x69, 0x6e]).toString("latin1"); // "n\xe9\xff.bin": not UTF-8

describe("backup round trip of every file type and its metadata", () => {
  let box: Sandbox;
  let repo: Repository;
  let result: BackupResult;
  let server: Server;
  const big = bytesOf(1, 1_000_000);

  beforeAll(async () => {
    box = await sandbox();
    const s = box.src;
    mkdirSync(join(s, "dir/sub"), { recursive: true });
    writeFileSync(join(s, "empty"), "");
    writeFileSync(join(s, "small.txt"), "hello, world\n");
    writeFileSync(join(s, "big.bin"), big);
    writeFileSync(join(s, "setuid"), "#!/bin/sh\n");
    chmodSync(join(s, "setuid"), 0o4755);
    chmodSync(join(s, "dir"), 0o1777);
    writeFileSync(join(s, "dir/private"), "secret");
    chmodSync(join(s, "dir/private"), 0o640);
    writeFileSync(join(s, "dir/sub/linked"), "two names, one inode");
    linkSync(join(s, "dir/sub/linked"), join(s, "hardlink"));
    symlinkSync("dir/sub/linked", join(s, "symlink"));
    symlinkSync(Buffer.from([0x2e, 0x2e, 0x2f, 0xfe]), join(s, "dangling")); // target "../\xfe"
    writeFileSync(Buffer.from(join(s, latin1Name), "latin1"), "odd name");
    // A sparse file: 8 MiB with 4 KiB of data at 3 MiB.
    const fd = openSync(join(s, "sparse.img"), "w");
    ftruncateSync(fd, 8 * 1024 * 1024);
    writeSync(fd, bytesOf(2, 4096), 0, 4096, 3 * 1024 * 1024);
    closeSync(fd);
    expect(spawnSync("mkfifo", [join(s, "fifo")]).status).toBe(0);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(join(s, "socket"), resolve));
    if (isRoot) {
      expect(spawnSync("mknod", [join(s, "null"), "c", "1", "3"]).status).toBe(0);
      expect(spawnSync("mknod", [join(s, "loop"), "b", "7", "200"]).status).toBe(0);
      chownSync(join(s, "small.txt"), 1234, 5678);
    }
    if (hasPython) spawnSync("python3", ["-c", `import os; os.setxattr(${JSON.stringify(join(s, "small.txt"))}, "user.comment", b"\\x00binary\\xff", follow_symlinks=False); os.setxattr(${JSON.stringify(join(s, "small.txt"))}, "user.a", b"", follow_symlinks=False)`]);
    utimesSync(join(s, "small.txt"), 1_500_000_000, 1_600_000_000.123456);
    repo = await newRepo(box.repoDir);
    result = await backup(repo, { paths: [s], host: "test-host", tags: ["b", "a", "b"] });
  });

  afterAll(async () => {
    server?.close();
    await repo?.close();
    await box?.cleanup();
  });

  const node = (rel: string) => nodeAt(repo, result.snapshot.tree, join(box.src, rel));

  /** The node's metadata equals what lstat says now. */
  function expectMetadata(n: Node | undefined, path: string): void {
    expect(n, path).toBeDefined();
    const st = lstatSync(Buffer.from(path, "latin1"), { bigint: true });
    expect(n!.mode).toBe(Number(st.mode & 0o7777n));
    expect(n!.uid).toBe(Number(st.uid));
    expect(n!.gid).toBe(Number(st.gid));
    expect(n!.mtimeNs).toBe(st.mtimeNs);
    expect(n!.ctimeNs).toBe(st.ctimeNs);
    expect(n!.inode).toBe(st.ino);
    expect(n!.deviceId).toBe(st.dev);
    expect(n!.links).toBe(Number(st.nlink));
    expect(n!.atimeNs).toBeNull();
  }

  it("completes without errors and records the snapshot fields", () => {
    expect(result.errors).toEqual([]);
    expect(result.snapshot.errorCount).toBe(0);
    expect(result.snapshot.host).toBe("test-host");
    expect(result.snapshot.tags).toEqual(["a", "b"]);
    expect(result.snapshot.paths.map((p) => Buffer.from(p).toString())).toEqual([box.src]);
    expect(result.parent).toBeNull();
    expect(result.snapshot.stats.filesNew).toBe(9);
  });

  it("regular files: content (multi-chunk, empty, odd names), permission bits, times, owners", async () => {
    for (const rel of ["empty", "small.txt", "big.bin", "setuid", "dir/private", latin1Name]) {
      const n = (await node(rel)) as FileNode;
      expect(n.type).toBe("file");
      expectMetadata(n, join(box.src, rel));
    }
    const bigNode = (await node("big.bin")) as FileNode;
    expect(bigNode.content.length).toBeGreaterThan(3);
    expect(Buffer.compare(await contentOf(repo, bigNode), big)).toBe(0);
    expect(((await node("empty")) as FileNode).content).toEqual([]);
    expect((await contentOf(repo, (await node(latin1Name)) as FileNode)).toString()).toBe("odd name");
    expect((await node("setuid"))!.mode).toBe(0o4755);
    expect((await node("dir/private"))!.mode).toBe(0o640);
    const small = (await node("small.txt"))!;
    expect(small.mtimeNs).toBe(1_600_000_000_123_456_000n);
    if (isRoot) {
      expect([small.uid, small.gid]).toEqual([1234, 5678]);
      expect((await node("empty"))!.user).toBe("root");
    }
  });

  it("directories keep their bits (sticky) and metadata, and so do the ancestors down to the root", async () => {
    const dir = await node("dir");
    expect(dir!.type).toBe("dir");
    expect(dir!.mode).toBe(0o1777);
    expectMetadata(dir, join(box.src, "dir"));
    expectMetadata(await nodeAt(repo, result.snapshot.tree, box.dir), box.dir);
  });

  it("symlinks are recorded as links with their exact target, never followed", async () => {
    const link = await node("symlink");
    expect(link).toMatchObject({ type: "symlink" });
    expect(Buffer.from((link as { linkTarget: Uint8Array }).linkTarget).toString()).toBe("dir/sub/linked");
    const dangling = await node("dangling");
    expect([...(dangling as { linkTarget: Uint8Array }).linkTarget]).toEqual([0x2e, 0x2e, 0x2f, 0xfe]);
    expectMetadata(link, join(box.src, "symlink"));
  });

  it("hard links: both names are full nodes with the same inode, device and content", async () => {
    const a = (await node("hardlink")) as FileNode;
    const b = (await node("dir/sub/linked")) as FileNode;
    expect(a.links).toBe(2);
    expect([a.inode, a.deviceId]).toEqual([b.inode, b.deviceId]);
    expect(a.content).toEqual(b.content);
    expect((await contentOf(repo, a)).toString()).toBe("two names, one inode");
  });

  it("fifos, sockets and (as root) device nodes", async () => {
    expect((await node("fifo"))!.type).toBe("fifo");
    expect((await node("socket"))!.type).toBe("socket");
    if (!isRoot) return;
    expect(await node("null")).toMatchObject({ type: "chardev", rdevMajor: 1, rdevMinor: 3 });
    expect(await node("loop")).toMatchObject({ type: "blockdev", rdevMajor: 7, rdevMinor: 200 });
  });

  it("sparse files: all-zero pages are holes, the data between them is data", async () => {
    const n = (await node("sparse.img")) as FileNode;
    expect(n.size).toBe(8n * 1024n * 1024n);
    expect(n.content.map((c) => c.kind)).toEqual(["hole", "data", "hole"]);
    expect(n.content[0]!.length).toBe(3 * 1024 * 1024);
    const bytes = await contentOf(repo, n);
    expect(Buffer.compare(bytes.subarray(3 * 1024 * 1024, 3 * 1024 * 1024 + 4096), bytesOf(2, 4096))).toBe(0);
    expect(bytes.length).toBe(8 * 1024 * 1024);
  });

  it.runIf(hasPython)("extended attributes, binary values and empty ones, sorted by name", async () => {
    const n = (await node("small.txt"))!;
    expect(n.xattrs.map((x) => [Buffer.from(x.name).toString(), [...x.value]])).toEqual([
      ["user.a", []],
      ["user.comment", [0, ...Buffer.from("binary"), 0xff]],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("xattrs: false records none and says nothing is missing", async () => {
    const r = await backup(repo, { paths: [join(box.src, "small.txt")], xattrs: false, parent: null });
    const n = await nodeAt(repo, r.snapshot.tree, join(box.src, "small.txt"));
    expect(n!.xattrs).toEqual([]);
    expect(r.warnings).toEqual([]);
  });
});
