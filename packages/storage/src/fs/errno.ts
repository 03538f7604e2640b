// Translating Node's errno errors into StorageErrors: which failures are worth retrying and
// which mean "no such object". Node only (src/fs/).
import { StorageError, StorageUnavailableError } from "../errors.js";

/** Failures that can go away by themselves: busy or exhausted resources, flaky network mounts. */
const TRANSIENT = new Set(["EAGAIN", "EBUSY", "EMFILE", "ENFILE", "EINTR", "ETIMEDOUT", "EIO", "ESTALE", "ENOMEM", "ENOBUFS", "ECONNRESET"]);

/** Nothing (or nothing that is an object) at the path. ELOOP: the path is a symlink we refuse to follow. */
export const NOT_AN_OBJECT = new Set(["ENOENT", "ENOTDIR", "ELOOP", "EISDIR"]);

/** The errno code of a Node system error, if it is one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Turns a Node system error into a StorageError (retryable when transient); StorageErrors and
 * anything that is not a system error pass through unchanged.
 */
export function toStorageError(error: unknown, action: string, key?: string): unknown {
  if (error instanceof StorageError) return error;
  const code = errorCode(error);
  if (code === undefined) return error;
  const message = `${action}${key === undefined ? "" : ` ${key}`}: ${(error as Error).message}`;
  const options = key === undefined ? { cause: error } : { key, cause: error };
  return TRANSIENT.has(code) ? new StorageUnavailableError(message, options) : new StorageError(message, options);
}
