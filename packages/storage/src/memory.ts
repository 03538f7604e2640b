// MemoryStorage: the reference backend. It holds objects in a Map and is what every other
// backend is compared with, what repository tests run against, and what a browser can use.
// It copies bytes in and out, so no caller can change a stored object through a buffer it
// still holds — the same isolation a disk or a network gives for free.
//
// Concurrency: every check-and-change happens synchronously inside one call, so concurrent
// operations are linearizable; a racing put sees either the other's object or none.
import { KeyConflictError, ObjectExistsError, ObjectNotFoundError, StorageError } from "./errors.js";
import { validateKey, validatePrefix } from "./keys.js";
import { throwIfAborted } from "./internal/abort.js";
import { copyBytes } from "./internal/bytes.js";
import { resolveRange } from "./internal/range.js";
import { byteRange, bytes } from "./internal/validate.js";
import type { ByteRange, ObjectInfo, ObjectStat, OperationOptions, Storage } from "./storage.js";

/** Every proper directory prefix of `key`: `a/b/c` → `a/`, `a/b/`. */
function directoriesOf(key: string): string[] {
  const dirs: string[] = [];
  for (let i = key.indexOf("/"); i !== -1; i = key.indexOf("/", i + 1)) dirs.push(key.slice(0, i + 1));
  return dirs;
}

/** A Storage held in memory. Browser-safe. */
export class MemoryStorage implements Storage {
  readonly #objects = new Map<string, Uint8Array>();
  /** Directory prefix (`a/`) → number of objects beneath it, to enforce the key-tree rule. */
  readonly #directories = new Map<string, number>();
  #closed = false;

  /** @see Storage.put */
  async put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void> {
    this.#check(key, options);
    bytes("data", data);
    if (this.#objects.has(key)) throw new ObjectExistsError(key);
    if (this.#directories.has(`${key}/`)) throw new KeyConflictError(key, `the objects under ${key}/`);
    const dirs = directoriesOf(key);
    for (const dir of dirs) {
      const asObject = dir.slice(0, -1);
      if (this.#objects.has(asObject)) throw new KeyConflictError(key, `the object ${asObject}`);
    }
    this.#objects.set(key, copyBytes(data));
    for (const dir of dirs) this.#directories.set(dir, (this.#directories.get(dir) ?? 0) + 1);
  }

  /** @see Storage.get */
  async get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array> {
    this.#check(key, options);
    const r = byteRange(range);
    const data = this.#objects.get(key);
    if (data === undefined) throw new ObjectNotFoundError(key);
    const [start, end] = resolveRange(key, data.length, r);
    return data.slice(start, end);
  }

  /** @see Storage.stat */
  async stat(key: string, options?: OperationOptions): Promise<ObjectStat> {
    this.#check(key, options);
    const data = this.#objects.get(key);
    if (data === undefined) throw new ObjectNotFoundError(key);
    return { size: data.length };
  }

  /** @see Storage.list — iterates over a snapshot taken when iteration starts. */
  async *list(prefix = "", options?: OperationOptions): AsyncGenerator<ObjectInfo> {
    validatePrefix(prefix);
    this.#checkOpen(options);
    const matches: ObjectInfo[] = [];
    for (const [key, data] of this.#objects) if (key.startsWith(prefix)) matches.push({ key, size: data.length });
    for (const info of matches) {
      throwIfAborted(options?.signal);
      yield info;
    }
  }

  /** @see Storage.delete */
  async delete(key: string, options?: OperationOptions): Promise<void> {
    this.#check(key, options);
    if (!this.#objects.delete(key)) return;
    for (const dir of directoriesOf(key)) {
      const left = (this.#directories.get(dir) ?? 1) - 1;
      if (left === 0) this.#directories.delete(dir);
      else this.#directories.set(dir, left);
    }
  }

  /** @see Storage.close — drops every object. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#objects.clear();
    this.#directories.clear();
  }

  #check(key: string, options: OperationOptions | undefined): void {
    validateKey(key);
    this.#checkOpen(options);
  }

  #checkOpen(options: OperationOptions | undefined): void {
    throwIfAborted(options?.signal);
    if (this.#closed) throw new StorageError("storage is closed");
  }
}
