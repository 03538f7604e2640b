// Listing one directory in a worker: readdir (names as bytes), lstat of every entry (bigint, for
// nanosecond times and 64-bit inode numbers), readlink for symlinks, the CACHEDIR.TAG check and
// the entries' xattrs, returned as columns (protocol.ts). Synchronous fs calls: a worker thread
// exists to block, and a sync lstat costs a fraction of a promise round trip through libuv.
import { Buffer } from "node:buffer";
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type BigIntStats } from "node:fs";
import type { NodeType } from "@cairn/manifest";
import { toBuffer, toDisplay, type BinaryPath } from "../../internal/binaryPath.js";
import { describeError, errorKind } from "../../internal/fsErrors.js";
import type { ListedEntry } from "../listing.js";
import { CACHEDIR_TAG_NAME, CACHEDIR_TAG_SIGNATURE } from "../selection.js";
import type { XattrReader } from "../xattrReader.js";
import { ENTRY_TYPES, ID_FIELDS, NUM_FIELDS, TIME_FIELDS, type EntryError, type ListingColumns, type WorkerMessage } from "./protocol.js";
import { nodeTypeOf } from "../../internal/nodeType.js";

const SLASH = Buffer.from("/");

function hasCacheTag(path: Buffer): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(CACHEDIR_TAG_SIGNATURE.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.toString("latin1") === CACHEDIR_TAG_SIGNATURE;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** lstat (and readlink) of one entry at `full`, named `name`; an EntryError if that fails. */
export function statEntry(full: Buffer, name: BinaryPath): ListedEntry | EntryError {
  let st: BigIntStats | undefined;
  try {
    st = lstatSync(full, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    return { name, kind: errorKind(error), message: describeError(error) };
  }
  if (!st) return { name, kind: "missing", message: "ENOENT: no such file or directory (vanished while listed)" };
  const type = nodeTypeOf(st);
  let linkTarget: BinaryPath | undefined;
  if (type === "symlink") {
    try {
      linkTarget = readlinkSync(full, { encoding: "buffer" }).toString("latin1");
    } catch (error) {
      return { name, kind: errorKind(error), message: describeError(error) };
    }
  }
  return {
    name,
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: Number(st.size),
    blocks: Number(st.blocks),
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    ino: st.ino,
    dev: st.dev,
    nlink: Number(st.nlink),
    rdev: st.rdev,
    ...(linkTarget !== undefined ? { linkTarget } : {}),
  };
}

const TYPE_CODE = new Map<NodeType, number>(ENTRY_TYPES.map((t, i) => [t, i]));

function columns(entries: readonly ListedEntry[]): ListingColumns {
  const n = entries.length;
  const types = new Uint8Array(n);
  const nums = new Float64Array(n * NUM_FIELDS);
  const times = new BigInt64Array(n * TIME_FIELDS);
  const ids = new BigUint64Array(n * ID_FIELDS);
  const linkTargets: [number, BinaryPath][] = [];
  const xattrs: [number, readonly (readonly [BinaryPath, Uint8Array])[]][] = [];
  entries.forEach((e, i) => {
    types[i] = TYPE_CODE.get(e.type)!;
    nums.set([e.mode, e.uid, e.gid, e.size, e.blocks, e.nlink], i * NUM_FIELDS);
    times[i * TIME_FIELDS] = e.mtimeNs;
    times[i * TIME_FIELDS + 1] = e.ctimeNs;
    ids[i * ID_FIELDS] = e.ino;
    ids[i * ID_FIELDS + 1] = e.dev;
    ids[i * ID_FIELDS + 2] = e.rdev;
    if (e.linkTarget !== undefined) linkTargets.push([i, e.linkTarget]);
    if (e.xattrs) xattrs.push([i, e.xattrs]);
  });
  return { names: entries.map((e) => e.name), types, nums, times, ids, linkTargets, xattrs };
}

const EMPTY = columns([]);

/** Lists `dir`; with `xattrs`, reads its entries' extended attributes too. */
export async function listDirectory(job: number, dir: BinaryPath, cacheTag: boolean, xattrs: XattrReader | null): Promise<{ message: WorkerMessage & { op: "listed" }; transfer: ArrayBuffer[] }> {
  const dirBuf = toBuffer(dir);
  const prefix = dir === "/" ? SLASH : Buffer.concat([dirBuf, SLASH]);
  let names: Buffer[];
  try {
    names = readdirSync(dirBuf, { encoding: "buffer" });
  } catch (error) {
    return { message: { op: "listed", job, listing: EMPTY, errors: [], cacheTag: false, failure: { kind: errorKind(error), message: describeError(error) } }, transfer: [] };
  }
  const entries: ListedEntry[] = [];
  const errors: EntryError[] = [];
  let tagged = false;
  for (const nameBuf of names) {
    const name = nameBuf.toString("latin1");
    const full = Buffer.concat([prefix, nameBuf]);
    const entry = statEntry(full, name);
    if ("kind" in entry) {
      errors.push(entry);
      continue;
    }
    if (cacheTag && entry.type === "file" && name === CACHEDIR_TAG_NAME) tagged = hasCacheTag(full);
    entries.push(entry);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const warnings: string[] = [];
  if (xattrs && entries.length > 0) {
    try {
      const found = await xattrs.query(dir, entries.map((e) => e.name));
      for (const [i, attrs] of found) entries[i] = { ...entries[i]!, xattrs: attrs };
    } catch (error) {
      warnings.push(`xattrs of ${toDisplay(dir)} not read: ${(error as Error).message}`);
    }
  }
  const listing = columns(entries);
  return {
    message: { op: "listed", job, listing, errors, cacheTag: tagged, ...(warnings.length > 0 ? { warnings } : {}) },
    transfer: [listing.types.buffer, listing.nums.buffer, listing.times.buffer, listing.ids.buffer] as ArrayBuffer[],
  };
}
