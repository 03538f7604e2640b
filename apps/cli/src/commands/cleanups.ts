// `cairn cleanups`: vault maintenance run by an agent — snapshots older than their
// configuration's retention days are forgotten and the data no snapshot needs any more is
// deleted (forget + prune). One cleanup per agent at a time.
import type { Command } from "commander";
import { registerJobSubcommands, waitAndReport } from "../api/jobSubcommands.js";
import { resolveAgentOrOnly } from "../api/resolve.js";
import { EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { escapeText } from "../format/text.js";

export function registerCleanups(program: Command, env: CommandEnv): void {
  const cleanups = program
    .command("cleanups")
    .description("vault cleanups (retention) run by agents (Cairn server API): list, start, show, stop")
    .addHelpText("after", "\nExamples:\n  cairn cleanups start --agent web1 --wait\n  cairn cleanups");

  cleanups
    .command("start")
    .description("apply the retention of an agent's configurations to its vault now")
    .option("--agent <agent>", "whose vault (id, id prefix or name; default: the only agent)")
    .option("--wait", "wait until it ends")
    .action(
      runAction(env, async (session, _args, opts) => {
        const { client } = await session.api();
        const agent = await resolveAgentOrOnly(client, opts.agent as string | undefined);
        const cleanup = await client.cleanups.start(agent.id);
        if (opts.wait === true) {
          session.out.note(`cleanup ${cleanup.id} of agent ${escapeText(agent.name)}'s vault requested; waiting for it`);
          return waitAndReport(session, client, "cleanup", cleanup);
        }
        session.out.emit(cleanup);
        session.out.print(`cleanup ${cleanup.id} requested for agent ${escapeText(agent.name)}`);
        session.out.message(`follow it: cairn cleanups show ${cleanup.id}`);
        return EXIT_OK;
      }),
    );

  registerJobSubcommands(cleanups, env, "cleanup");
}
