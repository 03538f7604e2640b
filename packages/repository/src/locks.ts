// Locks (`locks/<id>`, sealed as object type "lock"; FORMAT.md §9.1). Backups and other writers
// take *shared* locks; only destructive maintenance (prune) takes an *exclusive* one. Writers
// never wait for each other: shared locks only keep prune away.
//
// Protocol (every lock object is immutable; "refresh" writes a new one and deletes the old):
//  - shared:    create ours; then list: a live exclusive lock of someone else → delete ours, fail.
//  - exclusive: list: any live lock of someone else → fail; create ours; list again: any live
//               lock of someone else appeared meanwhile → delete ours, fail. Stale locks found
//               are deleted (their owners notice on their next refresh: LockLostError).
//  Two racing acquirers may both fail; they can never both succeed.
//  - live = its time is less than `staleAfterMs` (default 30 min) before our clock; holders
//    refresh every `refreshEveryMs` (default 5 min).
// Failure modes (not guaranteed): clocks skewed by more than staleAfterMs − refreshEveryMs make
// live locks look stale (or stale ones live); a holder paused longer than staleAfterMs (a laptop
// asleep) loses its lock — writers therefore check the lock is still theirs right before writing
// a snapshot (`assertHeld`), so a backup that lost its lock fails instead of publishing a
// snapshot whose deduplicated blobs a prune may have deleted.
import type { Storage } from "@cairn/storage";
import { ObjectNotFoundError } from "@cairn/storage";
import { CorruptObjectError, LockLostError, RepositoryLockedError } from "./errors.js";
import { fromUtf8, randomBytes, toHex, utf8 } from "./internal/bytes.js";
import type { ObjectCipher } from "./crypto/objectCipher.js";

export interface LockOptions {
  /** A lock older than this is stale (default 30 minutes). */
  readonly staleAfterMs?: number;
  /** How often a held lock is renewed (default 5 minutes). */
  readonly refreshEveryMs?: number;
  /** Recorded in the lock for people reading `RepositoryLockedError` (default "unknown"). */
  readonly host?: string;
  /** The clock (default Date.now); tests move it. */
  readonly now?: () => number;
}

export interface LockRecord {
  readonly object: string;
  readonly exclusive: boolean;
  readonly host: string;
  /** Stable across refreshes: identifies the holder. */
  readonly owner: string;
  readonly timeMs: number;
}

async function readLocks(storage: Storage, cipher: ObjectCipher): Promise<LockRecord[]> {
  const out: LockRecord[] = [];
  for await (const { key } of storage.list("locks/")) {
    if (!/^locks\/[0-9a-f]{64}$/.test(key)) continue; // not a lock's name: not part of the repository (FORMAT.md §2.2)
    try {
      const json = JSON.parse(fromUtf8(await cipher.open("lock", key, await storage.get(key)))) as Omit<LockRecord, "object">;
      out.push({ object: key, exclusive: json.exclusive === true, host: String(json.host), owner: String(json.owner), timeMs: Number(json.timeMs) });
    } catch (error) {
      if (error instanceof ObjectNotFoundError) continue; // released while we listed
      // An unreadable lock is treated as live and exclusive: never ignore what we cannot read.
      if (error instanceof CorruptObjectError) out.push({ object: key, exclusive: true, host: "unreadable lock", owner: key, timeMs: Number.MAX_SAFE_INTEGER });
      else throw error;
    }
  }
  return out;
}

