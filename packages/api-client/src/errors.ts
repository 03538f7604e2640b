// Errors the client throws: an HTTP error carries the status and the spec's `{message, errors}`.

/** The server answered with a non-success status. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: readonly string[];
  readonly method: string;
  readonly url: string;
  constructor(status: number, message: string, errors: readonly string[], method: string, url: string) {
    super(`${method} ${url} → ${status}: ${message}`);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
    this.method = method;
    this.url = url;
  }
  /** The server's own message (without method and URL). */
  get serverMessage(): string {
    return this.message.slice(this.message.indexOf(": ") + 2);
  }
}

/** The request did not finish within the client's timeout. */
export class TimeoutError extends Error {
  constructor(method: string, url: string, ms: number) {
    super(`${method} ${url} timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** The server could not be reached (after retries, for idempotent calls). */
export class NetworkError extends Error {
  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "NetworkError";
  }
}
