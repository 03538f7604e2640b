// The one error type commands throw on purpose: a message that says what went wrong in the
// user's terms, an optional hint that says what to do about it, a stable code for `--json`
// consumers, and the exit code. Anything else reaching the top is a bug or an unexpected
// failure and is reported as such (with its stack only under `--debug`).
import { EXIT_FAILURE } from "./exitCodes.js";

export interface CliErrorOptions {
  /** What to do about it, e.g. "run `cairn init --repo R` to create one". */
  readonly hint?: string;
  /** Stable machine-readable code, e.g. "wrong-password" (default "failed"). */
  readonly code?: string;
  readonly exitCode?: number;
  readonly cause?: unknown;
}

export class CliError extends Error {
  override readonly name = "CliError";
  readonly hint: string | undefined;
  readonly code: string;
  readonly exitCode: number;
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.code = options.code ?? "failed";
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }
}

/** A command line that parses but makes no sense (exit code 2, like commander's own errors). */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, { code: "usage", exitCode: 2, hint });
}
