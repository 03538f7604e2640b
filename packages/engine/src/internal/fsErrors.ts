// File system errors as backup and restore report them: a kind (vanished vs. unreadable) and a
// short message without the path (the report carries the path separately, as exact bytes).
import type { BackupErrorKind } from "../backup/options.js";

interface ErrnoLike {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly message?: unknown;
}

/** "missing" for ENOENT/ENOTDIR (the entry vanished), "unreadable" for anything else. */
export function errorKind(error: unknown): BackupErrorKind {
  const code = (error as ErrnoLike | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR" ? "missing" : "unreadable";
}

/** e.g. "EACCES: permission denied (open)"; at most 1024 bytes, never empty. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as ErrnoLike;
  const message = typeof e.message === "string" ? e.message : String(error);
  const head = typeof e.code === "string" ? message.split(", ")[0]! : message;
  const text = typeof e.syscall === "string" ? `${head} (${e.syscall})` : head;
  return (text.length > 0 ? text : "unknown error").slice(0, 500);
}
