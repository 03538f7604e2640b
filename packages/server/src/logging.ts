// Structured logs (pino). Credentials never reach a log line: token, password, API key and
// fingerprint fields are redacted wherever they appear, and request bodies are not logged.
import { pino, type Logger } from "pino";

/** Paths pino censors (headers and any object field with a secret-looking name). */
export const REDACT_PATHS = [
  'req.headers["x-auth-token"]',
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "password",
  "*.password",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "fingerprint",
  "*.fingerprint",
  "*.*.password",
  "*.*.apiKey",
];

/** Creates the server's logger (JSON lines on stdout, or on `destination`). */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "cairn-server" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}
