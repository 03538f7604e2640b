// @cairn/restore-planner: pure, deterministic restore plans. Given a snapshot's entries, a
// selection, what already exists at the target and where each blob is stored, `planRestore`
// says exactly what to remove, create, fetch (which packs and byte ranges) and keep, and in
// which order metadata is applied. No I/O, no Node built-ins: it runs in the browser too.
export { RestorePlanError, type RestorePlanErrorCode } from "./errors.js";

export type {
  BlobSource,
  LocateBlob,
  OverwritePolicy,
  PlanOptions,
  Selection,
  SnapshotEntry,
  TargetEntry,
} from "./inputs.js";

export {
  PLAN_VERSION,
  type FetchBlob,
  type FileWrite,
  type MetadataStep,
  type PackFetch,
  type PlannedAction,
  type PlannedDirectory,
  type PlannedFile,
  type PlannedHardlink,
  type PlannedMetadata,
  type PlannedRemoval,
  type PlannedSpecial,
  type PlannedSymlink,
  type PlanTotals,
  type PlanWarning,
  type RestorableType,
  type RestorePlan,
  type SkippedEntry,
  type SkipReason,
} from "./restorePlan.js";

export { planRestore, type PlanInput } from "./planRestore.js";
export { compileSelection, type SelectionMatcher } from "./selection.js";
export { walkSnapshot, type WalkOptions } from "./walkSnapshot.js";
