// Restore test helpers: a real repository (filesystem storage in a temporary directory, fast
// KDF, small packs so data spreads over several), snapshots built directly through
// Repository.saveBlob/saveTree/saveSnapshot from a compact spec, and a checker that compares a
// restored directory with the spec byte for byte and field for field (lstat, never following).
import { spawnSync } from "node:child_process";
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTree, type ContentEntry, type Node, type Snapshot, type SnapshotId, type TreeId } from "@cairn/manifest";
import { initRepository, type Repository } from "@cairn/repository";
import { FileSystemStorage } from "@cairn/storage/fs";
import { expect } from "vitest";

export const FAST_KDF = { algorithm: "argon2id", memoryKiB: 64, iterations: 1 } as const;
export const PASSWORD = "restore tests";
export const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
export const hasPython = spawnSync("python3", ["-c", "import os; os.setxattr"], { stdio: "ignore" }).status === 0;

export interface Sandbox {
  readonly dir: string;
  readonly repoDir: string;
  readonly target: string;
  /** A directory outside the target that nothing may touch. */
  readonly outside: string;
  cleanup(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "cairn-restore-"));
  const s = { dir, repoDir: join(dir, "repo"), target: join(dir, "target"), outside: join(dir, "outside") };
  await fs.mkdir(s.outside);
  await fs.writeFile(join(s.outside, "secret"), "outside, do not touch\n");
  await fs.chmod(join(s.outside, "secret"), 0o600);
  return { ...s, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function newRepo(repoDir: string, packSize = 64 * 1024): Promise<Repository> {
  return initRepository(new FileSystemStorage(repoDir), PASSWORD, { kdf: FAST_KDF, packSize });
}

/** One entry of a spec tree. Times default to fixed values; `data` parts are bytes or holes. */
export interface Spec {
  readonly name: string | Uint8Array;
  readonly type: Node["type"];
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtimeNs?: bigint;
  readonly atimeNs?: bigint;
  /** file: content parts (bytes are cut into blobs of `chunk` bytes). */
  readonly data?: readonly (Uint8Array | { readonly hole: number })[];
  readonly chunk?: number;
  readonly children?: readonly Spec[];
  readonly target?: string | Uint8Array;
  readonly rdev?: readonly [number, number];
  readonly xattrs?: readonly (readonly [string, Uint8Array])[];
  /** Hard-link group: entries with the same value share (deviceId, inode). */
  readonly inode?: number;
}

const bytesOf = (s: string | Uint8Array) => (typeof s === "string" ? new Uint8Array(Buffer.from(s)) : s);
export const T0 = 1_700_000_000_123_456_789n;

/** Deterministic pseudo-random bytes. */
export function noise(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

async function nodeOf(repo: Repository, s: Spec, groups: Map<number, number>): Promise<Node> {
  const base = {
    name: bytesOf(s.name),
    mode: s.mode ?? (s.type === "dir" ? 0o755 : s.type === "symlink" ? 0o777 : 0o644),
    uid: s.uid ?? 1000,
    gid: s.gid ?? 1000,
    user: null,
    group: null,
    mtimeNs: s.mtimeNs ?? T0,
    ctimeNs: T0,
    atimeNs: s.atimeNs ?? null,
    inode: s.inode === undefined ? null : BigInt(s.inode),
    deviceId: s.inode === undefined ? null : 42n,
    links: s.inode === undefined ? null : (groups.get(s.inode) ?? 1),
    xattrs: (s.xattrs ?? []).map(([name, value]) => ({ name: bytesOf(name), value })).sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))),
  };
  switch (s.type) {
    case "file": {
      const content: ContentEntry[] = [];
      for (const part of s.data ?? []) {
        if ("hole" in part) content.push({ kind: "hole", length: part.hole });
        else {
          const chunk = s.chunk ?? 16 * 1024;
          for (let at = 0; at < part.length; at += chunk) {
            const piece = part.subarray(at, at + chunk);
            const { id } = await repo.saveBlob("data", piece);
            content.push({ kind: "data", id, length: piece.length });
          }
        }
      }
      return { ...base, type: "file", size: content.reduce((n, c) => n + BigInt(c.length), 0n), content };
    }
    case "dir":
      return { ...base, type: "dir", subtree: await saveSpecTree(repo, s.children ?? [], groups) };
    case "symlink":
      return { ...base, type: "symlink", linkTarget: bytesOf(s.target ?? "nowhere") };
    case "chardev":
    case "blockdev":
      return { ...base, type: s.type, rdevMajor: s.rdev?.[0] ?? 1, rdevMinor: s.rdev?.[1] ?? 3 };
    default:
      return { ...base, type: s.type };
  }
}

function countGroups(specs: readonly Spec[], groups: Map<number, number>): void {
  for (const s of specs) {
    if (s.inode !== undefined) groups.set(s.inode, (groups.get(s.inode) ?? 0) + 1);
    countGroups(s.children ?? [], groups);
  }
}

export async function saveSpecTree(repo: Repository, specs: readonly Spec[], groups?: Map<number, number>): Promise<TreeId> {
  const g = groups ?? new Map<number, number>();
  if (!groups) countGroups(specs, g);
  const nodes: Node[] = [];
  for (const s of specs) nodes.push(await nodeOf(repo, s, g));
  return repo.saveTree(createTree(nodes));
}

