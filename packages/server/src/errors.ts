// HTTP errors thrown by handlers and rendered as the spec's error body `{message, errors}`.

/** An error with an HTTP status and a client-safe message. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly errors: readonly string[] | undefined;
  readonly headers: Readonly<Record<string, string>>;
  constructor(statusCode: number, message: string, errors?: readonly string[], headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
    this.statusCode = statusCode;
    this.errors = errors;
    this.headers = headers;
  }
}

/** 400 with the list of validation problems. */
export const badRequest = (message: string, errors?: readonly string[]): HttpError => new HttpError(400, message, errors);
/** 401: missing, unknown or expired credentials. */
export const unauthorized = (message = "Authentication required: send a valid X-Auth-Token."): HttpError => new HttpError(401, message);
/** 403: RBAC denial or a forbidden business rule. */
export const forbidden = (message: string): HttpError => new HttpError(403, message);
/** 404 `{message: "<Thing> not found."}`. */
export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found.`);
/** 409: state conflict. */
export const conflict = (message: string): HttpError => new HttpError(409, message);
