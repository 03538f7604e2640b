// Test helpers: run the built `cairn` as a real child process (no TTY, so every password comes
// from the environment or a file), temporary directories, and repositories populated through
// @cairn/repository itself where a test needs snapshots with exact contents (hostile names,
// many snapshots at chosen times) that a real backup could not produce on demand.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTree, type Node, type Snapshot, type SnapshotId, type TreeId } from "@cairn/manifest";
import { openRepository, type Repository } from "@cairn/repository";
import { FileSystemStorage } from "@cairn/storage/fs";

export const CAIRN = fileURLToPath(new URL("../dist/bin/cairn.js", import.meta.url));
export const PASSWORD = "correct horse battery staple";
/** Cheap Argon2id so each command unlocks in milliseconds instead of half a second. */
export const FAST_KDF = "argon2id:m=1024,t=1";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cairn ARGS` with CAIRN_PASSWORD set (unless `env` overrides it) and collects its output. */
export function cairn(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string; input?: string; uid?: number; gid?: number } = {}): Promise<RunResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, CAIRN_PASSWORD: PASSWORD, ...options.env })) if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CAIRN, ...args], { env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"], ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** `cairn … --json`, parsed; fails the test with the output if it is not one JSON document. */
export async function cairnJson(args: readonly string[], options: Parameters<typeof cairn>[1] = {}): Promise<{ code: number; json: unknown; stderr: string }> {
  const r = await cairn([...args, "--json"], options);
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(`stdout of cairn ${args.join(" ")} --json is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

export async function tempDir(prefix = "cairn-cli-"): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** `cairn init` with the fast KDF; throws with the output if it fails. */
export async function initRepo(repo: string): Promise<void> {
  const r = await cairn(["init", "--repo", repo, "--kdf", FAST_KDF]);
  if (r.code !== 0) throw new Error(`cairn init failed (${r.code}): ${r.stderr}`);
}

/** Opens a repository the CLI created, in-process, for building exact snapshots. */
export function openForTest(repo: string): Promise<Repository> {
  return openRepository(new FileSystemStorage(repo), PASSWORD);
}

const enc = new TextEncoder();

/** A tree description: file contents (string or bytes), or nested directories. */
export type Spec = { readonly [name: string]: string | Uint8Array | Spec };

function meta(name: Uint8Array, mtimeNs: bigint) {
  return { name, mode: 0o644, uid: 1000, gid: 1000, user: "alice", group: "staff", mtimeNs, ctimeNs: mtimeNs, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] };
}

/** Stores `spec` as trees and blobs and returns the root tree ID (names may be raw bytes via `name\0hex` keys). */
export async function saveSpec(repo: Repository, spec: Spec, mtimeNs = 1_700_000_000_000_000_000n): Promise<TreeId> {
  const nodes: Node[] = [];
  for (const [key, value] of Object.entries(spec)) {
    const name = key.startsWith("hex:") ? Uint8Array.from(Buffer.from(key.slice(4), "hex")) : enc.encode(key);
    if (typeof value === "string" || value instanceof Uint8Array) {
      const data = typeof value === "string" ? enc.encode(value) : value;
      const content = data.length === 0 ? [] : [{ kind: "data" as const, id: (await repo.saveBlob("data", data)).id, length: data.length }];
      nodes.push({ ...meta(name, mtimeNs), type: "file", size: BigInt(data.length), content });
    } else {
      nodes.push({ ...meta(name, mtimeNs), mode: 0o755, type: "dir", subtree: await saveSpec(repo, value, mtimeNs) });
    }
  }
  return repo.saveTree(createTree(nodes));
}

const STATS = { filesNew: 0, filesChanged: 0, filesUnmodified: 0, dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0, dataBlobsAdded: 0, treeBlobsAdded: 0, bytesAdded: 0n, bytesAddedStored: 0n, filesProcessed: 0, bytesProcessed: 0n };

/** Writes a snapshot of `spec` (rooted at `/`) taken at `time`, with `paths` as its backed-up paths. */
export async function saveSnapshot(repo: Repository, spec: Spec, options: { time: Date; paths?: string[]; host?: string; tags?: string[] }): Promise<SnapshotId> {
  const tree = await saveSpec(repo, spec);
  const snapshot: Snapshot = {
    timeNs: BigInt(options.time.getTime()) * 1_000_000n,
    host: options.host ?? "testhost",
    agentId: null,
    configurationId: null,
    paths: (options.paths ?? ["/data"]).map((p) => enc.encode(p)),
    tags: options.tags ?? [],
    parent: null,
    tree,
    excludes: [],
    programVersion: "cairn-cli test",
    stats: STATS,
    errorCount: 0,
    errors: [],
  };
  return repo.saveSnapshot(snapshot);
}