/** A held lock. Call `release` when done (also on failure). */
export class RepositoryLock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lost: string | undefined;
  private released = false;
  /** Refreshes run one at a time (timer, assertHeld): two at once would orphan a lock object. */
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly storage: Storage,
    private readonly cipher: ObjectCipher,
    readonly exclusive: boolean,
    readonly owner: string,
    private current: string,
    private timeMs: number,
    private readonly options: Required<LockOptions>,
  ) {}

  /**
   * Takes a lock.
   * @throws {RepositoryLockedError} if a live lock of someone else excludes it.
   */
  static async acquire(storage: Storage, cipher: ObjectCipher, exclusive: boolean, options: LockOptions = {}, owner = toHex(randomBytes(16))): Promise<RepositoryLock> {
    const opts: Required<LockOptions> = { staleAfterMs: 30 * 60_000, refreshEveryMs: 5 * 60_000, host: "unknown", now: Date.now, ...options };
    const live = (l: LockRecord) => l.owner !== owner && opts.now() - l.timeMs < opts.staleAfterMs;
    const conflicts = (locks: LockRecord[]) => locks.filter((l) => live(l) && (exclusive || l.exclusive));
    if (exclusive) {
      const before = await readLocks(storage, cipher);
      const blocking = conflicts(before);
      if (blocking.length > 0) throw new RepositoryLockedError("exclusive", blocking);
    }
    const { key, timeMs } = await RepositoryLock.write(storage, cipher, exclusive, owner, opts);
    const lock = new RepositoryLock(storage, cipher, exclusive, owner, key, timeMs, opts);
    const after = await readLocks(storage, cipher);
    const blocking = conflicts(after);
    if (blocking.length > 0) {
      await storage.delete(key);
      throw new RepositoryLockedError(exclusive ? "exclusive" : "shared", blocking);
    }
    if (exclusive) for (const stale of after.filter((l) => l.owner !== owner && !live(l))) await storage.delete(stale.object);
    lock.timer = setInterval(() => void lock.refresh().catch(() => undefined), opts.refreshEveryMs);
    (lock.timer as { unref?: () => void }).unref?.();
    return lock;
  }

  private static async write(storage: Storage, cipher: ObjectCipher, exclusive: boolean, owner: string, opts: Required<LockOptions>): Promise<{ key: string; timeMs: number }> {
    const timeMs = opts.now();
    const plain = utf8(JSON.stringify({ exclusive, host: opts.host, owner, timeMs }));
    const { key, bytes } = await cipher.seal("lock", plain, (id) => `locks/${id}`);
    await storage.put(key, bytes);
    return { key, timeMs };
  }

  /** The storage key of the current lock object. */
  get object(): string {
    return this.current;
  }

  /**
   * Renews the lock (new object, old one deleted).
   * @throws {LockLostError} if our lock object was deleted (someone judged it stale).
   */
  refresh(): Promise<void> {
    const run = this.chain.then(() => this.refreshOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async refreshOnce(): Promise<void> {
    if (this.released) throw new LockLostError(this.current, "it was released");
    if (this.lost) throw new LockLostError(this.current, this.lost);
    try {
      await this.storage.stat(this.current);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) this.lost = "it was deleted by another process (judged stale)";
      throw this.lost ? new LockLostError(this.current, this.lost) : error;
    }
    const old = this.current;
    const { key, timeMs } = await RepositoryLock.write(this.storage, this.cipher, this.exclusive, this.owner, this.options);
    this.current = key;
    this.timeMs = timeMs;
    await this.storage.delete(old);
  }

  /**
   * Confirms the lock is still ours and fresh: refreshes it if it is older than half the stale time.
   * @throws {LockLostError} if it was lost or has gone stale.
   */
  async assertHeld(): Promise<void> {
    if (this.options.now() - this.timeMs >= this.options.staleAfterMs) {
      this.lost = `not refreshed for ${this.options.now() - this.timeMs} ms (stale after ${this.options.staleAfterMs})`;
    }
    if (this.lost) throw new LockLostError(this.current, this.lost);
    await this.refresh();
  }

  /**
   * For an exclusive lock, right before a destructive step: confirms it is still held and fresh
   * (see `assertHeld`) and that no other live lock has appeared since it was taken (a writer
   * that started while we were paused past the stale time, or one whose clock is skewed).
   * @throws {LockLostError} if the lock was lost.
   * @throws {RepositoryLockedError} if someone else holds a live lock.
   */
  async assertExclusive(): Promise<void> {
    await this.assertHeld();
    const others = (await readLocks(this.storage, this.cipher)).filter((l) => l.owner !== this.owner && this.options.now() - l.timeMs < this.options.staleAfterMs);
    if (others.length > 0) throw new RepositoryLockedError("exclusive", others);
  }

  /** Stops refreshing and deletes the lock object. */
  async release(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.released = true;
    await this.chain;
    await this.storage.delete(this.current);
  }
}

/**
 * Deletes stale locks (those older than `staleAfterMs` by `now`), or with `all` every lock —
 * only for locks known to belong to dead processes: a live writer whose lock is removed fails
 * with `LockLostError` at its next refresh or snapshot, but until then a prune could run.
 * @returns the storage keys deleted.
 */
export async function removeLocks(storage: Storage, cipher: ObjectCipher, options: LockOptions & { readonly all?: boolean } = {}): Promise<string[]> {
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? 30 * 60_000;
  const removed: string[] = [];
  for (const lock of await readLocks(storage, cipher)) {
    if (options.all === true || (lock.host !== "unreadable lock" && now() - lock.timeMs >= staleAfterMs)) {
      await storage.delete(lock.object);
      removed.push(lock.object);
    }
  }
  return removed.sort();
}

/** Every lock in the repository (for `check` and for people deciding whether to break one). */
export function listLocks(storage: Storage, cipher: ObjectCipher): Promise<LockRecord[]> {
  return readLocks(storage, cipher);
}
