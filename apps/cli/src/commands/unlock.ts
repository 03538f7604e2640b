// `cairn unlock`: remove locks left by cairn processes that died (a lock not refreshed for 30
// minutes is stale). With --remove-all, every lock — only when you know no cairn process is
// using the repository: a live backup whose lock is removed fails at its next checkpoint.
import type { Command } from "commander";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { escapeText } from "../format/text.js";

export function registerUnlock(program: Command, env: CommandEnv): void {
  program
    .command("unlock")
    .description("remove stale locks (of cairn processes that died)")
    .option("--remove-all", "remove every lock, also live ones (only if no cairn process uses the repository)")
    .addHelpText("after", "\nExample:\n  cairn unlock --repo /srv/backup")
    .action(
      runAction(env, async (session, _args, opts) => {
        const repo = await session.open();
        const before = await repo.listLocks();
        const removed = await repo.removeLocks({ all: opts.removeAll === true });
        const left = before.filter((l) => !removed.includes(l.object));
        session.out.emit({ removed, remaining: left.map((l) => ({ object: l.object, exclusive: l.exclusive, host: l.host, time: new Date(l.timeMs).toISOString() })) });
        session.out.message(removed.length === 0 ? "no stale locks" : `removed ${removed.length} lock${removed.length === 1 ? "" : "s"}`);
        for (const l of left) session.out.print(`still locked: ${l.exclusive ? "exclusive" : "shared"} lock of ${escapeText(l.host)} since ${new Date(l.timeMs).toISOString()} (live; --remove-all removes it)`);
      }),
    );
}
