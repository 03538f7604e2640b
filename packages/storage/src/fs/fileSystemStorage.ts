// FileSystemStorage: a Storage in a local directory, one file per object (`<root>/<key>`, or
// sharded, see layout.ts). Writes are create-only, atomic and durable (see atomicCreate.ts);
// reads use positioned reads, so a range costs only its bytes; `list` walks the tree lazily
// and skips temporary files, so it is correct while other processes write.
//
// Concurrency, including across processes sharing the directory: racing puts of one key have
// exactly one winner; a reader never sees a partial object; deleting a key while another
// process reads it is safe on POSIX (the reader keeps its open file). Not guaranteed: that
// `list` reports objects created or deleted while it runs.
//
// Node only: import it from `@cairn/storage/fs`.
import { constants } from "node:fs";
import { lstat, open, rmdir, unlink } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { KeyConflictError, ObjectExistsError, ObjectNotFoundError, StorageError, StorageUnavailableError } from "../errors.js";
import { validateKey, validatePrefix } from "../keys.js";
import { throwIfAborted } from "../internal/abort.js";
import { simulateCrashedPut, type CrashablePut } from "../internal/crashHook.js";
import { resolveRange } from "../internal/range.js";
import { byteRange, bytes, integer, number } from "../internal/validate.js";
import type { ByteRange, ObjectInfo, ObjectStat, OperationOptions, Storage } from "../storage.js";
import {
  CLAIM_PREFIX,
  TEMPORARY_PREFIX,
  ensureDirectory,
  publishByClaim,
  publishByLink,
  removeQuietly,
  syncDirectory,
  writeTemporaryFile,
  type PublishOutcome,
} from "./atomicCreate.js";
import { NOT_AN_OBJECT, errorCode, toStorageError } from "./errno.js";
import { Layout } from "./layout.js";
import { walk } from "./walk.js";

export interface FileSystemStorageOptions {
  /**
   * Key prefixes (each ending in `/`, e.g. `["data/"]`) whose objects are stored in
   * two-character subdirectories, restic-style: `data/ab12…` → `<root>/data/ab/ab12…`. Keys
   * under them must then be one segment of at least 2 characters. Default: none. Part of the
   * on-disk layout: always open a store with the same value.
   */
  readonly shardedPrefixes?: readonly string[];
  /** Permission bits of object files (default 0o600; the process umask also applies). */
  readonly fileMode?: number;
  /** Permission bits of directories (default 0o700). */
  readonly directoryMode?: number;
  /**
   * How create-only is enforced: `"link"` (hard link, fails if the name exists), `"claim"`
   * (an exclusive claim directory, then rename; for filesystems without hard links) or
   * `"auto"` (default: link, switching to claim if the filesystem refuses hard links). All
   * writers of one store must end up using the same method.
   */
  readonly createMode?: "auto" | "link" | "claim";
}

/** Opening the temporary file can race with an empty directory being pruned by a delete. */
const DIRECTORY_RACE_ATTEMPTS = 10;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A Storage in a local directory. Node only. */
export class FileSystemStorage implements Storage, CrashablePut {
  /** The absolute path of the store's directory. */
  readonly root: string;
  readonly #layout: Layout;
  readonly #fileMode: number;
  readonly #directoryMode: number;
  #createMode: "auto" | "link" | "claim";
  #closed = false;

  /**
   * Opens (lazily: nothing is touched until the first operation) the store in `root`, which is
   * created with the first put if missing.
   * @throws {TypeError|RangeError} for a malformed root or options.
   */
  constructor(root: string, options: FileSystemStorageOptions = {}) {
    if (typeof root !== "string" || root === "") throw new TypeError(`root: expected a directory path, got ${JSON.stringify(root)}`);
    this.root = resolve(root);
    this.#layout = new Layout(this.root, options.shardedPrefixes ?? []);
    this.#fileMode = integer("fileMode", options.fileMode ?? 0o600, 0, 0o7777);
    this.#directoryMode = integer("directoryMode", options.directoryMode ?? 0o700, 0, 0o7777);
    const createMode = options.createMode ?? "auto";
    if (!["auto", "link", "claim"].includes(createMode)) throw new RangeError(`createMode: expected "auto", "link" or "claim", got ${JSON.stringify(createMode)}`);
    this.#createMode = createMode;
  }

