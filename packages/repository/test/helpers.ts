// Shared test helpers: fast KDF parameters, repositories over memory or a temporary directory,
// and small trees/snapshots built with the manifest model.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlobId, Node, Snapshot, SnapshotId, TreeId } from "@cairn/manifest";
import { createTree } from "@cairn/manifest";
import { MemoryStorage, type Storage } from "@cairn/storage";
import { withFaults } from "@cairn/storage/testing";
import { FileSystemStorage } from "@cairn/storage/fs";
import { initRepository, openRepository, type InitOptions, type OpenOptions, type Repository } from "../src/index.js";

/** Argon2id at 64 KiB and one pass: milliseconds instead of half a second per unlock. */
export const FAST_KDF = { algorithm: "argon2id", memoryKiB: 64, iterations: 1 } as const;

export interface Backend {
  readonly name: string;
  create(): Promise<{ storage: Storage; cleanup(): Promise<void>; root?: string }>;
}

export const BACKENDS: Backend[] = [
  { name: "memory", create: async () => ({ storage: new MemoryStorage(), cleanup: async () => undefined }) },
  {
    name: "filesystem",
    create: async () => {
      const root = await mkdtemp(join(tmpdir(), "cairn-repo-"));
      return { storage: new FileSystemStorage(root), root, cleanup: () => rm(root, { recursive: true, force: true }) };
    },
  },
];

export function newRepo(storage: Storage, options: InitOptions & OpenOptions = {}): Promise<Repository> {
  return initRepository(storage, "correct horse", { kdf: FAST_KDF, packSize: 64 * 1024, ...options });
}

/** Deterministic pseudo-random bytes (xorshift32), compressible if `text` is set. */
export function bytesOf(seed: number, length: number, text = false): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? 97 + ((x >>> 0) % 8) : x & 255;
  }
  return out;
}

const enc = new TextEncoder();

function base(name: string) {
  return { name: enc.encode(name), mode: 0o644, uid: 1000, gid: 1000, user: "u", group: "g", mtimeNs: 1n, ctimeNs: 1n, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] };
}

export function fileNode(name: string, content: { id: BlobId; length: number }[]): Node {
  const size = content.reduce((n, c) => n + BigInt(c.length), 0n);
  return { ...base(name), type: "file", size, content: content.map((c) => ({ kind: "data" as const, ...c })) };
}

export function dirNode(name: string, subtree: TreeId): Node {
  return { ...base(name), mode: 0o755, type: "dir", subtree };
}

export function snapshotOf(tree: TreeId, timeNs: bigint, host = "host-a", paths = ["/data"], tags: string[] = []): Snapshot {
  return {
    timeNs,
    host,
    agentId: null,
    configurationId: null,
    paths: paths.map((p) => enc.encode(p)),
    tags,
    parent: null,
    tree,
    excludes: [],
    programVersion: "cairn-test 0",
    stats: { filesNew: 0, filesChanged: 0, filesUnmodified: 0, dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0, dataBlobsAdded: 0, treeBlobsAdded: 0, bytesAdded: 0n, bytesAddedStored: 0n, filesProcessed: 0, bytesProcessed: 0n },
    errorCount: 0,
    errors: [],
  };
}

/**
 * Backs up a small synthetic tree: /data/<file i> with `files` files of `chunks` blobs each
 * (content from `seed`), returns the snapshot ID and the file blob IDs.
 */
export async function backup(repo: Repository, seed: number, options: { files?: number; chunks?: number; chunkBytes?: number; timeNs?: bigint; host?: string; tags?: string[] } = {}) {
  const files: Node[] = [];
  const blobs: BlobId[] = [];
  for (let f = 0; f < (options.files ?? 3); f++) {
    const content: { id: BlobId; length: number }[] = [];
    for (let c = 0; c < (options.chunks ?? 2); c++) {
      const data = bytesOf(seed * 1000 + f * 10 + c, options.chunkBytes ?? 3000, c % 2 === 0);
      const { id } = await repo.saveBlob("data", data);
      content.push({ id, length: data.length });
      blobs.push(id);
    }
    files.push(fileNode(`file-${f}.txt`, content));
  }
  const sub = await repo.saveTree(createTree(files));
  const root = await repo.saveTree(createTree([dirNode("data", sub)]));
  const id = await repo.saveSnapshot(snapshotOf(root, options.timeNs ?? BigInt(Date.now()) * 1_000_000n, options.host, ["/data"], options.tags ?? []));
  return { id, root, sub, blobs };
}

