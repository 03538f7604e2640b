// Errors callers are expected to catch by type. Each names the object it is about (its storage
// key, e.g. `data/3f…`, `index/9a…`, `keys/1c…`) so an operator knows exactly what is affected;
// nothing is ever skipped silently. Misuse (bad arguments) stays TypeError / RangeError.

/** Base class of every failure the repository reports about its own contents. */
export class RepositoryError extends Error {
  override readonly name: string = "RepositoryError";
  /** The storage key of the object concerned, if there is one. */
  readonly object: string | undefined;
  constructor(message: string, options: { object?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.object = options.object;
  }
}

/** No key slot opened with the passphrase (and at least one slot was intact). */
export class WrongPasswordError extends RepositoryError {
  override readonly name: string = "WrongPasswordError";
  /** Slots that could not even be parsed or failed their checksum (reported, not the cause). */
  readonly corruptSlots: readonly string[];
  constructor(corruptSlots: readonly string[] = []) {
    super(
      corruptSlots.length === 0
        ? "wrong passphrase: no key slot opened with it"
        : `wrong passphrase: no intact key slot opened with it (${corruptSlots.length} corrupt slot(s) ignored: ${corruptSlots.join(", ")})`,
    );
    this.corruptSlots = corruptSlots;
  }
}

/** A key slot is malformed or fails its checksum: damaged storage, not a wrong passphrase. */
export class KeySlotCorruptError extends RepositoryError {
  override readonly name: string = "KeySlotCorruptError";
  constructor(object: string, detail: string, options: { cause?: unknown } = {}) {
    super(`key slot ${object} is corrupt: ${detail}`, { object, ...options });
  }
}

/** Removing this key slot would leave the repository without any way to unlock it. */
export class LastKeySlotError extends RepositoryError {
  override readonly name: string = "LastKeySlotError";
  constructor(object: string) {
    super(`refusing to remove ${object}: it is the last key slot, the repository could never be opened again`, { object });
  }
}

/** `init` found a repository (a `config` object) already there. */
export class RepositoryExistsError extends RepositoryError {
  override readonly name: string = "RepositoryExistsError";
  constructor() {
    super("a repository already exists here (config is present)", { object: "config" });
  }
}

/** `open` found no repository (no `config` or no key slot). */
export class RepositoryNotFoundError extends RepositoryError {
  override readonly name: string = "RepositoryNotFoundError";
  constructor(detail: string) {
    super(`no repository here: ${detail}`, { object: "config" });
  }
}

/** The repository (or one object) uses a format version this code does not know. */
export class UnsupportedVersionError extends RepositoryError {
  override readonly name: string = "UnsupportedVersionError";
  constructor(object: string, found: number, supported: number) {
    super(`${object} uses format version ${found}; this version of Cairn reads up to ${supported}`, { object });
  }
}

/**
 * An object failed authentication or validation: it was modified, truncated, renamed, or is
 * garbage. `object` is its storage key; `blobId` is set when one blob inside a pack is affected.
 */
export class CorruptObjectError extends RepositoryError {
  override readonly name: string = "CorruptObjectError";
  readonly blobId: string | undefined;
  constructor(object: string, detail: string, options: { blobId?: string; cause?: unknown } = {}) {
    super(`${options.blobId === undefined ? "" : `blob ${options.blobId} in `}${object} is corrupt: ${detail}`, { object, cause: options.cause });
    this.blobId = options.blobId;
  }
}

/** An object that something refers to is not in storage (e.g. an indexed pack was deleted). */
export class MissingObjectError extends RepositoryError {
  override readonly name: string = "MissingObjectError";
  constructor(object: string, referencedBy: string, options: { cause?: unknown } = {}) {
    super(`${object} is missing (referenced by ${referencedBy})`, { object, ...options });
  }
}

/** No index entry for a blob (it was never stored, or its index object is gone). */
export class BlobNotFoundError extends RepositoryError {
  override readonly name: string = "BlobNotFoundError";
  readonly blobId: string;
  constructor(blobId: string) {
    super(`blob ${blobId} is not in the index`);
    this.blobId = blobId;
  }
}

/** A lock conflict: someone else holds a lock that excludes ours. */
export class RepositoryLockedError extends RepositoryError {
  override readonly name: string = "RepositoryLockedError";
  readonly holders: readonly { readonly object: string; readonly exclusive: boolean; readonly host: string; readonly timeMs: number }[];
  constructor(wanted: "shared" | "exclusive", holders: RepositoryLockedError["holders"]) {
    super(
      `cannot take a ${wanted} lock: held by ${holders.map((h) => `${h.exclusive ? "exclusive" : "shared"} lock ${h.object} of ${h.host} (${new Date(h.timeMs).toISOString()})`).join("; ")}`,
    );
    this.holders = holders;
  }
}

/** Our own lock disappeared or went stale (another process may have assumed we were dead). */
export class LockLostError extends RepositoryError {
  override readonly name: string = "LockLostError";
  constructor(object: string, detail: string) {
    super(`lock ${object} was lost: ${detail}`, { object });
  }
}

/**
 * Prune refused to run, or stopped before deleting anything, because going on could lose data:
 * a snapshot or tree it cannot read (so it cannot know what is still needed), blobs a snapshot
 * needs that no pack holds, a pack whose size differs from the index, or a repository that
 * changed under it (a new snapshot, another live lock). `objects` names what is concerned.
 */
export class PruneRefusedError extends RepositoryError {
  override readonly name: string = "PruneRefusedError";
  /** Storage keys (or blob IDs, for missing blobs) that caused the refusal. */
  readonly objects: readonly string[];
  constructor(reason: string, objects: readonly string[], options: { cause?: unknown } = {}) {
    const shown = objects.slice(0, 10).join(", ") + (objects.length > 10 ? `, … (${objects.length} in all)` : "");
    super(`prune refused: ${reason}${objects.length > 0 ? `: ${shown}` : ""}; nothing was deleted`, { object: objects[0], ...options });
    this.objects = objects;
  }
}
