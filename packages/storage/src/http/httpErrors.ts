// From an HTTP answer to the Storage error classes: the status says what kind of failure it is,
// and the server's `X-Cairn-Storage-Error` header says which storage condition a 404 or 409 is
// (a missing object is not the same as a missing vault, an existing object is not a key-tree
// conflict). Anything transient (429, 5xx) is retryable; everything else is final.
import { KeyConflictError, ObjectExistsError, ObjectNotFoundError, StorageError, StorageUnavailableError } from "../errors.js";

/**
 * A final failure the server reported that is not one of the storage conditions: the request
 * was refused (401, 403), the vault does not exist (404 without the object header), or it was
 * malformed (400, 413, 415). `status` is the HTTP status.
 */
export class HttpStorageError extends StorageError {
  override readonly name: string = "HttpStorageError";
  readonly status: number;
  constructor(status: number, message: string, options: { key?: string } = {}) {
    super(message, { ...options, retryable: false });
    this.status = status;
  }
}

function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === "string") return body.message.slice(0, 300);
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 120);
}

/** The error for a non-success response to a request about `key` (undefined for listings). */
export function errorFromResponse(status: number, headers: Headers, text: string, key: string | undefined): StorageError {
  const code = headers.get("x-cairn-storage-error");
  const message = serverMessage(text);
  if (key !== undefined && status === 404 && code === "not_found") return new ObjectNotFoundError(key);
  if (key !== undefined && status === 409 && code === "object_exists") return new ObjectExistsError(key);
  if (key !== undefined && status === 409 && code === "key_conflict") return new KeyConflictError(key, "another key stored on the server");
  if (status === 429 || status >= 500) return new StorageUnavailableError(`HTTP ${status}${message ? `: ${message}` : ""}`, key === undefined ? {} : { key });
  return new HttpStorageError(status, `HTTP ${status}${message ? `: ${message}` : ""}`, key === undefined ? {} : { key });
}
