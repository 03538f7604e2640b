// The `cairn` command tree: global options (the conventions restic users expect) and one
// module per subcommand under commands/. Commander is told not to exit by itself, so main.ts
// decides every exit code, and to write through the session's streams.
import { Command } from "commander";
import { registerActivity } from "../commands/activity.js";
import { registerAgents } from "../commands/agents.js";
import { registerBackup } from "../commands/backup.js";
import { registerBackups } from "../commands/backups.js";
import { registerCheck } from "../commands/check.js";
import { registerCleanups } from "../commands/cleanups.js";
import { registerConfigs } from "../commands/configs.js";
import { registerDiff } from "../commands/diff.js";
import { registerForget } from "../commands/forget.js";
import { registerInit } from "../commands/init.js";
import { registerKey } from "../commands/key.js";
import { registerLs } from "../commands/ls.js";
import { registerPrune } from "../commands/prune.js";
import { registerRestore } from "../commands/restore.js";
import { registerRestores } from "../commands/restores.js";
import { registerServer } from "../commands/server.js";
import { registerSnapshots } from "../commands/snapshots.js";
import { registerStats } from "../commands/stats.js";
import { registerUnlock } from "../commands/unlock.js";
import { versionLine } from "../version.js";
import type { CommandEnv } from "./runner.js";

export function buildProgram(env: CommandEnv): Command {
  const program = new Command()
    .name("cairn")
    .description("Deduplicating, end-to-end encrypted backups (the Cairn command line)")
    .version(versionLine(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => env.io.stdout.write(s),
      writeErr: (s) => env.io.stderr.write(s),
      outputError: (s, write) => write(`cairn: ${s}`),
    })
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true)
    .option("-r, --repo <location>", "repository: a directory, or local:DIR (default: $CAIRN_REPOSITORY)")
    .option("--server <url>", "Cairn server for the API commands (agents, configs, backups, restores, cleanups, activity; default: $CAIRN_SERVER)")
    .option("-p, --password-file <file>", "read the repository password from FILE (default: $CAIRN_PASSWORD_FILE, then $CAIRN_PASSWORD, then ask on a terminal)")
    .option("--json", "machine-readable output: one JSON document on stdout")
    .option("-q, --quiet", "only results and errors, no progress")
    .option("-v, --verbose", "more detail")
    .option("--no-lock", "do not take a repository lock (read-only media; unsafe while a prune may run)")
    .option("--debug", "print stack traces of errors")
    .addHelpText(
      "after",
      [
        "",
        "Environment:",
        "  CAIRN_REPOSITORY      repository location when --repo is not given",
        "  CAIRN_PASSWORD        repository password",
        "  CAIRN_PASSWORD_FILE   file holding the repository password",
        "  CAIRN_SERVER          Cairn server URL for the API commands when --server is not given",
        "  CAIRN_USER            user of the API commands, with CAIRN_PASSWORD (then the user's password) or CAIRN_API_KEY",
        "  CAIRN_PROJECT_ID      project of the API commands, when the user has several",
        "  CAIRN_VAULT_PASSWORD  vault password for restores of encrypted vaults (or --vault-password-file)",
        "",
        "Exit codes: 0 ok, 1 failure, 2 usage error, 3 backup completed but some files could not be read.",
      ].join("\n"),
    );
  registerInit(program, env);
  registerBackup(program, env);
  registerSnapshots(program, env);
  registerLs(program, env);
  registerDiff(program, env);
  registerRestore(program, env);
  registerCheck(program, env);
  registerForget(program, env);
  registerPrune(program, env);
  registerKey(program, env);
  registerStats(program, env);
  registerUnlock(program, env);
  registerServer(program, env);
  registerAgents(program, env);
  registerConfigs(program, env);
  registerBackups(program, env);
  registerRestores(program, env);
  registerCleanups(program, env);
  registerActivity(program, env);
  return program;
}
