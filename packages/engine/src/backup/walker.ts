// The walk: a depth-first traversal that turns the selected part of the file system into trees.
//
// The walk itself is sequential — one directory at a time, entries in name order — but it never
// waits for file contents: every file becomes a promise of its node (read by a worker, or reused
// from the parent snapshot), every directory a promise of its tree that settles once its
// children have. What the walk does wait for is (a) listings, which are fetched ahead (the next
// few subdirectories at each level) so the worker threads list while the walk proceeds, and
// (b) a permit to send one more batch of files to the workers (fileBatch.ts), so at most
// `maxBatchesInFlight` batches — and therefore at most that many unfinished directories plus
// the current path — are held in memory at once. Listings arrive as columns (listing.ts) and
// become nodes one entry at a time.
//
// Change detection pairs each entry with the node of the same name in the parent snapshot's
// tree for the same directory (both sorted by name bytes, so a merge). A file whose type, size,
// mtime, ctime and inode all match is not read: its content list is reused once its blobs are
// confirmed to be in the index. A directory whose tree comes out identical to the parent's
// keeps the parent's tree ID and stores nothing.
import { createTree, type FileNode, type Node, type Tree, type TreeId } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";
import { fromBytes, joinPath, toBuffer, type BinaryPath } from "../internal/binaryPath.js";
import { Semaphore } from "../internal/semaphore.js";
import type { ErrorLog } from "./errorLog.js";
import { checkedXattrs, contentFromWire, dirNode, fileNode, nodeBase, specialNode } from "./nodes.js";
import type { OwnerNames } from "./owners.js";
import type { ProgressTracker } from "./progress.js";
import type { RootTrie } from "./roots.js";
import { markerExcludes, type CompiledSelection } from "./selection.js";
import type { TreeSaver } from "./treeSaver.js";
import { statEntry } from "./worker/listDir.js";
import { FileBatch } from "./fileBatch.js";
import { Listing, type ListedEntry } from "./listing.js";
import type { FileResult } from "./worker/protocol.js";
import type { ListedMessage, WorkerPool } from "./workerPool.js";
import type { XattrReader } from "./xattrReader.js";

/** Subdirectories listed ahead of the walk, per level. */
const LOOKAHEAD = 8;

export interface WalkDeps {
  readonly repo: Repository;
  readonly pool: WorkerPool;
  readonly selection: CompiledSelection;
  readonly owners: OwnerNames;
  readonly progress: ProgressTracker;
  readonly errors: ErrorLog;
  readonly warnings: string[];
  readonly trees: TreeSaver;
  /** Reads xattrs of roots and their ancestors (listed on this thread), or null. */
  readonly xattrs: XattrReader | null;
  readonly maxBatchesInFlight: number;
  readonly signal?: AbortSignal;
}

export interface WalkStats {
  dirsNew: number;
  dirsChanged: number;
  dirsUnmodified: number;
}

interface DirFetch {
  readonly listing: Promise<ListedMessage>;
  readonly parent: Promise<Tree | null>;
}

/**
 * The nodes of one directory as they become ready, by position. Files and subdirectories fill
 * their slot from a callback when their content or tree is known — no promise per entry, which
 * matters for directories of 100 000 files. `done` settles once the walk has sealed the
 * directory (every entry seen) and every expected slot is filled.
 */
class Slots {
  private readonly nodes: (Node | null)[];
  private left = 1; // held by the walk until `seal`
  private resolve!: (nodes: Node[]) => void;
  private reject!: (error: unknown) => void;
  readonly done: Promise<Node[]>;

  constructor(size: number) {
    this.nodes = new Array<Node | null>(size).fill(null);
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => undefined);
  }

  /** One more slot will be filled later. */
  expect(): void {
    this.left++;
  }

  put(k: number, node: Node | null): void {
    this.nodes[k] = node;
    if (--this.left === 0) this.finish();
  }

  /** Fills slot `k` now (for an entry that was not `expect`ed). */
  set(k: number, node: Node | null): void {
    this.nodes[k] = node;
  }

  fail(error: unknown): void {
    this.reject(error);
  }

  seal(): void {
    if (--this.left === 0) this.finish();
  }

  private finish(): void {
    this.resolve(this.nodes.filter((n): n is Node => n !== null));
  }
}

/** The names of one hard-linked inode met so far: the first one's outcome, or who waits for it. */
interface HardlinkGroup {
  outcome?: FileOutcome | null;
  readonly waiters: { done(o: FileOutcome | null): void; fail(error: unknown): void }[];
}

interface FileOutcome {
  readonly content: FileNode["content"];
  readonly size: bigint;
  readonly kind: "new" | "changed" | "unmodified";
}

