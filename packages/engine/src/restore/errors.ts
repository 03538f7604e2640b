// Errors of a restore. Entry-level problems (one file's blob is corrupt, one directory cannot be
// created) do not stop the restore: the rest is restored and the failures are reported together
// in RestoreIncompleteError. RestoreError is for what stops it before it starts or in the middle
// (no usable target, an unsupported platform, a snapshot that cannot be read at all).
import type { RestoreFailure, RestoreResult } from "./restoreOptions.js";

export type RestoreErrorCode =
  /** The target cannot be created or is not a directory. */
  | "bad-target"
  /** This platform lacks what safe restoring needs (/proc/self/fd). */
  | "unsupported-platform"
  /** An option is malformed. */
  | "bad-option"
  /** A plan given to executePlan is malformed or unsafe (it is refused before anything is done). */
  | "bad-plan";

export class RestoreError extends Error {
  override readonly name: string = "RestoreError";
  readonly code: RestoreErrorCode;
  constructor(code: RestoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Some entries could not be restored; everything else was. Only complete files carry final names. */
export class RestoreIncompleteError extends Error {
  override readonly name: string = "RestoreIncompleteError";
  readonly failures: readonly RestoreFailure[];
  readonly result: RestoreResult;
  constructor(failures: readonly RestoreFailure[], result: RestoreResult) {
    const shown = failures.slice(0, 3).map((f) => `${JSON.stringify(f.path)}: ${f.message}`);
    super(`${failures.length} entr${failures.length === 1 ? "y" : "ies"} could not be restored: ${shown.join("; ")}${failures.length > 3 ? "; …" : ""}`);
    this.failures = failures;
    this.result = result;
  }
}
