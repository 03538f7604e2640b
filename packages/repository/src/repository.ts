// The repository: unlock with a passphrase, then save and load blobs, trees and snapshots over
// any Storage. This class wires the parts together; each concern lives in its own module.
import { CHUNKER_PRESETS, createAes, createBlobIdHasher, type AesEngineChoice, type ChunkerParams } from "@cairn/core";
import { decodeTree, encodeTree, idToBytes, ManifestError, parseTreeId, type BlobId, type Snapshot, type SnapshotId, type Tree, type TreeId } from "@cairn/manifest";
import { ObjectExistsError, ObjectNotFoundError, type Storage } from "@cairn/storage";
import { BlobWriter, type EncodedBlob, type SavedBlob } from "./blobWriter.js";
import { BlobCompressor, DEFAULT_COMPRESSION, type CompressionSetting } from "./compression.js";
import { decodeConfig, encodeConfig, kdfSummary, REPOSITORY_VERSION, type RepositoryConfig } from "./config.js";
import { generateMasterKeys, wipeMasterKeys, type MasterKeys } from "./crypto/masterKeys.js";
import { ObjectCipher } from "./crypto/objectCipher.js";
import { BlobNotFoundError, CorruptObjectError, MissingObjectError, RepositoryExistsError, RepositoryNotFoundError } from "./errors.js";
import { IndexView } from "./index/indexView.js";
import { equalBytes, randomBytes, toHex } from "./internal/bytes.js";
import type { RepositoryContext } from "./internal/context.js";
import { createKeySlot, readKeySlots, removeKeySlot, unlockKeySlots, type NewSlotOptions } from "./keys/keyring.js";
import type { KeySlotInfo } from "./keys/keySlot.js";
import type { KdfChoice } from "./keys/passwordKdf.js";
import { listLocks, removeLocks, RepositoryLock, type LockOptions, type LockRecord } from "./locks.js";
import type { BlobType } from "./pack/packFormat.js";
import { fetchBlob } from "./pack/packReader.js";
import { listSnapshotIds, readSnapshot, snapshotKey, writeSnapshot } from "./snapshots.js";
import { KeySlotCorruptError } from "./errors.js";
import { checkRepository, type CheckOptions } from "./check/check.js";
import type { CheckReport } from "./check/report.js";
import { forgetSnapshots, type ForgetOptions, type ForgetResult } from "./forget/forget.js";
import type { RetentionPolicy } from "./forget/policy.js";
import { pruneRepository, type PruneOptions, type PruneResult } from "./prune/prune.js";

export interface InitOptions {
  /** KDF of the first key slot (default: Argon2id calibrated to ~500 ms). */
  readonly kdf?: KdfChoice;
  readonly label?: string;
  /** Chunk sizes, fixed forever (default CHUNKER_PRESETS.large: 512 KiB / 1 MiB / 8 MiB). */
  readonly chunker?: ChunkerParams;
  readonly compression?: CompressionSetting;
  /** Pack target size (default 16 MiB). */
  readonly packSize?: number;
  /** Pad pack lengths with Padmé (default "padme"). */
  readonly padding?: "padme" | "none";
}

export interface OpenOptions {
  /** Try only this key slot. */
  readonly slotId?: string;
  readonly aesEngine?: AesEngineChoice;
  /** Bytes of index shards cached in memory (default 32 MiB). */
  readonly indexCacheBytes?: number;
  /** Write an index object every this many blobs (default 8192). */
  readonly indexEvery?: number;
  /** Locks: writers take a shared lock on first write unless `locking` is false. */
  readonly locking?: boolean;
  readonly lock?: LockOptions;
}

export const DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

/**
 * Creates a repository in an empty storage and returns it unlocked.
 * @throws {RepositoryExistsError} if a `config` is already there.
 */
