// The public shapes of a backup run: what the caller asks for, what it is told while the backup
// runs, and what it gets back. Kept apart from the pipeline so the CLI and the agent can depend
// on them without reading how the work is done.
import type { Snapshot, SnapshotId } from "@cairn/manifest";
import type { Selection } from "./selection.js";

export interface BackupOptions {
  /** Files and folders to back up: absolute, or relative to `cwd`. Nested paths fold into their ancestor. */
  readonly paths?: readonly string[];
  /** Cloud Backup v2 inclusions and exclusions (spec §2.4), checked against its nesting rules. */
  readonly selection?: Selection;
  /** Glob patterns of entries to leave out (syntax in README "Selection"). */
  readonly excludes?: readonly string[];
  /** Leave out the contents of directories holding a valid CACHEDIR.TAG (the tag itself is kept). */
  readonly excludeCaches?: boolean;
  /** Leave out the contents of directories holding a file of one of these names (the file is kept). */
  readonly excludeIfPresent?: readonly string[];
  /** Do not descend into directories on another file system than their root (the mount point is kept, empty). */
  readonly oneFileSystem?: boolean;
  /**
   * The snapshot to compare with for change detection: its ID, "latest" (the default: the
   * newest snapshot of the same host and paths, see `findParentSnapshot`), or null to read
   * every file.
   */
  readonly parent?: SnapshotId | "latest" | null;
  /** Host name recorded in the snapshot (default `os.hostname()`). */
  readonly host?: string;
  readonly tags?: readonly string[];
  /** Cloud Backup agent and configuration this backup runs for. */
  readonly agentId?: string | null;
  readonly configurationId?: string | null;
  /** Recorded as the snapshot's `programVersion` (default "cairn-engine <version>"). */
  readonly programVersion?: string;
  /** Record extended attributes (default true; needs python3, see README "What is preserved"). */
  readonly xattrs?: boolean;
  /** Called with progress at most every `progressIntervalMs` (default 250 ms) and once at the end. */
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly progressIntervalMs?: number;
  /** Aborts the backup: what was stored so far is made durable and indexed, no snapshot is written. */
  readonly signal?: AbortSignal;
  /** Worker threads reading, chunking, hashing and compressing (default: one per core). */
  readonly workers?: number;
  /** How often stored data is indexed while the backup runs, so a killed backup resumes without re-uploading it (default 15 s). */
  readonly checkpointIntervalMs?: number;
  /** Directory relative `paths` are resolved against (default `process.cwd()`). */
  readonly cwd?: string;
  /** Snapshot time (default: when the backup starts). */
  readonly time?: Date;
}

/** Why an entry could not be backed up (Cloud Backup error types in brackets). */
export type BackupErrorKind =
  /** It vanished or never existed [file_or_folder_missing]. */
  | "missing"
  /** Opening, listing or reading failed (permissions, I/O errors) [phx_exception]. */
  | "unreadable"
  /** It changed while being read; what was read is stored [file_missing_blocks]. */
  | "changed"
  /** It could not be recorded as it is (e.g. an inclusion of type "file" that is a folder, an xattr over the format's limits). */
  | "unsupported";

/** One entry the backup could not back up (fully). */
export interface BackupFileError {
  /** Absolute path, for people (UTF-8 decoded; invalid bytes shown as U+FFFD). */
  readonly path: string;
  /** The exact path bytes. */
  readonly pathBytes: Uint8Array;
  readonly kind: BackupErrorKind;
  /** What went wrong, e.g. "EACCES: permission denied, open". */
  readonly message: string;
}

export interface BackupProgress {
  /** "scanning" until the first file is read, "backing-up", then "finishing" (writing trees, index, snapshot). */
  readonly phase: "scanning" | "backing-up" | "finishing";
  readonly elapsedMs: number;
  /** Regular files finished (read, or found unchanged) and their bytes. */
  readonly filesDone: number;
  readonly bytesDone: number;
  /**
   * Files and bytes found so far. While `totalsFinal` is false the walk is still going and they
   * grow (they never fall below the parent snapshot's totals, as an estimate); then they are exact.
   */
  readonly filesTotal: number;
  readonly bytesTotal: number;
  readonly totalsFinal: boolean;
  readonly filesNew: number;
  readonly filesChanged: number;
  readonly filesUnmodified: number;
  /** Plaintext bytes of blobs this backup added, and what they take in the repository. */
  readonly bytesAdded: number;
  readonly bytesStored: number;
  readonly errorCount: number;
  /** Bytes done per second over the last few seconds. */
  readonly bytesPerSecond: number;
  /** Seconds left at the current rate, or null while unknown. */
  readonly etaSeconds: number | null;
  /** Paths of (some of) the files being read now, for display. */
  readonly currentFiles: readonly string[];
}

export interface BackupResult {
  readonly snapshotId: SnapshotId;
  readonly snapshot: Snapshot;
  /** Entries not (fully) backed up; the snapshot "completed with errors" if non-empty. At most 10 000 are kept here; `snapshot.errorCount` counts all. */
  readonly errors: readonly BackupFileError[];
  /** Things the caller should know that are not about one entry (e.g. "xattrs not recorded: python3 not found"). */
  readonly warnings: readonly string[];
  /** The snapshot used for change detection, if any. */
  readonly parent: SnapshotId | null;
}