/** `prev` if it is a file node with the same size, mtime, ctime and inode as `e`, else null. */
function unchanged(prev: Node | undefined, e: ListedEntry): FileNode | null {
  return prev !== undefined && prev.type === "file" && prev.size === BigInt(e.size) && prev.mtimeNs === e.mtimeNs && prev.ctimeNs === e.ctimeNs && prev.inode === e.ino ? prev : null;
}

/** The parent tree's node for each name (both sorted by name bytes). */
function pairWithParent(entries: readonly { readonly name: BinaryPath }[] | readonly BinaryPath[], parent: Tree | null): (Node | undefined)[] {
  const out: (Node | undefined)[] = new Array(entries.length);
  if (!parent) return out;
  let j = 0;
  const names = parent.nodes.map((n) => fromBytes(n.name));
  for (let i = 0; i < entries.length; i++) {
    const item = entries[i]!;
    const name = typeof item === "string" ? item : item.name;
    while (j < names.length && names[j]! < name) j++;
    if (j < names.length && names[j] === name) out[i] = parent.nodes[j];
  }
  return out;
}

export class Walker {
  readonly stats: WalkStats = { dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0 };
  private readonly files: Semaphore;
  private readonly hardlinks = new Map<string, HardlinkGroup>();

  constructor(private readonly deps: WalkDeps) {
    this.files = new Semaphore(deps.maxBatchesInFlight);
  }

  private checkAbort(): void {
    if (this.deps.signal?.aborted) throw this.deps.signal.reason ?? new Error("backup aborted");
  }

  private loadParentTree(id: TreeId | null): Promise<Tree | null> {
    if (id === null) return Promise.resolve(null);
    return this.deps.repo.loadTree(id).catch((error: unknown) => {
      this.deps.warnings.push(`parent tree ${id} could not be read (${(error as Error).message}); its files are read again`);
      return null;
    });
  }

  private fetch(path: BinaryPath, prevSubtree: TreeId | null): DirFetch {
    return { listing: this.deps.pool.list(path, this.deps.selection.excludeCaches), parent: this.loadParentTree(prevSubtree) };
  }

  /**
   * Builds the root tree (standing for "/") of the snapshot. `walked` is called once every
   * entry has been found (only reading and tree building remain).
   */
  async run(trie: RootTrie, parentRoot: TreeId | null, walked: () => void): Promise<TreeId> {
    if (trie.root) {
      const st = this.statOnThisThread("/");
      const dev = "kind" in st ? null : st.dev;
      const done = await this.walkDir("/", this.fetch("/", parentRoot), dev, parentRoot);
      walked();
      const tree = await done();
      if (tree === null) throw new Error("the root directory / could not be listed");
      return tree;
    }
    const done = this.ancestor("/", trie, await this.loadParentTree(parentRoot), parentRoot, walked);
    return done;
  }

  private statOnThisThread(path: BinaryPath): ReturnType<typeof statEntry> {
    const name = path === "/" ? "/" : path.slice(path.lastIndexOf("/") + 1);
    return statEntry(toBuffer(path), name);
  }

  private async withXattrs(path: BinaryPath, entry: ListedEntry): Promise<ListedEntry> {
    if (!this.deps.xattrs) return entry;
    const dir = path.slice(0, path.lastIndexOf("/")) || "/";
    try {
      const found = await this.deps.xattrs.query(dir, [entry.name]);
      const attrs = found.get(0);
      return attrs ? { ...entry, xattrs: attrs } : entry;
    } catch (error) {
      this.deps.warnings.push(`xattrs of ${path} not read: ${(error as Error).message}`);
      return entry;
    }
  }

  /** A directory on the way to roots: only the children that lead to roots. */
  private async ancestor(path: BinaryPath, trie: RootTrie, prevTree: Tree | null, prevId: TreeId | null, walked?: () => void): Promise<TreeId> {
    const names = [...trie.children.keys()].sort();
    const stats = names.map((name) => ({ name, st: this.statOnThisThread(joinPath(path, name)) }));
    const prevs = pairWithParent(
      stats.flatMap((s) => ("kind" in s.st ? [] : [s.st])),
      prevTree,
    );
    const slots = new Slots(stats.length);
    let k = 0;
    for (const [i, { name, st }] of stats.entries()) {
      const childPath = joinPath(path, name);
      const child = trie.children.get(name)!;
      if ("kind" in st) {
        this.deps.errors.add(childPath, st.kind, st.message);
        continue;
      }
      const entry = await this.withXattrs(childPath, st);
      const prev = prevs[k++];
      if (child.root && !(child.children.size > 0 && entry.type === "dir")) {
        await this.rootEntry(childPath, entry, child.root.type, prev, slots, i);
      } else if (entry.type !== "dir") {
        this.deps.errors.add(childPath, "unsupported", `a selected path lies beneath it, but it is a ${entry.type}, not a directory`);
      } else {
        const prevSub = prev?.type === "dir" ? prev.subtree : null;
        const id = await this.ancestor(childPath, child, await this.loadParentTree(prevSub), prevSub);
        slots.set(i, this.dirResult(childPath, entry, id, prev));
      }
    }
    walked?.();
    slots.seal();
    return this.deps.trees.save(createTree(await slots.done), prevId);
  }