export async function initRepository(storage: Storage, passphrase: string | Uint8Array, options: InitOptions & OpenOptions = {}): Promise<Repository> {
  try {
    await storage.stat("config");
    throw new RepositoryExistsError();
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
  }
  const aes = await createAes(options.aesEngine ?? "auto");
  const keys = generateMasterKeys();
  const slot = await createKeySlot(storage, aes, keys, passphrase, { kdf: options.kdf, label: options.label });
  const config: RepositoryConfig = {
    version: REPOSITORY_VERSION,
    id: toHex(randomBytes(32)),
    createdMs: Date.now(),
    chunker: { algorithm: "cairn-gear-v1", ...(options.chunker ?? CHUNKER_PRESETS.large) },
    compression: options.compression ?? DEFAULT_COMPRESSION,
    packs: { targetSize: options.packSize ?? DEFAULT_PACK_SIZE, padding: options.padding ?? "padme" },
    kdf: { algorithm: slot.kdf.algorithm, params: kdfSummary(slot.kdf), targetMs: slot.calibration?.targetMs ?? 0, measuredMs: slot.calibration?.measuredMs ?? 0 },
  };
  const cipher = await ObjectCipher.create(aes, keys.encryption);
  const { bytes } = await cipher.seal("config", encodeConfig(config), "config");
  try {
    await storage.put("config", bytes);
  } catch (error) {
    await storage.delete(`keys/${slot.id}`);
    if (error instanceof ObjectExistsError) throw new RepositoryExistsError();
    throw error;
  }
  return Repository.assemble(storage, keys, slot, cipher, config, options);
}

/**
 * Unlocks an existing repository.
 * @throws {WrongPasswordError} if no key slot opens with `passphrase`.
 * @throws {KeySlotCorruptError} if every slot (or the chosen one) is damaged.
 * @throws {RepositoryNotFoundError} if there is no config or no key slot.
 * @throws {CorruptObjectError} if the config does not authenticate.
 * @throws {UnsupportedVersionError} if the repository is from a newer format.
 */
export async function openRepository(storage: Storage, passphrase: string | Uint8Array, options: OpenOptions = {}): Promise<Repository> {
  let configBytes: Uint8Array;
  try {
    configBytes = await storage.get("config");
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw new RepositoryNotFoundError("no config object");
    throw error;
  }
  const aes = await createAes(options.aesEngine ?? "auto");
  const { keys, slot } = await unlockKeySlots(storage, aes, passphrase, options.slotId);
  const cipher = await ObjectCipher.create(aes, keys.encryption);
  const config = decodeConfig(await cipher.open("config", "config", configBytes));
  return Repository.assemble(storage, keys, slot, cipher, config, options);
}

/** An unlocked repository. Not safe to use after `close`. */
export class Repository {
  private writer: BlobWriter;
  private lock: RepositoryLock | undefined;
  private indexLoaded = false;
  /** Set once this session may write: shared lock taken, then the index re-read. */
  private writeReady: Promise<void> | undefined;

  private constructor(
    readonly ctx: RepositoryContext,
    private readonly keys: MasterKeys,
    /** The key slot this session was unlocked with. */
    readonly keySlot: KeySlotInfo,
    private readonly options: OpenOptions,
  ) {
    this.writer = this.newWriter();
  }

  /** @internal */
  static async assemble(storage: Storage, keys: MasterKeys, slot: KeySlotInfo, cipher: ObjectCipher, config: RepositoryConfig, options: OpenOptions): Promise<Repository> {
    const ctx: RepositoryContext = {
      storage,
      cipher,
      config,
      compressor: await BlobCompressor.create(config.compression),
      blobIds: await createBlobIdHasher(keys.blobId),
      index: new IndexView(storage, cipher, { cacheBytes: options.indexCacheBytes }),
    };
    return new Repository(ctx, keys, slot, options);
  }

  private newWriter(): BlobWriter {
    return new BlobWriter(this.ctx, {
      indexEvery: this.options.indexEvery,
      beforeIndexWrite: async () => {
        await this.lock?.assertHeld();
      },
    });
  }

