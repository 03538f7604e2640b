// The agent's log: JSON lines appended to <data dir>/logs/agent.log (what log-file requests
// upload) and echoed to stderr. Callers pass facts, never secrets: passwords, tokens and
// ciphertexts of passwords are not logged anywhere in the agent.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  readonly path: string;
}

/** A logger writing to `path` (and stderr when `echo`) at `level` and above. */
export function createLogger(path: string, options: { level?: LogLevel; echo?: boolean } = {}): Logger {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const min = RANK[options.level ?? "info"];
  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    if (RANK[level] < min) return;
    const line = `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`;
    try {
      appendFileSync(path, line, { mode: 0o600 });
    } catch {
      // a full disk must not stop the agent
    }
    if (options.echo !== false) process.stderr.write(line);
  };
  return {
    path,
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