  private async rootEntry(path: BinaryPath, entry: ListedEntry, type: "file" | "folder", prev: Node | undefined, slots: Slots, k: number): Promise<void> {
    if (entry.type === "dir" && type === "file") {
      this.deps.errors.add(path, "unsupported", "included as a file, but it is a folder: its contents were not backed up");
      const id = await this.deps.trees.save({ nodes: [] }, null);
      slots.set(k, this.dirResult(path, entry, id, prev));
      return;
    }
    const batch = new FileBatch(path.slice(0, path.lastIndexOf("/")) || "/", this.deps.pool, this.files, this.deps.repo.config.chunker.minSize);
    await this.entry(path, entry, prev, entry.type === "dir" ? entry.dev : null, batch, slots, k);
    await batch.send(); // a root that is a file
  }

  private dirResult(path: BinaryPath, entry: ListedEntry, id: TreeId, prev: Node | undefined): Node {
    if (prev?.type === "dir" && prev.subtree === id) this.stats.dirsUnmodified++;
    else if (prev?.type === "dir") this.stats.dirsChanged++;
    else this.stats.dirsNew++;
    return dirNode(this.base(path, entry), id);
  }

  private base(path: BinaryPath, entry: ListedEntry) {
    const { xattrs, dropped } = checkedXattrs(entry);
    if (dropped > 0) this.deps.errors.add(path, "unsupported", `${dropped} extended attribute(s) exceed the format's limits and were not recorded`);
    return nodeBase(entry, this.deps.owners, xattrs);
  }

  /** One entry of a directory being walked: its node goes into `slots[k]` (null if it could not be backed up). */
  private async entry(path: BinaryPath, e: ListedEntry, prev: Node | undefined, rootDev: bigint | null, batch: FileBatch, slots: Slots, k: number, fetched?: DirFetch): Promise<void> {
    switch (e.type) {
      case "dir": {
        const prevSub = prev?.type === "dir" ? prev.subtree : null;
        const crosses = this.deps.selection.oneFileSystem && rootDev !== null && e.dev !== rootDev;
        if (crosses) {
          const id = await this.deps.trees.save({ nodes: [] }, prevSub);
          slots.set(k, this.dirResult(path, e, id, prev));
          return;
        }
        const done = await this.walkDir(path, fetched ?? this.fetch(path, prevSub), rootDev, prevSub);
        slots.expect();
        done().then(
          (id) => slots.put(k, id === null ? null : this.dirResult(path, e, id, prev)),
          (error: unknown) => slots.fail(error),
        );
        return;
      }
      case "file":
        this.fileEntry(path, e, prev, batch, slots, k);
        return;
      default:
        slots.set(k, specialNode(this.base(path, e), e));
    }
  }

  /** Walks one directory; returns a function that awaits its tree (null if it could not be listed). */
  private async walkDir(path: BinaryPath, fetch: DirFetch, rootDev: bigint | null, prevSubtree: TreeId | null): Promise<() => Promise<TreeId | null>> {
    this.checkAbort();
    const [listed, parentTree] = await Promise.all([fetch.listing, fetch.parent]);
    const { errors, selection, warnings } = this.deps;
    if (listed.failure) {
      errors.add(path, listed.failure.kind, listed.failure.message);
      return () => Promise.resolve(null);
    }
    for (const e of listed.errors) errors.add(joinPath(path, e.name), e.kind, e.message);
    if (listed.warnings) warnings.push(...listed.warnings);
    const listing = new Listing(listed.listing);
    const keep = markerExcludes(listed.listing.names, selection, listed.cacheTag);
    const included: number[] = [];
    for (let i = 0; i < listing.length; i++) {
      const name = listing.name(i);
      if (keep && !keep.has(name)) continue;
      if (selection.isExcluded(joinPath(path, name), name, listing.type(i) === "dir")) continue;
      included.push(i);
    }
    const prevs = pairWithParent(
      included.map((i) => listing.name(i)),
      parentTree,
    );

    // Subdirectories we will descend into (positions in `included`), fetched LOOKAHEAD ahead.
    const subdirs: number[] = [];
    included.forEach((i, k) => {
      if (listing.type(i) === "dir" && !(selection.oneFileSystem && rootDev !== null && listing.dev(i) !== rootDev)) subdirs.push(k);
    });
    const fetched = new Map<number, DirFetch>();
    const ahead = (s: number) => {
      const k = subdirs[s];
      if (k === undefined || fetched.has(k)) return;
      const prev = prevs[k];
      fetched.set(k, this.fetch(joinPath(path, listing.name(included[k]!)), prev?.type === "dir" ? prev.subtree : null));
    };
    for (let s = 0; s < LOOKAHEAD; s++) ahead(s);

    const batch = new FileBatch(path, this.deps.pool, this.files, this.deps.repo.config.chunker.minSize);
    const slots = new Slots(included.length);
    let nextSub = 0;
    for (let k = 0; k < included.length; k++) {
      const e = listing.entry(included[k]!);
      const childPath = joinPath(path, e.name);
      if (e.type === "dir") {
        if (subdirs[nextSub] === k) {
          ahead(nextSub + LOOKAHEAD);
          nextSub++;
        }
        await batch.send(); // do not hold this directory's files while walking the subdirectory
      }
      const f = fetched.get(k);
      fetched.delete(k);
      await this.entry(childPath, e, prevs[k], rootDev, batch, slots, k, f);
      prevs[k] = undefined;
      if (batch.full) await batch.send();
    }
    await batch.send();
    slots.seal();
    const done = slots.done.then((nodes) => this.deps.trees.save({ nodes }, prevSubtree));
    done.catch(() => undefined);
    return () => done;
  }