  /**
   * Before the first dedupe decision: take the shared lock, *then* re-read the index. A view
   * read before the lock may list blobs a prune has since deleted; deduplicating against it
   * would produce a snapshot that references them. Under the lock no prune can start, and the
   * re-read notices any index objects a finished prune replaced.
   */
  private prepareWrite(): Promise<void> {
    this.writeReady ??= (async () => {
      if (this.options.locking !== false && !this.lock) this.lock = await this.acquireLock(false);
      await this.ctx.index.refresh();
      this.indexLoaded = true;
    })().catch((error: unknown) => {
      this.writeReady = undefined;
      throw error;
    });
    return this.writeReady;
  }

  get config(): RepositoryConfig {
    return this.ctx.config;
  }

  get storage(): Storage {
    return this.ctx.storage;
  }

  /** A copy of the chunker secret, for the backup engine's chunker (ARCHITECTURE decision 2). */
  chunkerSecret(): Uint8Array {
    return this.keys.chunker.slice();
  }

  /** Takes a lock with this repository's lock options. */
  acquireLock(exclusive: boolean): Promise<RepositoryLock> {
    return RepositoryLock.acquire(this.ctx.storage, this.ctx.cipher, exclusive, this.options.lock);
  }

  /** The shared lock held for writing, if any. */
  get heldLock(): RepositoryLock | undefined {
    return this.lock;
  }

  /** Loads the index on first need (listing snapshots, key management and config need none). */
  async ensureIndex(): Promise<void> {
    if (this.indexLoaded) return;
    await this.ctx.index.refresh();
    this.indexLoaded = true;
  }

  /**
   * Stores `plaintext` as a blob of `type` unless it is already stored (dedupe).
   * Durable and visible to others only after `flush` (or `saveSnapshot`). The first call takes
   * the shared lock (unless `locking` is false).
   * @throws {RepositoryLockedError} if a prune holds the exclusive lock.
   */
  async saveBlob(type: BlobType, plaintext: Uint8Array): Promise<SavedBlob> {
    await this.prepareWrite();
    return this.writer.save(type, plaintext);
  }

  /**
   * Stores a blob that was hashed and compressed elsewhere — typically in a worker thread, with
   * a hasher keyed by `blobIdKey()` and `createBlobEncoder(config.compression)` — so the caller
   * can spread that work over every core while the pack writer stays here. Dedupes like
   * `saveBlob`. The caller vouches that `blob.id` is the blob ID of the plaintext and that
   * `blob.stored` decodes to it; a wrong one is caught by `loadBlob` and `check`, never trusted.
   * @throws {RangeError} on an unknown codec, or a raw blob whose length is not `rawLength`.
   * @throws {RepositoryLockedError} if a prune holds the exclusive lock (as `saveBlob`).
   */
  async saveEncodedBlob(blob: EncodedBlob): Promise<SavedBlob> {
    await this.prepareWrite();
    return this.writer.saveEncoded(blob);
  }

  /**
   * A copy of the blob-ID key (HMAC-SHA-256, ARCHITECTURE decision 3), for computing blob IDs
   * in worker threads (see `saveEncodedBlob`). Wipe it when done; never log or store it.
   */
  blobIdKey(): Uint8Array {
    return this.keys.blobId.slice();
  }

  /**
   * True if a blob with this ID is stored (or pending in this session). A dedupe decision like
   * `saveBlob`'s, so it takes the shared lock too: a snapshot may rely on the answer.
   * @throws {RepositoryLockedError} if a prune holds the exclusive lock.
   */
  async hasBlob(id: BlobId): Promise<boolean> {
    await this.prepareWrite();
    return this.writer.has(id);
  }

