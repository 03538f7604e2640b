// `cairn snapshots`: list snapshots, oldest first (like restic), with the filters.
import type { Command } from "commander";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { addFilterOptions, filterFrom } from "../options/filter.js";
import { parseCount } from "../options/numbers.js";
import { SNAPSHOT_HEADER, snapshotJson, snapshotRow } from "../format/snapshot.js";
import { formatTable } from "../format/table.js";
import { filteredSnapshots } from "../snapshot/select.js";

export function registerSnapshots(program: Command, env: CommandEnv): void {
  addFilterOptions(program.command("snapshots").description("list snapshots"))
    .option("--latest <n>", "only the newest n snapshots", parseCount)
    .addHelpText("after", "\nExamples:\n  cairn snapshots --repo /srv/backup\n  cairn snapshots --repo /srv/backup --host web1 --latest 3 --json")
    .action(
      runAction(env, async (session, _args, opts) => {
        const repo = await session.open();
        let list = await filteredSnapshots(repo, filterFrom(opts));
        if (opts.latest !== undefined) list = list.slice(Math.max(0, list.length - (opts.latest as number)));
        session.out.emit(list.map((s) => snapshotJson(s.id, s.snapshot)));
        if (list.length === 0) {
          session.out.message("no snapshots");
          return;
        }
        for (const line of formatTable([SNAPSHOT_HEADER, ...list.map((s) => snapshotRow(s.id, s.snapshot))])) session.out.print(line);
        session.out.message(`${list.length} snapshot${list.length === 1 ? "" : "s"}`);
      }),
    );
}
