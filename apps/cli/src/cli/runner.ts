// Runs one command's action inside a Session and turns its outcome into an exit code: the
// action's own code (e.g. 3 for a backup with unreadable files), 1 for errors it throws (shown
// as "cairn: error: …" plus a hint, or as JSON on stderr under --json), and 130 on Ctrl-C after
// the repository was closed (so its lock is released). Stack traces only with --debug.
import type { Command } from "commander";
import { CliError } from "./cliError.js";
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from "./exitCodes.js";
import { Session, type GlobalOptions, type SessionIo } from "./session.js";
import { toJson } from "../io/output.js";

/** Shared between the program and its actions: where the exit code ends up. */
export interface RunState {
  exitCode: number;
}

export interface CommandEnv {
  readonly io: SessionIo;
  readonly state: RunState;
}

/** What an action gets: the session, then the command's positional arguments and options. */
export type Action = (session: Session, args: readonly unknown[], options: Record<string, unknown>) => Promise<number | void>;

function stackOf(error: unknown): string {
  const lines: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && depth < 8; depth++) {
    lines.push(depth === 0 ? "" : "caused by:");
    lines.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return lines.filter((l) => l !== "").join("\n");
}

/** Prints `error` the way the user asked for (text or JSON) and returns its exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream, options: { json?: boolean; debug?: boolean }): number {
  const known = error instanceof CliError;
  const exitCode = known ? error.exitCode : EXIT_FAILURE;
  const message = error instanceof Error ? error.message : String(error);
  if (options.json) {
    stderr.write(`${toJson({ error: { code: known ? error.code : "unexpected", message, ...(known && error.hint ? { hint: error.hint } : {}), exitCode } })}\n`);
  } else {
    stderr.write(known ? `cairn: error: ${message}\n` : `cairn: unexpected error: ${message}\n`);
    if (known && error.hint) stderr.write(`cairn: hint: ${error.hint}\n`);
    if (!known && !options.debug) stderr.write("cairn: run the command again with --debug for the details\n");
  }
  if (options.debug) stderr.write(`${stackOf(known && error.cause !== undefined ? error.cause : error)}\n`);
  return exitCode;
}

/**
 * A commander action handler that runs `action` in a fresh Session.
 * `signals: false` leaves SIGINT/SIGTERM to the action (the server installs its own).
 */
export function runAction(env: CommandEnv, action: Action, options: { signals?: boolean } = {}) {
  return async (...raw: unknown[]): Promise<void> => {
    const command = raw[raw.length - 1] as Command;
    const opts = raw[raw.length - 2] as Record<string, unknown>;
    const args = raw.slice(0, -2);
    const globals = command.optsWithGlobals<GlobalOptions>();
    const session = new Session(globals, env.io);
    let interrupted = false;
    const onSignal = () => {
      if (interrupted) process.exit(EXIT_INTERRUPTED); // second Ctrl-C: leave now
      interrupted = true;
      if (session.handlesInterrupt) {
        session.out.warn("interrupted: stopping (press Ctrl-C again to quit at once)");
        session.interrupt();
      } else {
        session.out.warn("interrupted: closing the repository (press Ctrl-C again to quit at once)");
        void session.close().finally(() => process.exit(EXIT_INTERRUPTED));
      }
    };
    if (options.signals !== false) {
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    }
    try {
      const code = await action(session, args, opts);
      await session.close();
      env.state.exitCode = code ?? EXIT_OK;
    } catch (error) {
      await session.close();
      env.state.exitCode = interrupted ? EXIT_INTERRUPTED : reportError(session.explain(error), env.io.stderr, globals);
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  };
}
