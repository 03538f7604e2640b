// Which database errors mean "temporarily unavailable, try again" rather than "bug": SQLite
// busy/locked (another process holds the lock past busy_timeout), PostgreSQL connection loss,
// restarts, too many connections, serialization failures and deadlocks. The HTTP layer answers
// these with 503 + Retry-After (spec §1.2), which the v2 clients retry; everything else is a 500.

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);
/** PostgreSQL SQLSTATEs worth a retry (besides class 08, connection exceptions). */
const PG_RETRYABLE = new Set(["57P01", "57P02", "57P03", "53300", "40001", "40P01"]);
const PG_POOL_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /not queryable/i];

/** True when `error` (thrown by a driver) is a transient unavailability. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return true;
    if (NETWORK_CODES.has(code) || PG_RETRYABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && PG_POOL_MESSAGES.some((re) => re.test(message));
}