export function snapshotRecord(tree: TreeId, paths = ["/"]): Snapshot {
  return {
    timeNs: T0,
    host: "test-host",
    agentId: null,
    configurationId: null,
    paths: paths.map((p) => new Uint8Array(Buffer.from(p))),
    tags: [],
    parent: null,
    tree,
    excludes: [],
    programVersion: "cairn-test 0",
    stats: { filesNew: 0, filesChanged: 0, filesUnmodified: 0, dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0, dataBlobsAdded: 0, treeBlobsAdded: 0, bytesAdded: 0n, bytesAddedStored: 0n, filesProcessed: 0, bytesProcessed: 0n },
    errorCount: 0,
    errors: [],
  };
}

/** Saves `specs` as the root tree of a new snapshot. */
export async function saveSnapshot(repo: Repository, specs: readonly Spec[]): Promise<SnapshotId> {
  return repo.saveSnapshot(snapshotRecord(await saveSpecTree(repo, specs)));
}

const pathOf = (dir: string | Buffer, name: string | Uint8Array) => Buffer.concat([Buffer.from(dir), Buffer.from("/"), Buffer.from(bytesOf(name))]);

function contentOf(s: Spec): Buffer {
  return Buffer.concat((s.data ?? []).map((p) => ("hole" in p ? Buffer.alloc(p.hole) : Buffer.from(p))));
}

export function readXattr(path: Buffer, name: string): Buffer | null {
  const r = spawnSync("python3", ["-c", "import os,sys; sys.stdout.buffer.write(os.getxattr(os.fsencode(sys.argv[1]), sys.argv[2], follow_symlinks=False))", path.toString("latin1"), name], { encoding: "buffer", env: { ...process.env, PYTHONIOENCODING: "latin1" } });
  return r.status === 0 ? r.stdout : null;
}

/**
 * Asserts that `dir` holds exactly `specs` (and nothing else): types, content, holes, modes,
 * owners (as root), mtimes (to the microsecond), symlink targets, device numbers, xattrs and
 * hard links. Returns the inode of every hard-link group.
 */
export async function expectTree(dir: string | Buffer, specs: readonly Spec[], inodes = new Map<number, bigint>()): Promise<Map<number, bigint>> {
  const listed = (await fs.readdir(dir, { encoding: "buffer" })).map((n) => n.toString("latin1")).sort();
  expect(listed).toEqual(specs.map((s) => Buffer.from(bytesOf(s.name)).toString("latin1")).sort());
  for (const s of specs) {
    const p = pathOf(dir, s.name);
    const st = await fs.lstat(p, { bigint: true });
    const where = p.toString("utf8");
    const typeOk = { file: st.isFile(), dir: st.isDirectory(), symlink: st.isSymbolicLink(), fifo: st.isFIFO(), chardev: st.isCharacterDevice(), blockdev: st.isBlockDevice(), socket: st.isSocket() }[s.type];
    expect(typeOk, `${where} is a ${s.type}`).toBe(true);
    if (s.type !== "symlink") expect(Number(st.mode & 0o7777n), `${where} mode`).toBe(s.mode ?? (s.type === "dir" ? 0o755 : 0o644));
    if (isRoot) expect([Number(st.uid), Number(st.gid)], `${where} owner`).toEqual([s.uid ?? 1000, s.gid ?? 1000]);
    expect(st.mtimeNs, `${where} mtime`).toBe(((s.mtimeNs ?? T0) / 1000n) * 1000n);
    if (s.atimeNs !== undefined) expect(st.atimeNs, `${where} atime`).toBe((s.atimeNs / 1000n) * 1000n);
    if (s.type === "file") {
      expect(Buffer.compare(await fs.readFile(p), contentOf(s)), `${where} content`).toBe(0);
      const holes = (s.data ?? []).reduce((n, part) => n + ("hole" in part ? part.hole : 0), 0);
      if (holes >= 1 << 20) expect(Number(st.blocks) * 512, `${where} stays sparse`).toBeLessThan(Number(st.size) - holes / 2);
    }
    if (s.type === "symlink") expect(Buffer.compare(await fs.readlink(p, { encoding: "buffer" }), Buffer.from(bytesOf(s.target ?? "nowhere")))).toBe(0);
    if (s.type === "chardev" || s.type === "blockdev") expect(Number(st.rdev)).toBe(((s.rdev?.[0] ?? 1) << 8) | (s.rdev?.[1] ?? 3));
    if (hasPython) for (const [name, value] of s.xattrs ?? []) expect(readXattr(p, name), `${where} xattr ${name}`).toEqual(Buffer.from(value));
    if (s.inode !== undefined) {
      const known = inodes.get(s.inode);
      if (known === undefined) inodes.set(s.inode, st.ino);
      else expect(st.ino, `${where} is a hard link of its group`).toBe(known);
    }
    if (s.type === "dir") await expectTree(p, s.children ?? [], inodes);
  }
  return inodes;
}

/** Every path below `dir` (relative), for "nothing else changed" checks. */
export async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      out.push(`${prefix}${e.name}${e.isDirectory() ? "/" : ""}`);
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
    }
  };
  await walk(dir, "");
  return out.sort();
}
