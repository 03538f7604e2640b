// The repositories in a vault, and what "vault encryption" means for them.
//
// A Cairn repository is always encrypted. A vault the API calls *unencrypted* holds a
// repository whose only key slot opens with a well-known passphrase derived from the vault id:
// anyone with the objects (the server) can read it, exactly the spec's meaning of an
// unencrypted vault, and any agent of the project can restore it without a password.
//
// Enabling encryption must not keep using master keys the server could have unwrapped from
// that well-known slot, so it starts a new *generation*: a fresh repository (new master keys,
// new chunker secret) whose only slot opens with the customer's password. Generation n lives
// under the key prefix `r<n>/`; backups go to the newest one; older generations stay readable
// (their backups restorable) until cleanups expire their snapshots. Changing the password
// replaces the key slot in every encrypted generation (no data is rewritten: the master keys
// were never exposed). The first backup after enabling stores everything again (new chunker
// secret, so no deduplication across generations).
import { forgetSnapshots, initRepository, openRepository, WrongPasswordError, type KdfChoice, type Repository } from "@cairn/repository";
import type { Snapshot, SnapshotId } from "@cairn/manifest";
import { ObjectNotFoundError, type Storage } from "@cairn/storage";
import { PrefixedStorage } from "./prefixedStorage.js";

/** The cheapest KDF the repository accepts: the well-known passphrase protects nothing anyway. */
const PLAIN_KDF: KdfChoice = { algorithm: "argon2id", memoryKiB: 8, iterations: 1, parallelism: 1 };
/** Tags the agent puts on snapshots, so a backup's snapshot can be found from the API's ids. */
export const BACKUP_TAG = "cairn-backup:";
export const SNAPSHOT_NUMBER_TAG = "cairn-snapshot:";

/** No repository of the vault opens with the password given. */
export class VaultPasswordError extends Error {
  override readonly name = "VaultPasswordError";
}

/** The backup's snapshot is in no generation of the vault. */
export class SnapshotNotFoundError extends Error {
  override readonly name = "SnapshotNotFoundError";
}

export function plainPassphrase(vaultId: string): string {
  return `cairn-unencrypted-vault:${vaultId}`;
}

export interface VaultOptions {
  /** KDF for password-protected generations (default: the repository's calibrated Argon2id). */
  readonly kdf?: KdfChoice;
  /** Open for reading only: take no locks (another agent's vault is read-only to us). */
  readonly readOnly?: boolean;
}

export interface OpenedGeneration {
  readonly generation: number;
  readonly encrypted: boolean;
  readonly repo: Repository;
}

/** A snapshot's API number (`snapshot_id`), from its tags. */
export function snapshotNumber(snapshot: Snapshot): number | null {
  const tag = snapshot.tags.find((t) => t.startsWith(SNAPSHOT_NUMBER_TAG));
  const n = tag === undefined ? NaN : Number(tag.slice(SNAPSHOT_NUMBER_TAG.length));
  return Number.isSafeInteger(n) ? n : null;
}

export class VaultRepositories {
  constructor(
    readonly storage: Storage,
    readonly vaultId: string,
    private readonly options: VaultOptions = {},
  ) {}

  generationStorage(n: number): Storage {
    return new PrefixedStorage(this.storage, `r${n}/`);
  }

  /** Generations that exist, oldest first. */
  async generations(): Promise<number[]> {
    const found: number[] = [];
    for (let n = 0; ; n++) {
      try {
        await this.generationStorage(n).stat("config");
        found.push(n);
      } catch (error) {
        if (error instanceof ObjectNotFoundError) return found;
        throw error;
      }
    }
  }

  /**
   * Opens generation `n` with the well-known passphrase or, failing that, `password`.
   * @throws {VaultPasswordError} if neither opens it.
   */
  async open(n: number, password: string | null): Promise<OpenedGeneration> {
    const storage = this.generationStorage(n);
    const open = (p: string) => openRepository(storage, p, { locking: this.options.readOnly !== true });
    try {
      return { generation: n, encrypted: false, repo: await open(plainPassphrase(this.vaultId)) };
    } catch (error) {
      if (!(error instanceof WrongPasswordError)) throw error;
    }
    if (password === null) throw new VaultPasswordError(`generation ${n} of the vault is encrypted: a password is needed`);
    try {
      return { generation: n, encrypted: true, repo: await open(password) };
    } catch (error) {
      if (error instanceof WrongPasswordError) throw new VaultPasswordError("the vault password is wrong");
      throw error;
    }
  }

