// The one error the planner throws for bad input data: a name or path that could escape the
// target, entries that contradict each other (a file under a symlink, a path listed twice), or
// options out of range. Nothing is planned when it is thrown, so nothing is written.

export type RestorePlanErrorCode =
  /** A name is empty, `.`, `..`, or contains `/` or NUL; or a path is not a safe relative path. */
  | "unsafe-name"
  /** An entry's parent is not a directory of the snapshot (a symlink, a file, or missing). */
  | "bad-parent"
  /** The same path is listed twice. */
  | "duplicate"
  /** An entry contradicts itself (its path does not end in its node's name). */
  | "inconsistent"
  /** A pattern or option is malformed. */
  | "bad-option";

/** Bad planner input. `path` is the offending path in escaped form (`escapeName`), if any. */
export class RestorePlanError extends Error {
  override readonly name = "RestorePlanError";
  readonly code: RestorePlanErrorCode;
  readonly path: string | undefined;

  constructor(code: RestorePlanErrorCode, message: string, path?: string) {
    super(path === undefined ? message : `${JSON.stringify(path)}: ${message}`);
    this.code = code;
    this.path = path;
  }
}