  /** @see Storage.put */
  async put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void> {
    validateKey(key);
    bytes("data", data);
    this.#checkOpen(options);
    const path = this.#layout.pathOf(key);
    try {
      // Not needed for correctness (publishing is create-only), but saves writing a large
      // temporary file just to find the key taken.
      await this.#throwIfOccupied(key, path);
      const temporary = await this.#writeTemporary(key, path, data, true);
      let outcome: PublishOutcome;
      try {
        throwIfAborted(options?.signal);
        outcome = await this.#publish(temporary, path);
      } finally {
        await removeQuietly(temporary);
      }
      if (outcome === "exists") await this.#throwIfOccupied(key, path);
      if (outcome === "exists") throw new StorageUnavailableError(`put ${key}: the object appeared and vanished while publishing`, { key });
      if (outcome === "claimed-by-another") {
        throw new StorageUnavailableError(`put ${key}: another writer is creating this object (or died holding its claim; see cleanupTemporaryFiles)`, { key });
      }
      await syncDirectory(dirname(path));
    } catch (error) {
      throw toStorageError(error, "put", key);
    }
  }

  /** @see Storage.get */
  async get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array> {
    validateKey(key);
    const r = byteRange(range);
    this.#checkOpen(options);
    const path = this.#layout.pathOf(key);
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY | O_NOFOLLOW);
    } catch (error) {
      if (NOT_AN_OBJECT.has(errorCode(error) ?? "")) throw new ObjectNotFoundError(key, { cause: error });
      throw toStorageError(error, "get", key);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new ObjectNotFoundError(key);
      const [start, end] = resolveRange(key, info.size, r);
      const out = new Uint8Array(end - start);
      for (let done = 0; done < out.length; ) {
        const { bytesRead } = await handle.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) throw new StorageError(`get ${key}: the file shrank while being read (modified outside Cairn?)`, { key });
        done += bytesRead;
      }
      return out;
    } catch (error) {
      throw toStorageError(error, "get", key);
    } finally {
      await handle.close();
    }
  }

  /** @see Storage.stat */
  async stat(key: string, options?: OperationOptions): Promise<ObjectStat> {
    validateKey(key);
    this.#checkOpen(options);
    const size = await this.#sizeOf(this.#layout.pathOf(key), key);
    if (size === undefined) throw new ObjectNotFoundError(key);
    return { size };
  }

  /** @see Storage.list */
  async *list(prefix = "", options?: OperationOptions): AsyncGenerator<ObjectInfo> {
    validatePrefix(prefix);
    this.#checkOpen(options);
    const start = this.#layout.listStart(prefix);
    try {
      for await (const entry of walk(this.#layout.absolute(start), start)) {
        throwIfAborted(options?.signal);
        if (entry.kind !== "file" || entry.name.startsWith(".")) continue;
        const key = this.#layout.keyOf(entry.relative);
        if (key === null || !key.startsWith(prefix)) continue;
        const size = await this.#sizeOf(entry.path, key);
        if (size !== undefined) yield { key, size }; // undefined: deleted since the walk saw it
      }
    } catch (error) {
      throw toStorageError(error, "list", undefined);
    }
  }

  /** @see Storage.delete — also removes directories the deletion left empty. */
  async delete(key: string, options?: OperationOptions): Promise<void> {
    validateKey(key);
    this.#checkOpen(options);
    const path = this.#layout.pathOf(key);
    try {
      if ((await this.#sizeOf(path, key)) === undefined) return;
      await unlink(path);
      await syncDirectory(dirname(path));
    } catch (error) {
      if (errorCode(error) === "ENOENT") return;
      throw toStorageError(error, "delete", key);
    }
    // Keeps the directory tree in step with the keys, so that `a` can be stored again once
    // every `a/…` is gone (as in MemoryStorage). Stops at the first directory still in use.
    for (let d = dirname(path); this.#layout.isBelowRoot(d); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch {
        break;
      }
    }
  }

  /**
   * Removes what killed writers left behind: temporary files, and claims (see `createMode`),
   * last modified more than `olderThanMs` ago. Run it only with a margin longer than any write
   * can take (an hour is generous), so no live writer loses its file. Returns how many were
   * removed.
   * @throws {TypeError|RangeError} if `olderThanMs` is not a non-negative number.
   * @throws {StorageError} if the directory cannot be walked or an entry cannot be removed.
   */
  async cleanupTemporaryFiles(olderThanMs: number): Promise<number> {
    number("olderThanMs", olderThanMs, 0, Number.MAX_SAFE_INTEGER);
    this.#checkOpen(undefined);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    try {
      for await (const entry of walk(this.root, "")) {
        const temporary = entry.kind === "file" && entry.name.startsWith(TEMPORARY_PREFIX);
        const claim = entry.kind === "directory" && entry.name.startsWith(CLAIM_PREFIX);
        if (!temporary && !claim) continue;
        const info = await lstat(entry.path).catch(() => undefined);
        if (info === undefined || info.mtimeMs > cutoff) continue;
        try {
          await (temporary ? unlink(entry.path) : rmdir(entry.path));
          removed++;
        } catch (error) {
          if (errorCode(error) !== "ENOENT") throw error;
        }
      }
    } catch (error) {
      throw toStorageError(error, "cleanupTemporaryFiles", undefined);
    }
    return removed;
  }

  /** @see Storage.close — nothing is held open between operations, so this only marks the store closed. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Leaves what a writer killed after writing `partial` leaves: a temporary file, never the object. */
  async [simulateCrashedPut](key: string, partial: Uint8Array): Promise<void> {
    validateKey(key);
    this.#checkOpen(undefined);
    await this.#writeTemporary(key, this.#layout.pathOf(key), partial, false);
  }

  async #writeTemporary(key: string, path: string, data: Uint8Array, sync: boolean): Promise<string> {
    const directory = dirname(path);
    for (let attempt = 1; ; attempt++) {
      try {
        await ensureDirectory(directory, this.#directoryMode);
        return await writeTemporaryFile(directory, data, this.#fileMode, sync);
      } catch (error) {
        const code = errorCode(error);
        // A file where a directory should be: `a` is an object and this key is `a/…`.
        if (code === "ENOTDIR" || code === "EEXIST") throw new KeyConflictError(key, "an object on its path", { cause: error });
        // ENOENT: a delete pruned the directory between mkdir and open; make it again.
        if (code !== "ENOENT" || attempt >= DIRECTORY_RACE_ATTEMPTS) throw error;
      }
    }
  }

  async #publish(temporary: string, path: string): Promise<PublishOutcome> {
    if (this.#createMode !== "claim") {
      const outcome = await publishByLink(temporary, path);
      if (outcome !== "no-hard-links") return outcome;
      if (this.#createMode === "link") throw new StorageError(`put: this filesystem does not support hard links (createMode "link")`);
      this.#createMode = "claim";
    }
    return publishByClaim(temporary, path);
  }

  /** @throws {ObjectExistsError|KeyConflictError} if something already occupies the object's path. */
  async #throwIfOccupied(key: string, path: string): Promise<void> {
    let info;
    try {
      info = await lstat(path);
    } catch (error) {
      if (NOT_AN_OBJECT.has(errorCode(error) ?? "")) return;
      throw error;
    }
    if (info.isDirectory()) throw new KeyConflictError(key, `the objects under ${key}/`);
    throw new ObjectExistsError(key);
  }

  /** The size of the regular file at `path`, or undefined if there is none. */
  async #sizeOf(path: string, key: string): Promise<number | undefined> {
    try {
      const info = await lstat(path);
      return info.isFile() ? info.size : undefined;
    } catch (error) {
      if (NOT_AN_OBJECT.has(errorCode(error) ?? "")) return undefined;
      throw toStorageError(error, "stat", key);
    }
  }

  #checkOpen(options: OperationOptions | undefined): void {
    throwIfAborted(options?.signal);
    if (this.#closed) throw new StorageError("storage is closed");
  }
}