  /**
   * The generation backups write to: the newest, created (unencrypted, or with `password` when
   * the vault is encrypted) if the vault is still empty.
   */
  async openForBackup(encrypted: boolean, password: string | null): Promise<OpenedGeneration> {
    const gens = await this.generations();
    const newest = gens[gens.length - 1];
    if (newest !== undefined) return this.open(newest, password);
    if (encrypted && password === null) throw new VaultPasswordError("the vault is encrypted but this agent has no password for it");
    const repo = await initRepository(this.generationStorage(0), encrypted ? (password as string) : plainPassphrase(this.vaultId), { kdf: encrypted ? this.options.kdf : PLAIN_KDF });
    return { generation: 0, encrypted, repo };
  }

  /** Starts a new generation whose only key is `password` (see the header). */
  async enableEncryption(password: string): Promise<number> {
    const gens = await this.generations();
    const n = (gens[gens.length - 1] ?? -1) + 1;
    const repo = await initRepository(this.generationStorage(n), password, this.options.kdf === undefined ? {} : { kdf: this.options.kdf });
    await repo.close();
    return n;
  }

  /**
   * Re-keys every encrypted generation from `oldPassword` to `newPassword`; checks them all
   * before changing any.
   * @throws {VaultPasswordError} if `oldPassword` does not open one of them.
   */
  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    const opened: OpenedGeneration[] = [];
    try {
      for (const n of await this.generations()) {
        const g = await this.open(n, oldPassword);
        if (g.encrypted) opened.push(g);
        else await g.repo.close();
      }
      if (opened.length === 0) throw new VaultPasswordError("the vault has no encrypted generation to re-key");
      for (const g of opened) await g.repo.changePassphrase(newPassword, this.options.kdf === undefined ? {} : { kdf: this.options.kdf });
    } finally {
      for (const g of opened) await g.repo.close().catch(() => undefined);
    }
  }

  /** True if `password` opens the newest encrypted generation. */
  async verify(password: string): Promise<boolean> {
    const gens = await this.generations();
    for (const n of [...gens].reverse()) {
      let g: OpenedGeneration;
      try {
        g = await this.open(n, password);
      } catch (error) {
        if (error instanceof VaultPasswordError) return false;
        throw error;
      }
      await g.repo.close();
      if (g.encrypted) return true;
    }
    return false;
  }

  /**
   * Finds the snapshot of backup `backupId` (or, failing that, with API number `snapshotNumber`).
   * The returned repository is open; the caller closes it.
   * @throws {SnapshotNotFoundError}, {VaultPasswordError} (only if a generation it could be in stays locked).
   */
  async findBackup(backupId: string, number: number | null, password: string | null): Promise<{ opened: OpenedGeneration; snapshotId: SnapshotId; snapshot: Snapshot }> {
    let locked: VaultPasswordError | undefined;
    for (const n of [...(await this.generations())].reverse()) {
      let g: OpenedGeneration;
      try {
        g = await this.open(n, password);
      } catch (error) {
        if (error instanceof VaultPasswordError) {
          locked = error;
          continue;
        }
        throw error;
      }
      const all = await g.repo.listSnapshots();
      const hit = all.find((s) => s.snapshot.tags.includes(`${BACKUP_TAG}${backupId}`)) ?? (number === null ? undefined : all.find((s) => snapshotNumber(s.snapshot) === number));
      if (hit !== undefined) return { opened: g, snapshotId: hit.id, snapshot: hit.snapshot };
      await g.repo.close();
    }
    if (locked !== undefined) throw locked;
    throw new SnapshotNotFoundError(`no snapshot of backup ${backupId} in the vault`);
  }

  /** The next API snapshot number in `repo` (one more than the largest there). */
  static async nextSnapshotNumber(repo: Repository, generation: number): Promise<number> {
    let max = generation * 1_000_000;
    for (const { snapshot } of await repo.listSnapshots()) max = Math.max(max, snapshotNumber(snapshot) ?? 0);
    return max + 1;
  }
}

export { forgetSnapshots };
