// `cairn forget`: remove snapshots, either named ones (`forget ID…`) or those a retention policy
// does not keep (--keep-*, --older-than), grouped by host and paths like restic. Only snapshot
// objects are deleted; the data they alone referenced is reclaimed by `prune` (or --prune here).
// --dry-run shows the decision, with the reason each kept snapshot is kept, and deletes nothing.
import { forgetSnapshots, type ForgetResult, type RetentionPolicy } from "@cairn/repository";
import { shortId, type SnapshotId } from "@cairn/manifest";
import { InvalidArgumentError, type Command } from "commander";
import { usageError } from "../cli/cliError.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import type { Session } from "../cli/session.js";
import { localFromNs } from "../format/time.js";
import { parseDays, parseDuration } from "../options/duration.js";
import { addFilterOptions, collect, filterFrom } from "../options/filter.js";
import { parseKeepCount } from "../options/numbers.js";
import { filteredSnapshots, pickSnapshot } from "../snapshot/select.js";
import { addPruneOptions, pruneOptionsFrom, runPrune } from "./prune.js";

const GROUP_FIELDS = ["host", "paths", "tags"] as const;
type GroupField = (typeof GROUP_FIELDS)[number];

function parseGroupBy(value: string): GroupField[] {
  if (value === "" || value === "none") return [];
  const fields = value.split(",");
  for (const f of fields) if (!(GROUP_FIELDS as readonly string[]).includes(f)) throw new InvalidArgumentError(`expected a comma list of host, paths, tags (or none), got ${JSON.stringify(value)}`);
  return fields as GroupField[];
}

function policyFrom(o: Record<string, unknown>): RetentionPolicy | undefined {
  const policy: { -readonly [K in keyof RetentionPolicy]: RetentionPolicy[K] } = {};
  if (o.keepLast !== undefined) policy.last = o.keepLast as number;
  if (o.keepHourly !== undefined) policy.hourly = o.keepHourly as number;
  if (o.keepDaily !== undefined) policy.daily = o.keepDaily as number;
  if (o.keepWeekly !== undefined) policy.weekly = o.keepWeekly as number;
  if (o.keepMonthly !== undefined) policy.monthly = o.keepMonthly as number;
  if (o.keepYearly !== undefined) policy.yearly = o.keepYearly as number;
  if (o.keepWithin !== undefined) policy.within = o.keepWithin as number;
  if (o.olderThan !== undefined) policy.retentionDays = o.olderThan as number;
  if (o.keepTag !== undefined) policy.tags = o.keepTag as string[];
  return Object.keys(policy).length > 0 ? policy : undefined;
}

function printDecision(session: Session, result: ForgetResult, dryRun: boolean): void {
  const out = session.out;
  for (const g of result.groups) {
    out.print(`snapshots for ${g.key}:`);
    for (const k of g.keep) out.print(`  keep   ${shortId(k.id)}  ${localFromNs(BigInt(k.timeMs) * 1_000_000n)}  ${k.reasons.join(", ")}`);
    for (const r of g.remove) out.print(`  ${dryRun ? "would remove" : "remove"} ${shortId(r.id)}  ${localFromNs(BigInt(r.timeMs) * 1_000_000n)}`);
  }
}

export function registerForget(program: Command, env: CommandEnv): void {
  const command = program
    .command("forget")
    .description("remove snapshots: the ones named, or those a retention policy does not keep")
    .argument("[snapshots...]", "snapshot IDs (prefixes) to remove; without them the --keep-*/--older-than policy decides")
    .option("--keep-last <n>", "keep the n newest snapshots", parseKeepCount)
    .option("--keep-hourly <n>", "keep the newest snapshot of each of the last n hours that have one", parseKeepCount)
    .option("--keep-daily <n>", "… of the last n days", parseKeepCount)
    .option("--keep-weekly <n>", "… of the last n ISO weeks", parseKeepCount)
    .option("--keep-monthly <n>", "… of the last n months", parseKeepCount)
    .option("--keep-yearly <n>", "… of the last n years", parseKeepCount)
    .option("--keep-within <duration>", "keep snapshots within this long of the group's newest (e.g. 30d, 1y6m)", parseDuration)
    .option("--keep-tag <tag>", "keep snapshots with this tag (repeatable)", collect)
    .option("--older-than <days>", "remove snapshots older than this many days (e.g. 30d), unless a --keep rule keeps them", parseDays)
    .option("--group-by <fields>", "group snapshots by host,paths,tags (default host,paths; none: one group)", parseGroupBy)
    .option("--time-zone <iana>", "time zone for hourly/daily/… buckets (default: this machine's)")
    .option("-n, --dry-run", "show what would be removed, remove nothing")
    .option("--prune", "run prune afterwards to reclaim the space");
  addPruneOptions(command);
  addFilterOptions(command, "snapshots to consider")
    .addHelpText("after", "\nExamples:\n  cairn forget --repo /srv/backup --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --prune\n  cairn forget --repo /srv/backup --older-than 90d --dry-run\n  cairn forget --repo /srv/backup 4f2a91c0")
    .action(
      runAction(env, async (session, args, opts) => {
        const [ids] = args as [string[]];
        const policy = policyFrom(opts);
        if (ids.length > 0 && policy) throw usageError("give either snapshot IDs or a --keep-*/--older-than policy, not both");
        if (ids.length === 0 && !policy) throw usageError("nothing to forget: give snapshot IDs, or a policy such as --keep-last 7 or --older-than 90d");
        const dryRun = opts.dryRun === true;
        const repo = await session.open();
        const filter = filterFrom(opts);
        let removed: SnapshotId[] = [];
        let json: Record<string, unknown>;
        if (ids.length > 0) {
          const all = await repo.listSnapshots();
          const chosen = [...new Map(ids.map((r) => pickSnapshot(all, r, filter)).map((s) => [s.id, s])).values()];
          for (const s of chosen) {
            if (!dryRun) await repo.deleteSnapshot(s.id);
            session.out.print(`${dryRun ? "would remove" : "removed"} snapshot ${shortId(s.id)} (${localFromNs(s.snapshot.timeNs)})`);
          }
          removed = dryRun ? [] : chosen.map((s) => s.id);
          json = { dryRun, removed, wouldRemove: dryRun ? chosen.map((s) => s.id) : [] };
        } else {
          const target = { listSnapshots: () => filteredSnapshots(repo, filter), deleteSnapshot: (id: SnapshotId) => repo.deleteSnapshot(id) };
          let result: ForgetResult;
          try {
            result = await forgetSnapshots(target, policy!, {
              dryRun,
              timeZone: (opts.timeZone as string | undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
              ...(opts.groupBy ? { groupBy: opts.groupBy as GroupField[] } : {}),
            });
          } catch (error) {
            if (error instanceof RangeError) throw usageError(error.message);
            throw error;
          }
          printDecision(session, result, dryRun);
          removed = [...result.removed];
          const wouldRemove = result.groups.reduce((n, g) => n + g.remove.length, 0);
          session.out.message(dryRun ? `${wouldRemove} snapshot${wouldRemove === 1 ? "" : "s"} would be removed (dry run)` : `${removed.length} snapshot${removed.length === 1 ? "" : "s"} removed`);
          json = { dryRun, policy, groups: result.groups, removed };
        }
        if (opts.prune === true) {
          const prune = await runPrune(session, repo, { ...pruneOptionsFrom(opts), dryRun });
          session.out.emit({ ...json, prune });
        } else {
          session.out.emit(json);
          if (!dryRun && removed.length > 0) session.out.message("run `cairn prune` (or forget with --prune) to reclaim the space");
        }
      }),
    );
}
