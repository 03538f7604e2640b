// `cairn restores`: restores run by agents. `start BACKUP [--agent DEST]` restores a backup — or
// the files selected with --include/--exclude — on the destination agent (by default the agent
// that made the backup): under --path (every file keeps its full original path below it), or,
// without --path, at the original locations. BACKUP is an id, or `latest` (the newest restorable
// backup, of --config when given). The destination may be another agent than the one that made
// the backup (it reads the source agent's vault for this restore only). Existing files are kept unless --overwrite. For an
// encrypted vault the password is sent encrypted to the destination agent's RSA key.
import type { Command } from "commander";
import { registerJobSubcommands, waitAndReport } from "../api/jobSubcommands.js";
import type { Backup, CairnClient } from "@cairn/api-client";
import { resolveAgent, resolveConfiguration } from "../api/resolve.js";
import { encryptForAgent, readVaultPassword } from "../api/vaultPassword.js";
import { CliError, usageError } from "../cli/cliError.js";
import { EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { escapeText } from "../format/text.js";
import { collectAgentPath, parseAgentPath } from "../options/paths.js";

/**
 * The backup BACKUP names: an id, or `latest` (the newest restorable one, of `config` if given).
 * @throws {CliError} if `latest` finds none; API errors for an unknown id.
 */
async function resolveBackup(client: CairnClient, ref: string, config: string | undefined): Promise<Backup> {
  if (ref !== "latest") {
    if (config !== undefined) throw usageError("--config only narrows `latest`", "give either a backup id or `latest --config CONFIG`");
    return client.backups.get(ref);
  }
  const configuration = config === undefined ? undefined : await resolveConfiguration(client, config);
  const page = await client.backups.restorable(configuration?.id, { limit: 1, sort_dir: "desc" });
  const newest = page.items[0];
  if (newest === undefined) {
    const what = configuration === undefined ? "in this project" : `of configuration ${escapeText(configuration.name)}`;
    throw new CliError(`no restorable backup ${what}`, { code: "not-found", hint: "`cairn backups` shows the backups and their states; start one with `cairn backups start CONFIG --wait`" });
  }
  return newest;
}

export function registerRestores(program: Command, env: CommandEnv): void {
  const restores = program
    .command("restores")
    .description("restores run by agents (Cairn server API): list, start, show, stop")
    .addHelpText(
      "after",
      "\nExamples:\n  cairn restores start latest --config home --path /tmp/restore --wait\n  cairn restores start 5d2c… --agent web2 --path /tmp/restore --wait\n  cairn restores start 5d2c… --agent web1 --include /etc/nginx --overwrite\n  cairn restores\n\nWith --wait, the exit code is 0 when the restore completed, 1 otherwise.",
    );

  restores
    .command("start")
    .description("restore a backup (or part of it) on an agent")
    .argument("<backup>", "backup id (`cairn backups --restorable` lists them), or latest")
    .option("--config <config>", "with latest: the newest restorable backup of this configuration")
    .option("--agent <agent>", "the agent that restores (id, id prefix or name; default: the one that backed up); may be another server's agent")
    .option("--path <dir>", "restore below this folder on the agent (default: the original locations)", parseAgentPath)
    .option("--overwrite", "replace files that exist at the destination (default: keep them)")
    .option("-i, --include <path>", "restore only this path of the backup (repeatable)", collectAgentPath)
    .option("-e, --exclude <path>", "leave out this path of the backup (repeatable)", collectAgentPath)
    .option("--vault-password-file <file>", "the vault password, for an encrypted vault (default: $CAIRN_VAULT_PASSWORD)")
    .option("--wait", "wait until it ends, showing progress on a terminal")
    .action(
      runAction(env, async (session, args, opts) => {
        const { client } = await session.api();
        const backup = await resolveBackup(client, args[0] as string, opts.config as string | undefined);
        const source = await client.agents.get(backup.agent.id);
        const destination = opts.agent === undefined ? source : await resolveAgent(client, opts.agent as string);
        const password = await readVaultPassword(opts.vaultPasswordFile as string | undefined, session.env);
        if (source.vault?.encrypted === true && password === undefined) {
          throw new CliError(`the vault of backup ${backup.id} is encrypted`, { code: "vault-password", hint: "pass --vault-password-file FILE or set CAIRN_VAULT_PASSWORD (it is sent encrypted to the destination agent's key)" });
        }
        const restore = await client.restores.start({
          backup_id: backup.id,
          destination_agent_id: destination.id,
          destination_path: (opts.path as string | undefined) ?? null,
          overwrite_files: opts.overwrite === true,
          inclusions: ((opts.include as string[] | undefined) ?? []).map((path) => ({ type: "folder", path })),
          exclusions: ((opts.exclude as string[] | undefined) ?? []).map((path) => ({ type: "folder", path })),
          ...(password === undefined ? {} : { encrypted_password_hex: encryptForAgent(destination, password.value) }),
        });
        const where = opts.path === undefined ? "the original locations" : escapeText(opts.path as string);
        const note = `restore ${restore.id} of backup ${backup.id} requested on agent ${escapeText(destination.name)} into ${where}${opts.overwrite === true ? " (replacing existing files)" : " (existing files are kept)"}`;
        if (opts.wait === true) {
          session.out.note(`${note}; waiting for it`);
          return waitAndReport(session, client, "restore", restore);
        }
        session.out.emit(restore);
        session.out.print(note);
        session.out.message(`follow it: cairn restores show ${restore.id}`);
        return EXIT_OK;
      }),
    );

  registerJobSubcommands(restores, env, "restore");
}