  private fileEntry(path: BinaryPath, e: ListedEntry, prev: Node | undefined, batch: FileBatch, slots: Slots, k: number): void {
    const base = this.base(path, e);
    this.deps.progress.fileFound(e.size);
    slots.expect();
    const deliver = (o: FileOutcome | null) => slots.put(k, o ? fileNode(base, o.size, o.content) : null);
    const fail = (error: unknown) => slots.fail(error);
    const key = e.nlink > 1 ? `${e.dev}:${e.ino}` : null;
    if (key) {
      const known = this.hardlinks.get(key);
      if (known) {
        // Another name of a hard-linked inode seen earlier in this backup: same content, same outcome.
        const take = (o: FileOutcome | null) => {
          if (o) this.deps.progress.fileDone(Number(o.size), o.kind);
          deliver(o);
        };
        if (known.outcome !== undefined) take(known.outcome);
        else known.waiters.push({ done: take, fail });
        return;
      }
      const group: HardlinkGroup = { waiters: [] };
      this.hardlinks.set(key, group);
      this.fileContent(
        path,
        e,
        prev,
        batch,
        (o) => {
          group.outcome = o;
          deliver(o);
          for (const w of group.waiters.splice(0)) w.done(o);
        },
        (error) => {
          fail(error);
          for (const w of group.waiters.splice(0)) w.fail(error);
        },
      );
      return;
    }
    this.fileContent(path, e, prev, batch, deliver, fail);
  }

  /** The file's content: reused from the parent if unchanged, else read (queued on `batch`). */
  private fileContent(path: BinaryPath, e: ListedEntry, prev: Node | undefined, batch: FileBatch, done: (o: FileOutcome | null) => void, fail: (error: unknown) => void): void {
    const { repo, progress } = this.deps;
    const same = unchanged(prev, e);
    if (same) {
      const content = same.content;
      const size = same.size;
      const check = content.length === 1 && content[0]!.kind === "data" ? repo.hasBlob(content[0]!.id) : Promise.all(content.map((c) => (c.kind === "data" ? repo.hasBlob(c.id) : true))).then((p) => p.every(Boolean));
      check.then((present) => {
        if (present) {
          progress.fileDone(e.size, "unmodified");
          done({ content, size, kind: "unmodified" });
          return;
        }
        // Blobs gone (pruned or damaged): read the file again, in a batch of its own.
        const own = new FileBatch(path.slice(0, path.lastIndexOf("/")) || "/", this.deps.pool, this.files, repo.config.chunker.minSize);
        this.read(path, e, own, "changed", done, fail);
        own.send().catch(fail);
      }, fail);
      return;
    }
    this.read(path, e, batch, prev?.type === "file" ? "changed" : "new", done, fail);
  }

  private read(path: BinaryPath, e: ListedEntry, batch: FileBatch, kind: "new" | "changed", done: (o: FileOutcome | null) => void, fail: (error: unknown) => void): void {
    const { progress, errors } = this.deps;
    progress.inFlight.add(path);
    batch.add({ name: e.name, size: e.size, ino: e.ino, mtimeNs: e.mtimeNs, ctimeNs: e.ctimeNs, sparse: e.blocks * 512 < e.size }, (r: FileResult) => {
      progress.inFlight.delete(path);
      if (r.failure) {
        errors.add(path, r.failure.kind, r.failure.message);
        done(null);
        return;
      }
      if (r.changed) errors.add(path, "changed", r.changed);
      progress.fileDone(r.size, kind);
      done({ content: contentFromWire(r.content), size: BigInt(r.size), kind });
    }, fail);
  }
}
