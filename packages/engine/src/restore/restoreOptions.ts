// The public shape of a restore: what the CLI (and later the agent) passes in and gets back.
// Kept small and plain; the plan itself is @cairn/restore-planner's RestorePlan.
import type { OverwritePolicy, PlanTotals, PlanWarning, RestorePlan, SkippedEntry } from "@cairn/restore-planner";

export interface RestoreOptions {
  /** Directory the snapshot is restored into; created (with missing parents) if absent. */
  readonly target: string;
  /**
   * The snapshot directory whose contents land directly in `target` (absolute snapshot path,
   * default `/`: `/home/alice/x` lands at `<target>/home/alice/x`; with `/home` at `<target>/alice/x`).
   */
  readonly subtree?: string;
  /** Patterns (see @cairn/restore-planner): only these paths and what is below them. */
  readonly include?: readonly string[];
  /** Patterns of paths not to restore (nor delete). */
  readonly exclude?: readonly string[];
  /** What to do with paths that already exist (default `if-changed`: a rerun resumes). */
  readonly overwrite?: OverwritePolicy;
  /** Remove what is in restored directories but not in the snapshot (default false). */
  readonly delete?: boolean;
  /**
   * Compare existing files by content (read and hash them at the snapshot's blob boundaries)
   * instead of size and mtime; matching ranges are then copied instead of fetched. Default false.
   */
  readonly verifyExisting?: boolean;
  /** Restore uid/gid (default: when running as root; chown needs it). */
  readonly owners?: boolean;
  /** Plan only: compute and return the plan, change nothing. */
  readonly dryRun?: boolean;
  /** Pack ranges fetched at once (default 4). Memory is about 2 × this × 8 MiB at most. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: RestoreProgress) => void;
  /** Stops the restore: it rejects with the signal's reason, leaving only complete files under final names. */
  readonly signal?: AbortSignal;
}

export type RestorePhase = "planning" | "removing" | "writing" | "finishing" | "done";

export interface RestoreProgress {
  readonly phase: RestorePhase;
  /** Files completed (written, linked or already matching) of those in the plan. */
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Data bytes written (from packs or copied locally) of `bytesTotal`. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** Sealed bytes read from the repository so far. */
  readonly bytesFetched: number;
}

/** One entry that could not be restored; the rest of the restore went on. */
export interface RestoreFailure {
  /** Path relative to the target (escaped, as in the plan). */
  readonly path: string;
  readonly message: string;
  readonly cause?: unknown;
}

export interface RestoreResult {
  readonly target: string;
  readonly dryRun: boolean;
  /** What was planned (counts), and the plan itself. */
  readonly totals: PlanTotals;
  readonly plan: RestorePlan;
  readonly filesWritten: number;
  readonly filesUnchanged: number;
  readonly directoriesCreated: number;
  readonly linksCreated: number;
  readonly removed: number;
  readonly bytesWritten: number;
  readonly bytesFetched: number;
  readonly requests: number;
  /** Not restored on purpose (policy `never`, sockets, …): see SkippedEntry.reason. */
  readonly skipped: readonly SkippedEntry[];
  /** Things restored with a caveat (hard links restored separately, xattrs not settable, …). */
  readonly warnings: readonly PlanWarning[];
  readonly durationMs: number;
}
