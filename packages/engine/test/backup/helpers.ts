// Backup test helpers: real repositories on filesystem storage in temporary directories (fast
// KDF, small chunks and packs so a few MB spread over many blobs and packs), source trees built
// on disk, and readers that walk a snapshot back through the repository.
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findNode, type FileNode, type Node, type Tree, type TreeId } from "@cairn/manifest";
import { initRepository, openRepository, type Repository } from "@cairn/repository";
import { FileSystemStorage } from "@cairn/storage/fs";

export const FAST_KDF = { algorithm: "argon2id", memoryKiB: 64, iterations: 1 } as const;
export const PASSWORD = "backup tests";
/** Small chunks, so a file of a few hundred KB is several blobs. */
export const TEST_CHUNKER = { minSize: 16 * 1024, avgSize: 64 * 1024, maxSize: 256 * 1024 };
export const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
export const hasPython = spawnSync("python3", ["-c", "import os; os.setxattr"], { stdio: "ignore" }).status === 0;

export interface Sandbox {
  readonly dir: string;
  readonly src: string;
  readonly repoDir: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh directory with `src/` and `repo/` paths, below `base` (default: the system's temp
 * directory). A snapshot records the metadata of every ancestor of what it backs up, so a test
 * that expects two backups to give the same root tree needs a `base` nobody else writes to
 * meanwhile (/tmp changes whenever another process creates a file there).
 */
export async function sandbox(base = tmpdir()): Promise<Sandbox> {
  await mkdir(base, { recursive: true });
  const dir = await mkdtemp(join(base, "cairn-backup-"));
  return { dir, src: join(dir, "src"), repoDir: join(dir, "repo"), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function newRepo(repoDir: string, packSize = 256 * 1024): Promise<Repository> {
  return initRepository(new FileSystemStorage(repoDir), PASSWORD, { kdf: FAST_KDF, packSize, chunker: TEST_CHUNKER });
}

export function reopen(repoDir: string): Promise<Repository> {
  return openRepository(new FileSystemStorage(repoDir), PASSWORD);
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function bytesOf(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed * 2654435761 + 1 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** The node at absolute `path` (a binary string: one char per byte) in the snapshot tree rooted at `root`. */
export async function nodeAt(repo: Repository, root: TreeId, path: string): Promise<Node | undefined> {
  let tree: Tree = await repo.loadTree(root);
  const parts = path.split("/").filter(Boolean);
  let node: Node | undefined;
  for (let i = 0; i < parts.length; i++) {
    node = findNode(tree, Buffer.from(parts[i]!, "latin1"));
    if (!node) return undefined;
    if (i < parts.length - 1) {
      if (node.type !== "dir") return undefined;
      tree = await repo.loadTree(node.subtree);
    }
  }
  return node;
}

/** A file node's bytes, read back blob by blob (holes as zeros). */
export async function contentOf(repo: Repository, node: FileNode): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const c of node.content) parts.push(c.kind === "hole" ? Buffer.alloc(c.length) : Buffer.from(await repo.loadBlob(c.id)));
  return Buffer.concat(parts);
}

/** Every path below `dir` in the tree (relative, "/"-joined, sorted). */
export async function listTree(repo: Repository, tree: TreeId, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await repo.loadTree(tree)).nodes) {
    const p = prefix + Buffer.from(n.name).toString("latin1");
    out.push(p);
    if (n.type === "dir") out.push(...(await listTree(repo, n.subtree, `${p}/`)));
  }
  return out;
}
