// The whole circle on a real directory: back it up with the engine's backup pipeline, restore
// it with `restore`, and compare the two trees entry by entry with lstat (type, mode, owner,
// size, mtime to the microsecond, content, symlink targets, device numbers, hard links, sparse
// allocation, xattrs).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { Repository } from "@cairn/repository";
import { backup, restore } from "../../src/index.js";
import { hasPython, isRoot, newRepo, noise, readXattr, sandbox, type Sandbox } from "./helpers.js";

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

async function makeSource(src: string): Promise<void> {
  await fs.mkdir(join(src, "sub", "deeper"), { recursive: true });
  await fs.writeFile(join(src, "hello.txt"), "hello\n");
  await fs.writeFile(join(src, "empty"), "");
  await fs.writeFile(join(src, "random.bin"), noise(3, 3_000_000));
  await fs.writeFile(join(src, "sub", "deeper", "text"), "x".repeat(100_000));
  const sparse = await fs.open(join(src, "sparse"), "w");
  await sparse.write(Buffer.from("head"), 0, 4, 0);
  await sparse.write(Buffer.from("tail"), 0, 4, 64 << 20);
  await sparse.close();
  await fs.symlink("../hello.txt", join(src, "sub", "link"));
  await fs.symlink("/nonexistent/target", join(src, "dangling"));
  await fs.link(join(src, "hello.txt"), join(src, "sub", "hard"));
  spawnSync("mkfifo", [join(src, "fifo")]);
  await fs.chmod(join(src, "sub"), 0o750);
  await fs.chmod(join(src, "random.bin"), 0o600);
  await fs.writeFile(join(src, Buffer.from([0x6e, 0xff, 0x2e, 0x74]).toString("latin1")), "latin1 name");
  if (isRoot) {
    spawnSync("mknod", [join(src, "null"), "c", "1", "3"]);
    await fs.chown(join(src, "hello.txt"), 1234, 5678);
  }
  if (hasPython) spawnSync("python3", ["-c", `import os; os.setxattr(${JSON.stringify(join(src, "hello.txt"))}, "user.note", b"kept")`]);
  await fs.utimes(join(src, "sub", "deeper"), 1_600_000_000.25, 1_600_000_000.5);
  await fs.utimes(join(src, "sub"), 1_600_000_001, 1_600_000_002);
}

interface Seen {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: bigint;
  mtimeUs: bigint;
  target?: string;
  rdev?: bigint;
  ino: bigint;
  sparse?: boolean;
}

async function describeTree(root: string): Promise<Map<string, Seen>> {
  const out = new Map<string, Seen>();
  const walk = async (rel: string) => {
    for (const name of await fs.readdir(join(root, rel))) {
      const p = join(root, rel, name);
      const st = await fs.lstat(p, { bigint: true });
      const type = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "symlink" : st.isFIFO() ? "fifo" : st.isCharacterDevice() ? "chardev" : "other";
      out.set(join(rel, name), {
        type,
        mode: Number(st.mode & 0o7777n),
        uid: Number(st.uid),
        gid: Number(st.gid),
        size: type === "file" ? st.size : 0n,
        mtimeUs: st.mtimeNs / 1000n,
        ino: st.ino,
        ...(type === "symlink" ? { target: await fs.readlink(p) } : {}),
        ...(type === "chardev" ? { rdev: st.rdev } : {}),
        ...(type === "file" && st.size > 1n << 20n ? { sparse: st.blocks * 512n < st.size / 2n } : {}),
      });
      if (type === "dir") await walk(join(rel, name));
    }
  };
  await walk("");
  return out;
}

describe("backup, then restore", () => {
  it("gives back the source tree exactly", async () => {
    const src = join(box.dir, "src");
    await makeSource(src);
    const { snapshotId } = await backup(repo, { paths: [src], host: "test", workers: 1 });
    const result = await restore(repo, snapshotId, { target: box.target, subtree: src });
    expect(result.warnings).toEqual([]);
    const before = await describeTree(src);
    const after = await describeTree(box.target);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, a] of before) {
      const b = after.get(path)!;
      const { ino: _a, ...want } = a;
      const { ino: _b, ...got } = b;
      if (!isRoot) {
        want.uid = got.uid;
        want.gid = got.gid;
      }
      expect(got, path).toEqual(want);
      if (a.type === "file") expect(Buffer.compare(await fs.readFile(join(box.target, path)), await fs.readFile(join(src, path))), `${path} content`).toBe(0);
    }
    expect(after.get("sub/hard")!.ino).toBe(after.get("hello.txt")!.ino);
    if (hasPython) expect(readXattr(Buffer.from(join(box.target, "hello.txt")), "user.note")).toEqual(Buffer.from("kept"));
  });
});
