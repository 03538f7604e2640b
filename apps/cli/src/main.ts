// Entry of the `cairn` program: parse, run, and decide the exit code. Commander's own outcomes
// are mapped here: --help and --version exit 0, any command line it rejects exits 2 (usage),
// as documented in the README; everything else comes from the command (see runner.ts).
import { CommanderError } from "commander";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli/exitCodes.js";
import { buildProgram } from "./cli/program.js";
import { reportError, type RunState } from "./cli/runner.js";
import type { SessionIo } from "./cli/session.js";

const CLEAN_EXITS = new Set(["commander.helpDisplayed", "commander.version"]);

/** Runs `cairn` with `argv` (as in process.argv: node, script, then arguments) and returns the exit code. */
export async function main(argv: readonly string[], io: SessionIo): Promise<number> {
  const state: RunState = { exitCode: EXIT_OK };
  const program = buildProgram({ io, state });
  try {
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (CLEAN_EXITS.has(error.code)) return EXIT_OK;
      return EXIT_USAGE; // commander has already printed what was wrong
    }
    return reportError(error, io.stderr, { debug: argv.includes("--debug"), json: argv.includes("--json") }) || EXIT_FAILURE;
  }
}