  /**
   * The plaintext of blob `id`, authenticated and checked against its ID.
   * @throws {BlobNotFoundError} if no index lists it (after re-reading the index once).
   * @throws {MissingObjectError} if its pack is gone.
   * @throws {CorruptObjectError} if it does not authenticate, decompress, or match its ID.
   */
  async loadBlob(id: BlobId): Promise<Uint8Array> {
    await this.ensureIndex();
    let location = (await this.writer.locatePending(id)) ?? (await this.ctx.index.lookup(id));
    if (!location) {
      await this.ctx.index.refresh(); // written by another writer since we last looked?
      location = await this.ctx.index.lookup(id);
      if (!location) throw new BlobNotFoundError(id);
    }
    let stored: Uint8Array;
    try {
      stored = await fetchBlob(this.ctx.storage, this.ctx.cipher, location);
    } catch (error) {
      if (!(error instanceof MissingObjectError)) throw error;
      // A prune may have repacked the blob since we read the index: re-read it once.
      await this.ctx.index.refresh();
      const moved = await this.ctx.index.lookup(id);
      if (!moved || moved.packId === location.packId) throw error;
      location = moved;
      stored = await fetchBlob(this.ctx.storage, this.ctx.cipher, location);
    }
    const where = `data/${location.packId}`;
    let plain: Uint8Array;
    try {
      plain = this.ctx.compressor.decode(location.codec, stored, location.rawLength);
    } catch (error) {
      throw new CorruptObjectError(where, `does not decompress: ${(error as Error).message}`, { blobId: id, cause: error });
    }
    const actual = await this.ctx.blobIds.digest(plain);
    if (!equalBytes(actual, idToBytes(id))) throw new CorruptObjectError(where, `plaintext hashes to ${toHex(actual)}`, { blobId: id });
    return plain;
  }

  /** Encodes and stores a tree; its ID is the blob ID of the encoding. */
  async saveTree(tree: Tree): Promise<TreeId> {
    const { id } = await this.saveBlob("tree", encodeTree(tree));
    return parseTreeId(id);
  }

  /**
   * @throws {CorruptObjectError} if the tree blob authenticates but does not decode.
   * @throws see `loadBlob`.
   */
  async loadTree(id: TreeId): Promise<Tree> {
    const bytes = await this.loadBlob(id);
    try {
      return decodeTree(bytes);
    } catch (error) {
      if (error instanceof ManifestError) throw new CorruptObjectError("tree blob", `authenticated but does not decode: ${error.message}`, { blobId: id, cause: error });
      throw error;
    }
  }

  /** Makes every saved blob durable and indexed. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /**
   * Flushes (data, then index), confirms our lock is still held, then writes the snapshot:
   * the order that makes a snapshot visible only once everything it references is durable.
   * @throws {LockLostError} if our shared lock was lost (a prune may have run): nothing is written.
   */
  async saveSnapshot(snapshot: Snapshot): Promise<SnapshotId> {
    await this.flush();
    await this.lock?.assertHeld();
    return writeSnapshot(this.ctx.storage, this.ctx.cipher, snapshot);
  }

  /** Every snapshot, oldest first. Does not need the index. */
  async listSnapshots(): Promise<{ id: SnapshotId; snapshot: Snapshot }[]> {
    const out: { id: SnapshotId; snapshot: Snapshot }[] = [];
    for (const id of await listSnapshotIds(this.ctx.storage)) out.push({ id, snapshot: await readSnapshot(this.ctx.storage, this.ctx.cipher, id) });
    return out.sort((a, b) => (a.snapshot.timeNs < b.snapshot.timeNs ? -1 : a.snapshot.timeNs > b.snapshot.timeNs ? 1 : a.id < b.id ? -1 : 1));
  }

  /** @throws see `readSnapshot`. */
  loadSnapshot(id: SnapshotId): Promise<Snapshot> {
    return readSnapshot(this.ctx.storage, this.ctx.cipher, id);
  }

  /** Deletes a snapshot object (its data stays until prune). */
  async deleteSnapshot(id: SnapshotId): Promise<void> {
    await this.ctx.storage.delete(snapshotKey(id));
  }

  /** Checks structure, index ↔ packs, every reachable tree and blob; with `readData`, every byte. */
  async check(options: CheckOptions = {}): Promise<CheckReport> {
    await this.flush();
    return checkRepository(this.ctx, options);
  }

  // ---- maintenance ----

