// Hostile snapshots, hostile targets and hostile plans: whatever names, symlinks, hard links or
// JSON the restore is given, nothing outside the target is written, created, chmod'ed or
// followed. `outside` holds a file next to the target; every test checks it is untouched.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { createTree, encodeTree, parseTreeId, type Node } from "@cairn/manifest";
import { CorruptObjectError, type Repository } from "@cairn/repository";
import type { RestorePlan } from "@cairn/restore-planner";
import { blobRangeReader } from "@cairn/repository";
import { executePlan, restore, RestoreError } from "../../src/index.js";
import { listAll, newRepo, sandbox, saveSnapshot, snapshotRecord, T0, type Sandbox } from "./helpers.js";

let box: Sandbox;
let repo: Repository;
let outsideBefore: string;

async function outsideState(): Promise<string> {
  const secret = join(box.outside, "secret");
  const st = await fs.stat(secret);
  return JSON.stringify({ list: await listAll(box.outside), content: await fs.readFile(secret, "utf8"), mode: st.mode, nlink: st.nlink });
}

beforeEach(async () => {
  box = await sandbox();
  repo = await newRepo(box.repoDir);
  outsideBefore = await outsideState();
});
afterEach(async () => {
  expect(await outsideState()).toBe(outsideBefore);
  await repo.close();
  await box.cleanup();
});

const fifo = (name: string): Node => ({ name: Buffer.from(name), type: "fifo", mode: 0o644, uid: 0, gid: 0, user: null, group: null, mtimeNs: T0, ctimeNs: T0, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] });

/** A tree blob whose one node is named `evil` (same length as `placeholder`), bypassing the encoder's checks. */
async function evilTree(placeholder: string, evil: string) {
  const bytes = encodeTree(createTree([fifo(placeholder)]));
  const at = Buffer.from(bytes).indexOf(Buffer.from(placeholder));
  Buffer.from(evil).copy(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), at);
  const { id } = await repo.saveBlob("tree", bytes);
  return parseTreeId(id);
}

describe("hostile snapshots", () => {
  it.each([
    ["..", "xx", "tree.nodes[0].name: a name must not be \"..\""],
    ["a/b", "axb", 'tree.nodes[0].name: a name must not contain "/" (byte 1 of the name)'],
    ["../outside/secret", "xxxxxxxxxxxxxxxxx", 'tree.nodes[0].name: a name must not contain "/" (byte 2 of the name)'],
  ])("refuses a tree with a node named %j before writing anything", async (evil, placeholder, message) => {
    const sub = await evilTree(placeholder, evil);
    const root = await repo.saveTree(createTree([{ ...fifo("d"), type: "dir", mode: 0o755, subtree: sub } as Node, { ...fifo("ok"), type: "file", size: 0n, content: [] } as Node]));
    const id = await repo.saveSnapshot(snapshotRecord(root));
    const failure = restore(repo, id, { target: box.target });
    await expect(failure).rejects.toThrow(CorruptObjectError);
    await expect(failure).rejects.toThrow(message);
    await expect(fs.readdir(box.target)).rejects.toThrow("ENOENT");
  });

  it("does not link names that claim one inode but disagree (a file and a symlink to outside)", async () => {
    const secret = join(box.outside, "secret");
    const id = await saveSnapshot(repo, [
      { name: "a", type: "file", data: [Buffer.from("mine")], inode: 5 },
      { name: "b", type: "symlink", target: secret, inode: 5 },
    ]);
    const result = await restore(repo, id, { target: box.target });
    expect(result.warnings.map((w) => w.path)).toEqual(["b"]);
    expect(await fs.readFile(join(box.target, "a"), "utf8")).toBe("mine");
    expect(await fs.readlink(join(box.target, "b"))).toBe(secret);
  });
});

