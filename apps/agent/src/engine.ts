// The agent's view of @cairn/engine: `backup(repo, options)` and `restore(repo, snapshotId,
// options)`. Only the fields the agent uses are named here (the engine's own types are wider),
// and the functions are looked up at run time, so the agent reports a clear `failed` job rather
// than crashing if it is ever paired with an engine build that lacks one of them.
import type { Repository } from "@cairn/repository";
import type { Snapshot, SnapshotId } from "@cairn/manifest";

export interface EngineBackupProgress {
  readonly phase: string;
  readonly filesDone: number;
  readonly bytesDone: number;
  readonly filesTotal: number;
  readonly bytesTotal: number;
  readonly totalsFinal: boolean;
  readonly filesNew: number;
  readonly filesChanged: number;
  readonly bytesAdded: number;
  readonly bytesStored: number;
  readonly errorCount: number;
}

export interface EngineBackupFileError {
  readonly path: string;
  readonly kind: "missing" | "unreadable" | "changed" | "unsupported";
  readonly message: string;
}

export interface EngineBackupResult {
  readonly snapshotId: SnapshotId;
  readonly snapshot: Snapshot;
  readonly errors: readonly EngineBackupFileError[];
  readonly warnings: readonly string[];
}

export interface EngineBackupOptions {
  readonly selection: { readonly inclusions: readonly { type: "file" | "folder"; path: string }[]; readonly exclusions: readonly { type: "file" | "folder"; path: string }[] };
  readonly host?: string;
  readonly tags?: readonly string[];
  readonly agentId?: string | null;
  readonly configurationId?: string | null;
  readonly programVersion?: string;
  readonly onProgress?: (progress: EngineBackupProgress) => void;
  readonly signal?: AbortSignal;
  readonly time?: Date;
  readonly workers?: number;
}

export interface EngineRestoreProgress {
  readonly phase: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface EngineRestoreResult {
  readonly filesWritten: number;
  readonly filesUnchanged: number;
  readonly bytesWritten: number;
  readonly skipped: readonly unknown[];
  readonly warnings: readonly unknown[];
}

export interface EngineRestoreOptions {
  readonly target: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  readonly overwrite?: "never" | "if-changed" | "always";
  readonly onProgress?: (progress: EngineRestoreProgress) => void;
  readonly signal?: AbortSignal;
}

export interface Engine {
  backup(repo: Repository, options: EngineBackupOptions): Promise<EngineBackupResult>;
  restore(repo: Repository, snapshotId: SnapshotId, options: EngineRestoreOptions): Promise<EngineRestoreResult>;
}

/** The engine lacks an operation the agent needs. */
export class EngineUnavailableError extends Error {
  override readonly name = "EngineUnavailableError";
}

/** Loads @cairn/engine. @throws {EngineUnavailableError} if `backup` or `restore` is missing. */
export async function loadEngine(): Promise<Engine> {
  const module = (await import("@cairn/engine")) as Record<string, unknown>;
  const { backup, restore } = module;
  if (typeof backup !== "function" || typeof restore !== "function") {
    throw new EngineUnavailableError(`@cairn/engine does not export ${[typeof backup !== "function" ? "backup()" : "", typeof restore !== "function" ? "restore()" : ""].filter(Boolean).join(" and ")}`);
  }
  return { backup: backup as Engine["backup"], restore: restore as Engine["restore"] };
}
