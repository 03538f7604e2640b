// @cairn/engine: the Node backup pipeline and restore-plan executor.

// ---- backup ----
export { backup } from "./backup/backup.js";
export { findParentSnapshot, snapshotPaths } from "./backup/parent.js";
export {
  CACHEDIR_TAG_SIGNATURE,
  compileSelection,
  normalizeAbsolute,
  resolvePath,
  selectionProblems,
  SelectionError,
  validateSelection,
  type CompiledSelection,
  type Selection,
  type SelectionEntry,
  type SelectionOptions,
  type SelectionProblem,
  type SelectionRoot,
  type SelectionRule,
} from "./backup/selection.js";
export { compileGlob, globProblem, type GlobMatcher } from "./backup/glob.js";
export type { BackupErrorKind, BackupFileError, BackupOptions, BackupProgress, BackupResult } from "./backup/options.js";
export { ENGINE_VERSION } from "./backup/version.js";

// ---- restore ----
export { restore } from "./restore/restore.js";
export { executePlan, type ExecuteOptions, type ExecutionReport } from "./restore/executePlan.js";
export { RestoreError, RestoreIncompleteError, type RestoreErrorCode } from "./restore/errors.js";
export type { RestoreFailure, RestoreOptions, RestorePhase, RestoreProgress, RestoreResult } from "./restore/restoreOptions.js";
