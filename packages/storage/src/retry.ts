// withRetry: repeats operations that failed with a retryable StorageError, with capped
// exponential backoff and jitter, over the same Storage interface (restic's RetryBackend is
// the model). Only failures the backend marked `retryable` are repeated; misuse and final
// errors (not found, exists, range) pass straight through.
//
// Every operation is safe to repeat:
//   - get, stat: no effects.
//   - delete: idempotent by contract.
//   - list: restarted from the beginning; keys already yielded are skipped, so the caller
//     still sees each key once. This keeps a set of the yielded keys (memory grows with the
//     listing). `attempts` counts consecutive failures without progress, so a long listing
//     that makes progress between faults is not cut short.
//   - put: create-only, and a put that failed transiently may have landed. If a later attempt
//     finds the object already there (ObjectExistsError), the stored bytes are read back and
//     compared: equal bytes count as success (our earlier attempt, or another writer that
//     stored the same content — indistinguishable and, for content-addressed objects, the
//     same thing); different bytes rethrow ObjectExistsError. Without an earlier transient
//     failure, ObjectExistsError is final as usual.
import { ObjectExistsError, ObjectNotFoundError, StorageError, StorageUnavailableError } from "./errors.js";
import { sleep, throwIfAborted } from "./internal/abort.js";
import { equalBytes } from "./internal/bytes.js";
import { integer, number } from "./internal/validate.js";
import type { ByteRange, ObjectInfo, ObjectStat, OperationOptions, Storage } from "./storage.js";

/** The operations a retry can be reported for. */
export type StorageOperation = "put" | "get" | "stat" | "list" | "delete";

/** Passed to `RetryOptions.onRetry` before each wait. */
export interface RetryEvent {
  readonly operation: StorageOperation;
  /** The key, or the prefix for `list`. */
  readonly key: string;
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  /** How long the wrapper waits before the next attempt. */
  readonly delayMs: number;
  readonly error: StorageError;
}

export interface RetryOptions {
  /** Attempts per operation, the first included (default 5; 1 disables retrying). */
  readonly attempts?: number;
  /** Wait before the second attempt (default 100 ms); it doubles for each further attempt… */
  readonly baseDelayMs?: number;
  /** …up to this cap (default 10 000 ms). */
  readonly maxDelayMs?: number;
  /**
   * Fraction of each wait that is randomized, 0..1 (default 1, "full jitter": a wait is uniform
   * in [0, delay]), so that many clients failing together do not retry together.
   */
  readonly jitter?: number;
  /** Stops all retrying: a pending wait rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called before each wait, for logging and metrics. */
  readonly onRetry?: (event: RetryEvent) => void;
}

interface Policy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly signal: AbortSignal | undefined;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
}

/**
 * Wraps `storage` so that retryable failures are retried as described at the top of this file.
 * @throws {TypeError|RangeError} for malformed options.
 */
export function withRetry(storage: Storage, options: RetryOptions = {}): Storage {
  const policy: Policy = {
    attempts: integer("attempts", options.attempts ?? 5, 1, 1000),
    baseDelayMs: number("baseDelayMs", options.baseDelayMs ?? 100, 0, 3_600_000),
    maxDelayMs: number("maxDelayMs", options.maxDelayMs ?? 10_000, 0, 3_600_000),
    jitter: number("jitter", options.jitter ?? 1, 0, 1),
    signal: options.signal,
    onRetry: options.onRetry,
  };
  return new RetryingStorage(storage, policy);
}

function retryable(error: unknown): error is StorageError {
  return error instanceof StorageError && error.retryable;
}

class RetryingStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly policy: Policy,
  ) {}

  put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void> {
    let mayHaveLanded = false;
    return this.#run("put", key, options, async () => {
      try {
        await this.inner.put(key, data, options);
      } catch (error) {
        if (error instanceof ObjectExistsError && mayHaveLanded) {
          if (await this.#holds(key, data, options)) return;
          throw error;
        }
        if (retryable(error)) mayHaveLanded = true;
        throw error;
      }
    });
  }

  get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array> {
    return this.#run("get", key, options, () => this.inner.get(key, range, options));
  }

  stat(key: string, options?: OperationOptions): Promise<ObjectStat> {
    return this.#run("stat", key, options, () => this.inner.stat(key, options));
  }

  delete(key: string, options?: OperationOptions): Promise<void> {
    return this.#run("delete", key, options, () => this.inner.delete(key, options));
  }

  async *list(prefix = "", options?: OperationOptions): AsyncGenerator<ObjectInfo> {
    const seen = new Set<string>();
    for (let failures = 0; ; ) {
      const before = seen.size;
      try {
        for await (const info of this.inner.list(prefix, options)) {
          if (seen.has(info.key)) continue;
          seen.add(info.key);
          yield info;
        }
        return;
      } catch (error) {
        failures = seen.size > before ? 1 : failures + 1;
        await this.#backoff("list", prefix, failures, error, options);
      }
    }
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }

  async #run<T>(operation: StorageOperation, key: string, options: OperationOptions | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let failures = 1; ; failures++) {
      try {
        return await attempt();
      } catch (error) {
        await this.#backoff(operation, key, failures, error, options);
      }
    }
  }

  /** Rethrows `error` unless it is retryable and attempts remain; otherwise waits. */
  async #backoff(operation: StorageOperation, key: string, failures: number, error: unknown, options: OperationOptions | undefined): Promise<void> {
    if (!retryable(error) || failures >= this.policy.attempts) throw error;
    throwIfAborted(this.policy.signal, options?.signal);
    const { baseDelayMs, maxDelayMs, jitter } = this.policy;
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - 1));
    const delayMs = cap * (1 - jitter * Math.random());
    this.policy.onRetry?.({ operation, key, attempt: failures, delayMs, error });
    await sleep(delayMs, this.policy.signal, options?.signal);
  }

  /** True when the object under `key` holds exactly `data`. */
  async #holds(key: string, data: Uint8Array, options: OperationOptions | undefined): Promise<boolean> {
    try {
      const { size } = await this.inner.stat(key, options);
      if (size !== data.length) return false;
      return equalBytes(await this.inner.get(key, undefined, options), data);
    } catch (error) {
      // Deleted between our put and this read: nothing is stored, so putting again is right.
      if (error instanceof ObjectNotFoundError) throw new StorageUnavailableError(`object ${key} vanished while being compared`, { key, cause: error });
      throw error;
    }
  }
}
