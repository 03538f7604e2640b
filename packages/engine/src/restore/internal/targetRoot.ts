// Safe access below the restore target, the executor's one way to touch the disk.
//
// Names from a snapshot are untrusted (ARCHITECTURE decision 10): a path must never resolve
// through a symlink, whether the snapshot made it, it was at the target already, or someone
// swapped one in while we run (TOCTOU). Node has no openat(2), so we get the same guarantee from
// Linux's /proc/self/fd: every directory is opened by file descriptor, one component at a time,
// with O_DIRECTORY | O_NOFOLLOW, starting from the target's own descriptor; an operation on
// `name` inside it then goes through `/proc/self/fd/<fd>/<name>`, which the kernel resolves to
// the directory we hold open — not to whatever a path string names now. Only the final `name` is
// looked up by the operation itself, and every operation we use either creates it exclusively
// (O_CREAT|O_EXCL, mkdir, symlink, link, mknod), does not follow it (O_NOFOLLOW, lstat, lutimes,
// lchown, unlink, rename), or acts on an fd we opened with O_NOFOLLOW (fchmod, fchown, futimes).
//
// Directory descriptors are cached (bounded, least recently used first) and reference-counted,
// so one is never closed while an operation still uses it (a reused fd number would name another
// directory). What is *not* guaranteed: if someone with write access renames a directory we hold
// open to somewhere outside the target, writes into it follow it there — as with openat.
import { Buffer } from "node:buffer";
import { closeSync, constants, openSync, promises as fs, type BigIntStats } from "node:fs";
import { RestoreError } from "../errors.js";

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const MAX_OPEN_DIRS = 256;

interface CachedDir {
  readonly fd: number;
  refs: number;
  /** Dropped from the cache while in use: closed on the last release. */
  dead?: boolean;
}

/** An open directory below the target; release it when done. */
export interface DirLease {
  readonly fd: number;
  /** `/proc/self/fd/<fd>/<name>`: the name inside this directory, for one fs call. */
  at(name: Uint8Array): Buffer;
  /** The directory itself, for calls that take a path (`readdir`). */
  readonly self: string;
  release(): void;
}

const keyOf = (names: readonly Uint8Array[]): string => names.map((n) => Buffer.from(n).toString("latin1")).join("/");

export class TargetRoot {
  private readonly cache = new Map<string, CachedDir>();

  private constructor(
    /** The target directory as the caller named it (trusted). */
    readonly path: string,
    private readonly root: fs.FileHandle,
  ) {}

  /**
   * Creates the target if needed and opens it.
   * @throws {RestoreError} if it is not a directory, cannot be created, or /proc/self/fd is missing.
   */
  static async open(target: string): Promise<TargetRoot>;
  /** With `create: false`: null if the target does not exist. */
  static async open(target: string, options: { create: false }): Promise<TargetRoot | null>;
  static async open(target: string, options: { create?: boolean } = {}): Promise<TargetRoot | null> {
    try {
      await fs.access("/proc/self/fd", constants.R_OK);
    } catch {
      throw new RestoreError("unsupported-platform", "restoring needs /proc/self/fd (Linux) to open every directory without following symlinks");
    }
    try {
      if (options.create === false) {
        const exists = await fs.stat(target).then(
          () => true,
          (error: NodeJS.ErrnoException) => {
            if (error.code === "ENOENT") return false;
            throw error;
          },
        );
        if (!exists) return null;
      } else await fs.mkdir(target, { recursive: true, mode: 0o700 });
      const handle = await fs.open(target, constants.O_RDONLY | constants.O_DIRECTORY);
      return new TargetRoot(target, handle);
    } catch (error) {
      throw new RestoreError("bad-target", `cannot use ${JSON.stringify(target)} as the restore target: ${describeFsError(error)}`, { cause: error });
    }
  }

  /** A lease on the target directory itself. */
  rootLease(): DirLease {
    return lease(this.root.fd, () => undefined);
  }

  /**
   * Opens the directory at `names` below the target, never following a symlink on the way.
   * @throws the fs error (ENOENT, ENOTDIR, ELOOP for a symlink, …) of the first component that is
   *   not a real directory.
   */
  async dir(names: readonly Uint8Array[]): Promise<DirLease> {
    return this.dirSync(names);
  }

  /**
   * `dir`, synchronously: a cached descriptor, or one open(2) per missing component — microseconds,
   * cheaper than a thread-pool round trip (a restore opens every directory twice: to fill it, and
   * deepest first to set its metadata).
   */
  dirSync(names: readonly Uint8Array[]): DirLease {
    if (names.length === 0) return this.rootLease();
    const key = keyOf(names);
    let cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key); // re-insert: most recently used last
      this.cache.set(key, cached);
    } else {
      const parent = this.dirSync(names.slice(0, -1));
      let fd: number;
      try {
        fd = openSync(parent.at(names[names.length - 1]!), DIR_FLAGS);
      } finally {
        parent.release();
      }
      cached = { fd, refs: 0 };
      this.cache.set(key, cached);
    }
    const entry = cached;
    entry.refs++;
    return lease(entry.fd, () => {
      entry.refs--;
      if (entry.dead && entry.refs === 0) closeQuietly(entry.fd);
      else this.evict();
    });
  }

  /** Forgets a directory (after it was removed or replaced): its fd no longer names that path. */
  async forget(names: readonly Uint8Array[]): Promise<void> {
    const prefix = keyOf(names);
    for (const [key, entry] of [...this.cache]) {
      if (key !== prefix && !key.startsWith(`${prefix}/`)) continue;
      this.cache.delete(key);
      if (entry.refs === 0) closeQuietly(entry.fd);
      else entry.dead = true;
    }
  }

  private evict(): void {
    if (this.cache.size <= MAX_OPEN_DIRS) return;
    for (const [key, entry] of this.cache) {
      if (this.cache.size <= MAX_OPEN_DIRS) break;
      if (entry.refs > 0) continue;
      this.cache.delete(key);
      closeQuietly(entry.fd);
    }
  }

  /** lstat of `name` in a leased directory, or null if it does not exist. */
  static async lstat(dir: DirLease, name: Uint8Array): Promise<BigIntStats | null> {
    try {
      return await fs.lstat(dir.at(name), { bigint: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async close(): Promise<void> {
    for (const entry of this.cache.values()) closeQuietly(entry.fd);
    this.cache.clear();
    await this.root.close().catch(() => undefined);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // a directory descriptor: nothing was written through it that close could lose
  }
}

/** `/proc/self/fd/<dirFd>/<name>`: `name` inside the directory open as `dirFd` (any thread of this process). */
export function procPath(dirFd: number, name: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`/proc/self/fd/${dirFd}/`), name]);
}

function lease(fd: number, release: () => void): DirLease {
  let released = false;
  return {
    fd,
    self: `/proc/self/fd/${fd}`,
    at: (name) => procPath(fd, name),
    release: () => {
      if (released) return;
      released = true;
      release();
    },
  };
}

/** "ENOENT: no such file or directory (open)" — the errno and syscall, never the /proc path. */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | null;
  if (e && typeof e.code === "string") {
    const text = typeof e.message === "string" ? e.message.replace(/,\s.*$/s, "") : e.code;
    return e.syscall ? `${text} (${e.syscall})` : text;
  }
  return e instanceof Error ? e.message : String(error);
}
