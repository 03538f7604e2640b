// Every error leaves as `{message, errors?}` with the right status. A database that is
// momentarily unavailable (busy, restarting, unreachable) is a 503 with Retry-After, which
// clients retry (spec §1.2); nothing from a 5xx (message, stack) reaches the client; logs carry the error's type and message, not its stack,
// and never request bodies or credentials.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { HttpError } from "../errors.js";
import { describeValidationErrors } from "./validation.js";
import type { RouteMatcher } from "./routeMatcher.js";
import { COLLECTIONS, MISSING_PROJECT } from "../projectIds.js";

/** The spec's error body (§1.6). */
export interface ErrorBody {
  message: string;
  errors?: string[];
}

function render(error: FastifyError | HttpError | Error, bodyLimit: number): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof HttpError) {
    return { status: error.statusCode, body: { message: error.message, ...(error.errors === undefined ? {} : { errors: [...error.errors] }) }, headers: { ...error.headers } };
  }
  const fe = error as FastifyError;
  if (fe.validation !== undefined) {
    const errors = describeValidationErrors(fe.validation as never, fe.validationContext ?? "request");
    return { status: 400, body: { message: `Validation failed: ${errors[0] ?? "invalid request"}`, errors } };
  }
  switch (fe.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, body: { message: "Malformed JSON in request body.", errors: [fe.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "body is empty" : "body is not valid JSON"] } };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, body: { message: `Request body is larger than the limit of ${bodyLimit} bytes.` } };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, body: { message: "Unsupported Content-Type: send application/json (PATCH: application/json-patch+json)." } };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { status: 400, body: { message: "Content-Length does not match the body." } };
    default:
      break;
  }
  if (error instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(fe.message))) {
    return { status: 400, body: { message: "Malformed JSON in request body.", errors: ["body is not valid JSON"] } };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, body: { message: "The service is temporarily unavailable; retry shortly." }, headers: { "retry-after": "1" } };
  }
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { message: fe.message } };
  }
  return { status: 500, body: { message: "Internal server error." } };
}

/** Installs the error and not-found handlers (404 for unknown paths, 405 for known paths with another method). */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number, routes: RouteMatcher): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = render(error, bodyLimit);
    if (status >= 500) request.log.error({ err: { type: error.name, message: error.message, code: error.code } }, "request failed");
    else request.log.info({ status, message: body.message }, "request rejected");
    if (headers !== undefined) for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.code(status).type("application/json").send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (/\.xml$/i.test(path)) {
      void reply.code(406).send({ message: "Only JSON is supported (drop the .xml suffix)." });
      return;
    }
    const first = /^\/v2\/([^/]+)(?:\/|$)/.exec(path)?.[1];
    if (first !== undefined && COLLECTIONS.has(first)) {
      void reply.code(400).send({ message: MISSING_PROJECT });
      return;
    }
    const allowed = routes.methodsFor(path);
    if (allowed.length > 0) {
      void reply.code(405).header("Allow", allowed.join(", ")).send({ message: `Method ${request.method} is not allowed here; allowed: ${allowed.join(", ")}.` });
      return;
    }
    void reply.code(404).send({ message: "Resource not found." });
  });
}
