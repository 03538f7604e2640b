// The errors a Storage reports. Callers branch on the class (`instanceof`) and on `retryable`;
// messages are for people. Misuse (a malformed key, a negative offset, a non-Uint8Array) is
// not a StorageError: it is a TypeError or RangeError thrown before any I/O (STYLE.md item 11).

/** Base class of every failure a backend reports about the store itself. */
export class StorageError extends Error {
  override readonly name: string = "StorageError";
  /** The key the operation was about, or `undefined` for whole-store operations such as `list`. */
  readonly key: string | undefined;
  /**
   * True when the same call may succeed if repeated later (a timeout, a dropped connection, a
   * busy file). `withRetry` retries exactly these; everything else is final.
   */
  readonly retryable: boolean;

  constructor(message: string, options: { key?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.key = options.key;
    this.retryable = options.retryable ?? false;
  }
}

/** No object is stored under the key. */
export class ObjectNotFoundError extends StorageError {
  override readonly name: string = "ObjectNotFoundError";
  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`object not found: ${key}`, { key, cause: options.cause });
  }
}

/** `put` found an object already stored under the key; the stored object was not changed. */
export class ObjectExistsError extends StorageError {
  override readonly name: string = "ObjectExistsError";
  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`object already exists: ${key}`, { key, cause: options.cause });
  }
}

/**
 * `put` would make a key both an object and a directory of other keys (`a` and `a/b`), which
 * backends with directory semantics (memory, filesystem) cannot store. See `Storage.put`.
 */
export class KeyConflictError extends StorageError {
  override readonly name: string = "KeyConflictError";
  constructor(key: string, conflictsWith: string, options: { cause?: unknown } = {}) {
    super(`key ${key} conflicts with ${conflictsWith}: a key cannot be both an object and a prefix directory of other keys`, {
      key,
      cause: options.cause,
    });
  }
}

/** `get` asked for bytes that are not all inside the object. Nothing is returned. */
export class RangeNotSatisfiableError extends StorageError {
  override readonly name: string = "RangeNotSatisfiableError";
  readonly size: number;
  readonly offset: number;
  readonly length: number;
  constructor(key: string, size: number, offset: number, length: number) {
    super(`range ${offset}+${length} is outside object ${key} of ${size} bytes`, { key });
    this.size = size;
    this.offset = offset;
    this.length = length;
  }
}

/**
 * A transient failure: the store could not be reached or was too busy, and the operation may or
 * may not have taken effect. Always retryable.
 */
export class StorageUnavailableError extends StorageError {
  override readonly name: string = "StorageUnavailableError";
  constructor(message: string, options: { key?: string; cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
  }
}
