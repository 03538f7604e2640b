// `cairn prune`: reclaim the space of data no snapshot references any more — delete packs that
// hold only such data, repack those where it exceeds --max-unused, and rewrite the index. Takes
// the exclusive lock (backups wait for it to finish, it waits for none: it refuses to start
// while a backup holds a lock). Safe to kill at any point (see @cairn/repository's prune).
import { PruneRefusedError, type PruneOptions, type PrunePhase, type PruneResult, type Repository } from "@cairn/repository";
import { InvalidArgumentError, type Command } from "commander";
import { CliError } from "../cli/cliError.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import type { Session } from "../cli/session.js";
import { formatBytes } from "../format/size.js";
import { parseDuration } from "../options/duration.js";

function parseShare(value: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value);
  const share = m ? Number(m[1]) / 100 : NaN;
  if (!(share >= 0 && share <= 1)) throw new InvalidArgumentError(`expected a percentage 0%..100%, got ${JSON.stringify(value)}`);
  return share;
}

export function addPruneOptions(command: Command): Command {
  return command
    .option("--max-unused <percent>", "repack a pack once more than this share of it is unused (default 20%)", parseShare)
    .option("--grace-period <duration>", "delete packs no index lists only this long after a prune first saw them (default 1d; e.g. 6h)", parseDuration);
}

export function pruneOptionsFrom(opts: Record<string, unknown>): PruneOptions {
  return {
    ...(opts.maxUnused !== undefined ? { repackThreshold: opts.maxUnused as number } : {}),
    ...(opts.gracePeriod !== undefined ? { graceMs: opts.gracePeriod as number } : {}),
  };
}

const PHASES: Record<PrunePhase, string> = {
  planned: "planned: found what every snapshot needs",
  repacked: "repacked partly used packs",
  indexed: "wrote the new index",
  "old-index-deleted": "deleted the old index",
  done: "deleted unused packs",
};

/** Runs prune, prints what it did, and returns the result (for --json). */
export async function runPrune(session: Session, repo: Repository, options: PruneOptions): Promise<PruneResult> {
  let result: PruneResult;
  try {
    result = await repo.prune({ ...options, onPhase: (phase) => session.out.note(PHASES[phase]) });
  } catch (error) {
    if (error instanceof PruneRefusedError) throw new CliError(error.message, { code: "prune-refused", hint: `run \`cairn check --repo ${session.location().display}\` to see what is wrong`, cause: error });
    throw error;
  }
  const r = result;
  const verb = r.dryRun ? "would" : "did";
  session.out.message(
    `${r.dryRun ? "dry run: " : ""}${r.snapshots} snapshots need ${r.reachableBlobs} blobs; ${verb} delete ${r.packsDeleted} of ${r.packsBefore} packs (${r.packsRepacked} repacked into ${r.packsWritten}), keep ${r.packsKept}${r.packsWaiting > 0 ? `, ${r.packsWaiting} unindexed packs wait for their grace period` : ""}`,
  );
  session.out.message(`packs: ${formatBytes(r.bytesBefore)} before, ${formatBytes(r.bytesAfter)} after (${formatBytes(Math.max(0, r.bytesBefore - r.bytesAfter))} ${r.dryRun ? "would be " : ""}freed)`);
  return result;
}

export function registerPrune(program: Command, env: CommandEnv): void {
  addPruneOptions(program.command("prune").description("delete data no snapshot references any more"))
    .option("-n, --dry-run", "show what would be deleted, delete nothing")
    .addHelpText("after", "\nExamples:\n  cairn prune --repo /srv/backup\n  cairn prune --repo /srv/backup --dry-run --max-unused 5%")
    .action(
      runAction(env, async (session, _args, opts) => {
        const repo = await session.open();
        const result = await runPrune(session, repo, { ...pruneOptionsFrom(opts), dryRun: opts.dryRun === true });
        session.out.emit(result);
      }),
    );
}
