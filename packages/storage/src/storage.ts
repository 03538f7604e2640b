// The Storage interface: the whole contract between the repository and wherever its objects
// live (memory, a local directory, S3, Swift, the Cairn server). It is deliberately small —
// whole-object create-only writes, ranged reads, stat, list by prefix, delete — because that is
// what every object store can do atomically, and because the repository never modifies an
// object after writing it (ARCHITECTURE.md, decision 6). Every backend runs the same
// conformance suite (`@cairn/storage/testing`), which is the executable form of this file.

/** One stored object as `list` reports it. */
export interface ObjectInfo {
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
}

/** What `stat` reports about one object. */
export interface ObjectStat {
  /** Size in bytes. */
  readonly size: number;
}

/**
 * A byte range of an object: `length` bytes starting at `offset`. Both are non-negative safe
 * integers; `length` may be 0.
 */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** Options every operation accepts. */
export interface OperationOptions {
  /**
   * Abandons the operation: it rejects with `signal.reason`. A `put` aborted after its object
   * became visible still leaves the object stored (like any failed put, see `Storage.put`).
   */
  readonly signal?: AbortSignal;
}

/**
 * An object store.
 *
 * **Keys.** Objects are addressed by a slash-separated key (`config`, `keys/<id>`,
 * `data/<id>`, `index/<id>`, `snapshots/<id>`, `locks/<id>`), validated by `validateKey`:
 * `[a-z0-9._-]` segments joined by `/`, no segment empty or starting with `.`, at most 255
 * characters per segment and 1024 in all. Every method validates its key before any I/O and
 * rejects a bad one with a `RangeError` (a non-string with a `TypeError`), so no backend can
 * be steered outside its namespace. A key is never both an object and a directory of other
 * keys (see `put`).
 *
 * **Errors.** Methods never throw synchronously; they reject (or, for `list`, the iterator
 * rejects). Failures of the store are `StorageError`s: `ObjectNotFoundError`,
 * `ObjectExistsError`, `KeyConflictError`, `RangeNotSatisfiableError`, or a
 * `StorageUnavailableError` (`retryable: true`) for transient faults, after which the operation
 * may or may not have taken effect. Misuse is a `TypeError` / `RangeError`.
 *
 * **Concurrency.** Any number of operations may be in flight at once, from this process and
 * from others sharing the store. Each object is written exactly once and is immutable until
 * deleted, so readers need no locks. What is *not* guaranteed: an order between operations on
 * different keys as seen by other clients, or that `list` sees objects created or deleted while
 * it runs.
 */
export interface Storage {
  /**
   * Stores `data` under `key` if, and only if, no object is stored there: create-only, never
   * overwrite. Atomic: other readers see either no object or all of `data`, never a prefix.
   * When several writers race for one key, exactly one succeeds and the object holds its
   * bytes; the others get `ObjectExistsError`. `data` must not change while the put is in
   * flight; once it settles, the stored object no longer depends on `data`.
   *
   * A key may not be an object and also a proper prefix of another key at a `/` (`a` and
   * `a/b`). Backends with directory semantics reject such a put with `KeyConflictError`;
   * flat object stores (S3, Swift) may accept it. Callers must not rely on either.
   *
   * On S3 this maps to `PUT` with `If-None-Match: *`; on a filesystem to a temporary file
   * hard-linked into place (see `@cairn/storage/fs`).
   *
   * @throws {TypeError|RangeError} for a malformed key or a `data` that is not a Uint8Array.
   * @throws {ObjectExistsError} if an object is already stored under `key` (it is unchanged).
   * @throws {KeyConflictError} see above.
   * @throws {StorageUnavailableError} on a transient fault; the object may or may not now exist
   *   (`withRetry` resolves that by comparing content).
   */
  put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void>;

  /**
   * Reads the object under `key`, or exactly `range.length` bytes of it from `range.offset`.
   * The result is a fresh `Uint8Array` owned by the caller. A range must lie inside the
   * object (`offset + length <= size`); anything else is an error rather than a short read,
   * because callers always know the lengths they expect and a short read would hide a
   * truncated object. A zero-length range at any offset up to `size` returns empty bytes.
   * (HTTP backends map the range to a `Range` header and check the returned `Content-Range`;
   * zero-length ranges, which HTTP cannot express, are answered from a stat.)
   *
   * @throws {TypeError|RangeError} for a malformed key or range (negative, fractional, unsafe).
   * @throws {ObjectNotFoundError} if no object is stored under `key`.
   * @throws {RangeNotSatisfiableError} if the range does not lie inside the object.
   * @throws {StorageUnavailableError} on a transient fault.
   */
  get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array>;

  /**
   * Reports the size of the object under `key`.
   * @throws {TypeError|RangeError} for a malformed key.
   * @throws {ObjectNotFoundError} if no object is stored under `key`.
   * @throws {StorageUnavailableError} on a transient fault.
   */
  stat(key: string, options?: OperationOptions): Promise<ObjectStat>;

  /**
   * Yields every object whose key starts with `prefix` (plain string prefix: `"data/a"`
   * matches `data/ab` and `data/a/b`, `""` matches everything), each exactly once, in no
   * particular order. Complete for objects that exist for the whole listing; an object created
   * or deleted meanwhile may or may not appear. Backends page through large stores lazily, so
   * a caller that stops early stops the work. Errors, including a malformed prefix, are
   * reported by the iterator.
   *
   * @throws {TypeError|RangeError} if no valid key could start with `prefix` (see `validatePrefix`).
   * @throws {StorageUnavailableError} on a transient fault while listing.
   */
  list(prefix?: string, options?: OperationOptions): AsyncIterable<ObjectInfo>;

  /**
   * Removes the object under `key`. Idempotent: deleting a missing object succeeds, because S3
   * cannot tell the two apart without an extra request, and because it makes a retried or
   * re-run delete (a prune resumed after a crash) trivially safe.
   * @throws {TypeError|RangeError} for a malformed key.
   * @throws {StorageUnavailableError} on a transient fault; the object may or may not be gone.
   */
  delete(key: string, options?: OperationOptions): Promise<void>;

  /**
   * Releases what the backend holds (connections, handles). Afterwards every other method
   * rejects with a non-retryable `StorageError`; calling `close` again does nothing.
   * Operations already in flight are allowed to finish.
   */
  close?(): Promise<void>;
}