/** Byte equality without vitest's deep-equality walk (slow on large arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * Reads every tree and every data blob of snapshot `id` (each verified against its ID by
 * `loadBlob`) and returns the number of data blobs read.
 */
export async function readSnapshotFully(repo: Repository, id: SnapshotId): Promise<number> {
  let blobs = 0;
  const walk = async (tree: TreeId): Promise<void> => {
    for (const node of (await repo.loadTree(tree)).nodes) {
      if (node.type === "dir") await walk(node.subtree);
      else if (node.type === "file") {
        for (const c of node.content) {
          if (c.kind !== "data") continue;
          const plain = await repo.loadBlob(c.id);
          if (plain.length !== c.length) throw new Error(`blob ${c.id}: ${plain.length} bytes, the tree says ${c.length}`);
          blobs++;
        }
      }
    }
  };
  await walk((await repo.loadSnapshot(id)).tree);
  return blobs;
}

/** A copy of every object of `from` in a new memory storage. */
export async function cloneStorage(from: Storage, to: Storage = new MemoryStorage()): Promise<Storage> {
  for await (const { key } of from.list("")) await to.put(key, await from.get(key));
  return to;
}

/** Sorted keys under `prefix`. */
export async function keysOf(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of storage.list(prefix)) out.push(o.key);
  return out.sort();
}

/**
 * Backs up several synthetic trees at once, their blobs interleaved so that the packs mix
 * blobs of different snapshots (what makes prune repack rather than just delete).
 */
export async function interleavedBackups(repo: Repository, seeds: readonly number[], options: { files?: number; chunks?: number; chunkBytes?: number; timeNs?: bigint } = {}) {
  const files = options.files ?? 3;
  const chunks = options.chunks ?? 2;
  const contents = seeds.map(() => Array.from({ length: files }, () => [] as { id: BlobId; length: number }[]));
  const blobs = seeds.map(() => [] as BlobId[]);
  for (let f = 0; f < files; f++) {
    for (let c = 0; c < chunks; c++) {
      for (let s = 0; s < seeds.length; s++) {
        const data = bytesOf(seeds[s]! * 1000 + f * 10 + c, options.chunkBytes ?? 3000, c % 2 === 0);
        const { id } = await repo.saveBlob("data", data);
        contents[s]![f]!.push({ id, length: data.length });
        blobs[s]!.push(id);
      }
    }
  }
  const out: { id: SnapshotId; blobs: BlobId[] }[] = [];
  for (let s = 0; s < seeds.length; s++) {
    const sub = await repo.saveTree(createTree(contents[s]!.map((content, f) => fileNode(`file-${f}.txt`, content))));
    const root = await repo.saveTree(createTree([dirNode("data", sub)]));
    const id = await repo.saveSnapshot(snapshotOf(root, (options.timeNs ?? 1_000n) + BigInt(s), "host-a", ["/data"]));
    out.push({ id, blobs: blobs[s]! });
  }
  return out;
}

/**
 * The repository every prune-safety test starts from (packs of 64 KiB, blobs of 30 kB):
 *  - snapshot A (seed 1), alone in its packs, then forgotten: its packs are wholly unused;
 *  - snapshot B (seed 2), kept;
 *  - snapshots C (seed 3) and D (seed 4), blobs interleaved in shared packs; C forgotten, so
 *    those packs are partly used and get repacked;
 *  - a pack uploaded by a writer whose index write failed: unindexed, subject to the grace period.
 * The repository is closed; open it with the passphrase "correct horse".
 */
export async function pruneScenario(storage: Storage): Promise<{ kept: SnapshotId[]; forgotten: SnapshotId[] }> {
  const repo = await newRepo(storage);
  const shape = { files: 3, chunks: 2, chunkBytes: 30_000 };
  const a = await backup(repo, 1, { ...shape, timeNs: 1_000n });
  const b = await backup(repo, 2, { ...shape, timeNs: 2_000n });
  const [c, d] = await interleavedBackups(repo, [3, 4], { ...shape, timeNs: 3_000n });
  await repo.deleteSnapshot(a.id);
  await repo.deleteSnapshot(c!.id);
  await repo.close();
  // A writer that uploads a pack, then fails to write its index (and never retries).
  const failing = withFaults(storage, { seed: 1, rules: [{ fault: { kind: "fail-before", retryable: false }, operations: ["put"], keyPrefix: "index/" }] });
  const crashed = await openRepository(failing, "correct horse");
  await crashed.saveBlob("data", bytesOf(99, 30_000));
  await crashed.flush().catch(() => undefined);
  await crashed.heldLock?.release();
  return { kept: [b.id, d!.id], forgotten: [a.id, c!.id] };
}