  /**
   * Applies a retention policy: deletes the snapshot objects it does not keep (their data
   * stays until `prune`). Needs no lock (see forget.ts). Cloud Backup's `retention.days` is
   * `{ retentionDays: n }`, 0 meaning keep forever.
   * @throws {RangeError} for a malformed policy or one without any rule.
   */
  forget(policy: RetentionPolicy, options: ForgetOptions = {}): Promise<ForgetResult> {
    return forgetSnapshots(this, policy, options);
  }

  /**
   * Deletes unreferenced data: repacks partly-used packs, supersedes the index, deletes
   * obsolete packs and index objects (order and safety argument: prune/prune.ts, FORMAT.md §9).
   * Flushes and gives up this session's shared lock first, then takes the exclusive lock (a
   * dry run takes a shared one) and releases it when done.
   * @throws {RepositoryLockedError} if another process holds a live lock.
   * @throws see `pruneRepository`.
   */
  async prune(options: PruneOptions = {}): Promise<PruneResult> {
    await this.flush();
    await this.lock?.release().catch(() => undefined);
    this.lock = undefined;
    this.resetWriter();
    const lock = await this.acquireLock(options.dryRun !== true);
    try {
      return await pruneRepository(this.ctx, lock, options);
    } finally {
      await lock.release().catch(() => undefined);
      this.indexLoaded = false;
    }
  }

  /** Every lock, with its holder's host and age (for deciding whether to remove one). */
  listLocks(): Promise<LockRecord[]> {
    return listLocks(this.ctx.storage, this.ctx.cipher);
  }

  /**
   * Removes stale locks (older than the stale time), or every lock with `all` — only when the
   * processes that held them are known to be dead.
   * @returns the lock objects removed.
   */
  removeLocks(options: { readonly all?: boolean } = {}): Promise<string[]> {
    return removeLocks(this.ctx.storage, this.ctx.cipher, { ...this.options.lock, ...options });
  }

  // ---- key slots ----

  /** Adds a key slot for `passphrase` (the master keys are unchanged; no data is rewritten). */
  addKeySlot(passphrase: string | Uint8Array, options: NewSlotOptions = {}): Promise<KeySlotInfo> {
    return createKeySlot(this.ctx.storage, this.ctx.cipher.aes, this.keys, passphrase, options);
  }

  /** Every key slot (corrupt ones as `KeySlotCorruptError` values). */
  async listKeySlots(): Promise<(KeySlotInfo | KeySlotCorruptError)[]> {
    return (await readKeySlots(this.ctx.storage)).map((s) => (s instanceof KeySlotCorruptError ? s : { id: s.id, createdMs: s.createdMs, label: s.label, kdf: s.kdf, calibration: s.calibration }));
  }

  /** @throws {LastKeySlotError} if it is the last intact slot. */
  removeKeySlot(id: string): Promise<void> {
    return removeKeySlot(this.ctx.storage, id);
  }

  /**
   * Replaces the slot this session was opened with by a new one for `newPassphrase`
   * (the new slot is written before the old one is deleted, so a crash leaves both).
   */
  async changePassphrase(newPassphrase: string | Uint8Array, options: NewSlotOptions = {}): Promise<KeySlotInfo> {
    const slot = await this.addKeySlot(newPassphrase, { label: this.keySlot.label, ...options });
    await this.ctx.storage.delete(`keys/${this.keySlot.id}`);
    return slot;
  }

  /** Flushes, releases the lock and wipes key material. */
  async close(): Promise<void> {
    try {
      await this.writer.flush();
    } finally {
      this.writer.discard();
      await this.lock?.release().catch(() => undefined);
      this.lock = undefined;
      this.ctx.cipher.wipe();
      wipeMasterKeys(this.keys);
    }
  }

  /** @internal used by prune: forget pending write state (and the write lock) after maintenance. */
  resetWriter(): void {
    this.writer.discard();
    this.writer = this.newWriter();
    this.writeReady = undefined;
  }
}

export type { KdfChoice };
