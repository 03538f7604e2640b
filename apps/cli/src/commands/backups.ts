// `cairn backups`: backups on a Cairn server, run by agents — start one now for a configuration
// (the agent of that configuration does the work), list them, show one, stop one. A started
// backup runs on the agent whether or not this command waits for it (`--wait`).
import type { Backup, CairnClient } from "@cairn/api-client";
import type { Command } from "commander";
import { registerJobSubcommands, waitAndReport } from "../api/jobSubcommands.js";
import { loadNames } from "../api/names.js";
import { resolveConfiguration } from "../api/resolve.js";
import { EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { escapeText } from "../format/text.js";

async function listBackups(client: CairnClient, opts: Record<string, unknown>, limit: number): Promise<Backup[]> {
  const configurationId = opts.config === undefined ? undefined : (await resolveConfiguration(client, opts.config as string)).id;
  if (opts.restorable === true) return (await client.backups.restorable(configurationId, { limit })).items;
  if (configurationId === undefined) return (await client.backups.list({ limit })).items;
  const found: Backup[] = [];
  for await (const b of client.backups.iterate({ limit: 100 })) {
    if (b.configuration.id !== configurationId) continue;
    found.push(b);
    if (found.length >= limit) break;
  }
  return found;
}

export function registerBackups(program: Command, env: CommandEnv): void {
  const backups = program
    .command("backups")
    .description("backups run by agents (Cairn server API): list, start, show, stop")
    .addHelpText("after", "\nExamples:\n  cairn backups\n  cairn backups start home --wait\n  cairn backups show 5d2c…\n  cairn backups stop 5d2c…\n\nWith --wait, the exit code is 0 when the backup completed, 3 when it completed but some files could not be read, 1 otherwise.");

  backups
    .command("start")
    .description("start a backup of a configuration now")
    .argument("<config>", "configuration id, id prefix or name")
    .option("--wait", "wait until it ends, showing progress on a terminal")
    .action(
      runAction(env, async (session, args, opts) => {
        const { client } = await session.api();
        const configuration = await resolveConfiguration(client, args[0] as string);
        const backup = await client.backups.start(configuration.id);
        if (opts.wait === true) {
          session.out.note(`backup ${backup.id} of ${escapeText(configuration.name)} requested; waiting for it (Ctrl-C stops waiting, not the backup)`);
          return waitAndReport(session, client, "backup", backup);
        }
        session.out.emit(backup);
        const names = await loadNames(client);
        session.out.print(`backup ${backup.id} requested for configuration ${escapeText(configuration.name)} on agent ${names.agent(backup.agent.id)}`);
        session.out.message(`follow it: cairn backups show ${backup.id}   (or start with --wait)`);
        return EXIT_OK;
      }),
    );

  registerJobSubcommands(backups, env, "backup", {
    configure: (c) => c.option("--config <config>", "only backups of this configuration (id, id prefix or name)").option("--restorable", "only backups that can be restored"),
    fetch: listBackups,
  });
}
