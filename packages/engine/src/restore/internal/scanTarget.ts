// What is already at the target, as the planner's inventory. Only what matters is looked at:
// the directories the snapshot restores into (each listed once, its names lstat'ed), and with
// `delete`, whatever else they hold (recursively, so extraneous directories can be emptied).
// Nothing is followed: a symlink at the target is reported as a symlink, and what it points to
// is never listed. Our own temporary names from an interrupted run are collected for removal,
// never reported as entries.
//
// With `verifyExisting`, an existing regular file where the snapshot has a file is read at the
// snapshot's blob boundaries and each range hashed with the repository's blob-ID key
// (contentMatches), so the planner keeps or reuses exactly what already matches.
import { Buffer } from "node:buffer";
import { constants, promises as fs, type BigIntStats } from "node:fs";
import type { FileNode } from "@cairn/manifest";
import type { BlobRangeReader } from "@cairn/repository";
import type { SelectionMatcher, SnapshotEntry, TargetEntry } from "@cairn/restore-planner";
import { isTempName } from "./planPaths.js";
import { TargetRoot, type DirLease } from "./targetRoot.js";
import { nodeTypeOf } from "../../internal/nodeType.js";

export interface ScanOptions {
  /** Names of the snapshot directory that maps to the target. */
  readonly subtree: readonly Uint8Array[];
  readonly matcher: SelectionMatcher;
  readonly delete: boolean;
  /** Set to hash existing files (verifyExisting). */
  readonly reader: BlobRangeReader | null;
  readonly signal?: AbortSignal;
}

export interface ScanResult {
  readonly inventory: TargetEntry[];
  /** Temporary files of an earlier run, as names below the target. */
  readonly staleTemps: Uint8Array[][];
}

const key = (names: readonly Uint8Array[]) => names.map((n) => Buffer.from(n).toString("latin1")).join("/");
const joined = (names: readonly Uint8Array[]) => Buffer.from(key(names), "latin1");

/** glibc's gnu_dev_major / gnu_dev_minor. */
export function splitRdev(rdev: bigint): [number, number] {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return [Number(major & 0xffffffffn), Number(minor & 0xffffffffn)];
}

export async function scanTarget(target: string, entries: readonly SnapshotEntry[], options: ScanOptions): Promise<ScanResult> {
  const root = await TargetRoot.open(target, { create: false });
  if (!root) return { inventory: [], staleTemps: [] };
  // The snapshot's children of each directory below the subtree, by the directory's names.
  const children = new Map<string, Map<string, SnapshotEntry>>();
  const depth = options.subtree.length;
  for (const e of entries) {
    const names = splitNames(e.path);
    if (names.length <= depth || key(names.slice(0, depth)) !== key(options.subtree)) continue;
    const rel = names.slice(depth);
    const parent = key(rel.slice(0, -1));
    let map = children.get(parent);
    if (!map) children.set(parent, (map = new Map()));
    map.set(Buffer.from(rel[rel.length - 1]!).toString("latin1"), e);
  }
  const inventory: TargetEntry[] = [];
  const staleTemps: Uint8Array[][] = [];

  const scanDir = async (rel: Uint8Array[]): Promise<void> => {
    options.signal?.throwIfAborted();
    const dir = await root.dir(rel).catch(() => null); // not a real directory (any more): nothing below counts
    if (!dir) return;
    const descend: Uint8Array[][] = [];
    try {
      const listed = await fs.readdir(dir.self, { encoding: "buffer" });
      const wanted = children.get(key(rel));
      for (let i = 0; i < listed.length; i += 32) {
        await Promise.all(
          listed.slice(i, i + 32).map(async (name) => {
            const names = [...rel, new Uint8Array(name)];
            if (isTempName(name)) {
              staleTemps.push(names);
              return;
            }
            const snap = wanted?.get(name.toString("latin1"));
            const abs = [...options.subtree, ...names];
            if (!snap && !(options.delete && (options.matcher.selects(abs) || options.matcher.mayDescend(abs)))) return;
            const st = await TargetRoot.lstat(dir, name);
            if (!st) return;
            inventory.push(await describe(dir, name, names, st, snap, options.reader));
            if (st.isDirectory() && (snap ? snap.node.type === "dir" : options.delete)) descend.push(names);
          }),
        );
      }
    } finally {
      dir.release();
    }
    for (const names of descend) await scanDir(names);
  };
  try {
    await scanDir([]);
  } finally {
    await root.close();
  }
  return { inventory, staleTemps };
}

async function describe(dir: DirLease, name: Buffer, names: Uint8Array[], st: BigIntStats, snap: SnapshotEntry | undefined, reader: BlobRangeReader | null): Promise<TargetEntry> {
  const type = nodeTypeOf(st);
  const [rdevMajor, rdevMinor] = type === "chardev" || type === "blockdev" ? splitRdev(st.rdev) : [null, null];
  const linkTarget = type === "symlink" ? new Uint8Array(await fs.readlink(dir.at(name), { encoding: "buffer" })) : null;
  const contentMatches = reader && type === "file" && snap?.node.type === "file" ? await matchContent(dir, name, snap.node, reader) : null;
  return {
    path: joined(names),
    type,
    size: type === "file" ? st.size : 0n,
    mtimeNs: st.mtimeNs,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    links: Number(st.nlink),
    deviceId: st.dev,
    inode: st.ino,
    linkTarget,
    rdevMajor,
    rdevMinor,
    contentMatches,
  };
}

/** For each content entry of `node`: does the file hold exactly that at that offset? */
async function matchContent(dir: DirLease, name: Buffer, node: FileNode, reader: BlobRangeReader): Promise<boolean[] | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(dir.at(name), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const size = (await handle.stat()).size;
    const out: boolean[] = [];
    let offset = 0;
    for (const c of node.content) {
      let ok = offset + c.length <= size;
      if (ok && c.kind === "data") {
        const buf = new Uint8Array(c.length);
        const { bytesRead } = await handle.read(buf, 0, c.length, offset);
        ok = bytesRead === c.length && (await reader.blobIdOf(buf)) === c.id;
      } else if (ok) ok = await readsAsZeros(handle, offset, c.length);
      out.push(ok);
      offset += c.length;
    }
    return out;
  } finally {
    await handle.close();
  }
}

async function readsAsZeros(handle: fs.FileHandle, offset: number, length: number): Promise<boolean> {
  const buf = new Uint8Array(Math.min(length, 1 << 20));
  for (let done = 0; done < length; ) {
    const n = Math.min(buf.length, length - done);
    const { bytesRead } = await handle.read(buf, 0, n, offset + done);
    if (bytesRead === 0) return false;
    for (let i = 0; i < bytesRead; i++) if (buf[i] !== 0) return false;
    done += bytesRead;
  }
  return true;
}

function splitNames(path: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let begin = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === 0x2f) {
      out.push(path.subarray(begin, i));
      begin = i + 1;
    }
  }
  return out;
}
