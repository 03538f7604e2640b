// Exact round trips: every file type and every piece of metadata, restored from a snapshot in a
// real repository and compared field by field with what was saved.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import type { Repository } from "@cairn/repository";
import { restore } from "../../src/index.js";
import { createTree, type BlobId } from "@cairn/manifest";
import { expectTree, hasPython, isRoot, listAll, newRepo, noise, sandbox, saveSnapshot, snapshotRecord, T0, type Sandbox, type Spec } from "./helpers.js";

let box: Sandbox;
let repo: Repository;
beforeEach(async () => {
  box = await sandbox();
  repo = await newRepo(box.repoDir);
});
afterEach(async () => {
  await repo.close();
  await box.cleanup();
});

const everything: Spec[] = [
  { name: "empty", type: "file" },
  { name: "small.txt", type: "file", data: [Buffer.from("hello\n")], mode: 0o640, mtimeNs: T0 + 1_000n },
  { name: "multi.bin", type: "file", data: [noise(1, 200_000)], chunk: 7_000, mode: 0o600 },
  { name: "sparse", type: "file", data: [{ hole: 4 << 20 }, noise(2, 5000), { hole: 3 << 20 }, noise(3, 10), { hole: 1 << 20 }] },
  { name: "all-hole", type: "file", data: [{ hole: 2 << 20 }] },
  { name: "setuid", type: "file", data: [Buffer.from("#!/bin/sh\n")], mode: 0o4755 },
  { name: "old", type: "file", data: [Buffer.from("1969")], mtimeNs: 86_400_000_000_000n, atimeNs: 3_000_000_000_123n },
  { name: Uint8Array.of(0x6e, 0xff, 0xfe, 0x0a), type: "file", data: [Buffer.from("non-UTF-8 name")] },
  { name: "link-rel", type: "symlink", target: "../somewhere/else", mtimeNs: T0 - 5_000_000n },
  { name: "link-abs", type: "symlink", target: "/etc/passwd" },
  { name: "link-dangling", type: "symlink", target: Uint8Array.of(0xc3, 0x28, 0x2f, 0x78) },
  { name: "fifo", type: "fifo", mode: 0o620 },
  { name: "hard-a", type: "file", data: [Buffer.from("shared inode")], inode: 7 },
  {
    name: "dir",
    type: "dir",
    mode: 0o750,
    mtimeNs: T0 + 77_000n,
    children: [
      { name: "hard-b", type: "file", data: [Buffer.from("shared inode")], inode: 7 },
      { name: "readonly", type: "dir", mode: 0o555, children: [{ name: "inside", type: "file", data: [Buffer.from("in a read-only dir")], mode: 0o444 }] },
      { name: "deep", type: "dir", children: [{ name: "deeper", type: "dir", children: [{ name: "f", type: "file", data: [noise(4, 100)] }] }] },
      { name: "emptydir", type: "dir", mode: 0o700 },
    ],
  },
  ...(isRoot ? ([{ name: "null", type: "chardev", rdev: [1, 3], mode: 0o666 }, { name: "loop", type: "blockdev", rdev: [7, 200], mode: 0o660 }, { name: "owned", type: "file", data: [Buffer.from("x")], uid: 4321, gid: 8765 }] as Spec[]) : []),
  ...(hasPython ? ([{ name: "xattrs", type: "file", data: [Buffer.from("x")], xattrs: [["user.comment", Buffer.from("hello")], ["user.binary", Uint8Array.of(0, 1, 255)]] }] as Spec[]) : []),
];

describe("restore round trip", () => {
  it("restores every file type and its metadata exactly", async () => {
    const id = await saveSnapshot(repo, everything);
    const progress: string[] = [];
    const result = await restore(repo, id, { target: box.target, onProgress: (p) => progress.push(p.phase) });
    await expectTree(box.target, everything);
    expect(result.warnings).toEqual([]);
    expect(result.linksCreated).toBe(1);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBeLessThan(result.totals.blobs);
    expect(progress[0]).toBe("planning");
    expect(progress[progress.length - 1]).toBe("done");
  });

  it("a second restore finds everything in place and changes nothing", async () => {
    const id = await saveSnapshot(repo, everything);
    await restore(repo, id, { target: box.target });
    const before = await listAll(box.target);
    const again = await restore(repo, id, { target: box.target });
    expect(again.filesWritten).toBe(0);
    expect(again.bytesFetched).toBe(0);
    expect(again.totals.unchanged).toBe(again.totals.files + again.totals.symlinks + again.totals.specials);
    await expectTree(box.target, everything);
    expect(await listAll(box.target)).toEqual(before);
  });

  it("restores a subtree and a selection", async () => {
    const id = await saveSnapshot(repo, everything);
    await restore(repo, id, { target: box.target, subtree: "/dir", include: ["/dir/deep", "/dir/readonly/inside"], exclude: ["deeper"] });
    expect(await listAll(box.target)).toEqual(["deep/", "readonly/", "readonly/inside"]);
    const inside = await fs.readFile(`${box.target}/readonly/inside`, "utf8");
    expect(inside).toBe("in a read-only dir");
  });

  it.skipIf(!isRoot)("sets owners exactly below a setgid directory (inherited group)", async () => {
    await fs.mkdir(box.target, { recursive: true });
    await fs.chown(box.target, 0, 4242);
    await fs.chmod(box.target, 0o2775);
    const specs: Spec[] = [
      { name: "top", type: "file", data: [Buffer.from("x")], uid: 0, gid: 0 },
      { name: "sub", type: "dir", uid: 0, gid: 0, children: [{ name: "inner", type: "file", data: [Buffer.from("y")], uid: 0, gid: 0 }] },
    ];
    const id = await saveSnapshot(repo, specs);
    await restore(repo, id, { target: box.target });
    await expectTree(box.target, specs);
  });

  it("keeps many files in progress at once (descriptors closed and reopened) and still restores them exactly", async () => {
    // Save the first chunk of 150 files, then every second chunk, then every third: each pack
    // holds one piece of many files, so all of them are in progress at once.
    const data = Array.from({ length: 150 }, (_, i) => noise(1000 + i, 3 * 4096));
    const content: { kind: "data"; id: BlobId; length: number }[][] = data.map(() => []);
    for (let part = 0; part < 3; part++) {
      for (const [i, d] of data.entries()) {
        const piece = d.subarray(part * 4096, (part + 1) * 4096);
        content[i]!.push({ kind: "data", id: (await repo.saveBlob("data", piece)).id, length: 4096 });
      }
    }
    const nodes = data.map((_, i) => ({ name: new Uint8Array(Buffer.from(`f${i}`)), type: "file" as const, mode: 0o644, uid: 1000, gid: 1000, user: null, group: null, mtimeNs: T0, ctimeNs: T0, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [], size: BigInt(3 * 4096), content: content[i]! }));
    const tree = await repo.saveTree(createTree(nodes));
    const id = await repo.saveSnapshot(snapshotRecord(tree));
    const result = await restore(repo, id, { target: box.target, concurrency: 1 });
    expect(result.filesWritten).toBe(150);
    await expectTree(box.target, data.map((d, i) => ({ name: `f${i}`, type: "file", data: [d] })));
  });

  it("plans without writing anything in a dry run", async () => {
    const id = await saveSnapshot(repo, everything);
    const result = await restore(repo, id, { target: box.target, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.plan.files.length).toBeGreaterThan(5);
    await expect(fs.stat(box.target)).rejects.toThrow("ENOENT");
  });
});