describe("hostile targets", () => {
  it("replaces a symlink to outside where the snapshot has a directory, never writing through it", async () => {
    await fs.mkdir(box.target);
    await fs.symlink(box.outside, join(box.target, "d"));
    const id = await saveSnapshot(repo, [{ name: "d", type: "dir", children: [{ name: "secret", type: "file", data: [Buffer.from("pwned")], mode: 0o666 }, { name: "new", type: "file", data: [Buffer.from("x")] }] }]);
    const never = await restore(repo, id, { target: box.target, overwrite: "never" });
    expect(never.skipped.map((s) => [s.path, s.reason])).toEqual([["d", "exists"]]);
    expect((await fs.lstat(join(box.target, "d"))).isSymbolicLink()).toBe(true);
    await restore(repo, id, { target: box.target });
    expect((await fs.lstat(join(box.target, "d"))).isDirectory()).toBe(true);
    expect(await fs.readFile(join(box.target, "d", "secret"), "utf8")).toBe("pwned");
  });

  it("a symlink restored first and then a file under the same name: the file replaces the link", async () => {
    const secret = join(box.outside, "secret");
    const first = await saveSnapshot(repo, [{ name: "f", type: "symlink", target: secret }, { name: "d", type: "symlink", target: box.outside }]);
    const second = await saveSnapshot(repo, [{ name: "f", type: "file", data: [Buffer.from("pwned")] }, { name: "d", type: "dir", children: [{ name: "secret", type: "file", data: [Buffer.from("pwned")] }] }]);
    await restore(repo, first, { target: box.target });
    expect(await fs.readlink(join(box.target, "f"))).toBe(secret);
    await restore(repo, second, { target: box.target, overwrite: "always" });
    expect((await fs.lstat(join(box.target, "f"))).isFile()).toBe(true);
    expect(await fs.readFile(join(box.target, "f"), "utf8")).toBe("pwned");
    expect(await fs.readFile(join(box.target, "d", "secret"), "utf8")).toBe("pwned");
  });

  it("never modifies a file at the target that is a hard link to one outside", async () => {
    await fs.mkdir(box.target);
    await fs.link(join(box.outside, "secret"), join(box.target, "h"));
    await fs.link(join(box.outside, "secret"), join(box.target, "same"));
    outsideBefore = await outsideState(); // nlink is now 3; nothing may change from here
    const st = await fs.stat(join(box.outside, "secret"), { bigint: true });
    const id = await saveSnapshot(repo, [
      { name: "h", type: "file", data: [Buffer.from("pwned")], mode: 0o666 },
      // Same content as the outside file, other mode: if-changed must replace, not chmod in place.
      { name: "same", type: "file", data: [Buffer.from("outside, do not touch\n")], mode: 0o666, mtimeNs: st.mtimeNs },
    ]);
    await restore(repo, id, { target: box.target, owners: false, verifyExisting: true });
    expect(await fs.readFile(join(box.target, "h"), "utf8")).toBe("pwned");
    expect((await fs.stat(join(box.target, "same"))).mode & 0o777).toBe(0o666);
    expect((await fs.stat(join(box.target, "same"))).nlink).toBe(1);
    await fs.unlink(join(box.target, "h")).catch(() => undefined);
    outsideBefore = await outsideState();
  });

  it("removes a directory in the way of a file with everything in it, without following the symlinks inside", async () => {
    await fs.mkdir(join(box.target, "x", "nested"), { recursive: true });
    await fs.symlink(box.outside, join(box.target, "x", "to-outside"));
    await fs.symlink(join(box.outside, "secret"), join(box.target, "x", "nested", "secret-link"));
    await fs.writeFile(join(box.target, "x", "nested", "f"), "old");
    const id = await saveSnapshot(repo, [{ name: "x", type: "file", data: [Buffer.from("now a file")] }]);
    const r = await restore(repo, id, { target: box.target });
    expect(r.plan.removals).toEqual([{ path: "x", type: "dir", reason: "replace" }]);
    expect(await fs.readFile(join(box.target, "x"), "utf8")).toBe("now a file");
  });

  it("delete leaves an extraneous directory that still holds excluded entries, and says so", async () => {
    await fs.mkdir(join(box.target, "old"), { recursive: true });
    await fs.writeFile(join(box.target, "old", "keep.tmp"), "excluded");
    await fs.writeFile(join(box.target, "old", "drop"), "extraneous");
    await fs.symlink(box.outside, join(box.target, "old-link"));
    const id = await saveSnapshot(repo, [{ name: "f", type: "file", data: [Buffer.from("f")] }]);
    const r = await restore(repo, id, { target: box.target, delete: true, exclude: ["*.tmp"] });
    expect(r.removed).toBe(2);
    expect(r.warnings).toEqual([{ path: "old", message: "not removed: the directory still holds entries that are excluded" }]);
    expect(await listAll(box.target)).toEqual(["f", "old/", "old/keep.tmp"]);
  });

  it("when a directory is swapped for a symlink after planning, the executor refuses it (TOCTOU)", async () => {
    const id = await saveSnapshot(repo, [{ name: "d", type: "dir", children: [{ name: "secret", type: "file", data: [Buffer.from("pwned")] }, { name: "sub", type: "dir" }] }, { name: "ok", type: "file", data: [Buffer.from("fine")] }]);
    await fs.mkdir(join(box.target, "d"), { recursive: true });
    const { plan } = await restore(repo, id, { target: box.target, dryRun: true });
    expect(plan.directories.map((d) => [d.path, d.action])).toEqual([["d", "existing"], ["d/sub", "create"]]);
    await fs.rmdir(join(box.target, "d"));
    await fs.symlink(box.outside, join(box.target, "d"));
    const report = await executePlan(plan, { target: box.target, reader: blobRangeReader(repo) });
    expect(report.failures.map((f) => f.path)).toEqual(["d", "d/sub", "d/secret"]);
    expect(report.failures[0]!.message).toBe("cannot create the directory: a symlink is in the way");
    expect(await fs.readFile(join(box.target, "ok"), "utf8")).toBe("fine");
  });
});

describe("hostile plans", () => {
  async function planFor(): Promise<RestorePlan> {
    const id = await saveSnapshot(repo, [{ name: "l", type: "symlink", target: box.outside }, { name: "f", type: "file", data: [Buffer.from("data")] }]);
    return (await restore(repo, id, { target: box.target, dryRun: true })).plan;
  }

  it.each([["../outside/evil"], ["/etc/evil"], ["a//b"], ["."]])("refuses a plan with the path %j before touching anything", async (path) => {
    const plan = await planFor();
    const bad = { ...plan, files: plan.files.map((f) => ({ ...f, path })) };
    await expect(executePlan(bad, { target: box.target, reader: blobRangeReader(repo) })).rejects.toThrow(new RestoreError("bad-plan", `the plan has an unsafe path ${JSON.stringify(path)}: every component must be a safe name (no "..", ".", empty or NUL)`));
    await expect(fs.readdir(box.target)).rejects.toThrow("ENOENT");
  });

  it("a plan that writes below a symlink it restored fails there and writes nothing outside", async () => {
    const plan = await planFor();
    await executePlan(plan, { target: box.target, reader: blobRangeReader(repo) });
    const through = { ...plan, symlinks: [], directories: [], fetches: plan.fetches, files: plan.files.map((f) => ({ ...f, path: "l/evil" })) };
    const report = await executePlan(through, { target: box.target, reader: blobRangeReader(repo) });
    expect(report.failures.map((f) => [f.path, f.message])).toEqual([["l/evil", "cannot write: ENOTDIR: not a directory (open)"]]);
    expect(await listAll(box.target)).toEqual(["f", "l"]);
  });
});
