// What `cairn backups`, `cairn restores` and `cairn cleanups` share: `list` (the default; newest
// first), `show ID` (the job with its counters and error list) and `stop ID` (asks the agent to
// stop; `--wait` follows it to the end). Each command file adds its own `start`.
import type { Backup, CairnClient, Cleanup, Restore } from "@cairn/api-client";
import type { Command } from "commander";
import { EXIT_INTERRUPTED, EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import type { Session } from "../cli/session.js";
import { BACKUP_HEADER, backupRow, CLEANUP_HEADER, cleanupRow, jobLines, RESTORE_HEADER, restoreRow, type Job, type JobKind, type Names, PLURAL } from "../format/jobs.js";
import { formatTable } from "../format/table.js";
import { parseCount } from "../options/numbers.js";
import { errorReportOf, jobJson, reportOutcome } from "./jobOutcome.js";
import { loadNames } from "./names.js";
import { waitForJob, WaitInterrupted } from "./waitForJob.js";


function rowsOf(kind: JobKind, jobs: readonly Job[], names: Names): string[][] {
  if (kind === "backup") return [BACKUP_HEADER, ...jobs.map((j) => backupRow(j as Backup, names))];
  if (kind === "restore") return [RESTORE_HEADER, ...jobs.map((j) => restoreRow(j as Restore, names))];
  return [CLEANUP_HEADER, ...jobs.map((j) => cleanupRow(j as Cleanup, names))];
}

/** Prints a list of jobs (or says there are none). */
export function printJobs(session: Session, kind: JobKind, jobs: readonly Job[], names: Names): void {
  session.out.emit(jobs);
  if (jobs.length === 0) {
    session.out.message(`no ${PLURAL[kind]}`);
    return;
  }
  for (const line of formatTable(rowsOf(kind, jobs, names))) session.out.print(line);
}

/** `--wait` after a start or stop: follows the job and reports how it ended. */
export async function waitAndReport(session: Session, client: CairnClient, kind: JobKind, job: Job, options: { anyEnd?: boolean } = {}): Promise<number> {
  let end: Job;
  try {
    end = await waitForJob(session, client, kind, job);
  } catch (error) {
    if (error instanceof WaitInterrupted) {
      session.out.warn(error.message);
      return EXIT_INTERRUPTED;
    }
    throw error;
  }
  const code = await reportOutcome(session, client, kind, end);
  return options.anyEnd ? EXIT_OK : code;
}

/** Registers `list` (default), `show` and `stop` under `parent`; `list` gets `extraList` options. */
export function registerJobSubcommands(parent: Command, env: CommandEnv, kind: JobKind, list: { configure?: (c: Command) => Command; fetch?: (client: CairnClient, opts: Record<string, unknown>, limit: number) => Promise<Job[]> } = {}): void {
  const listCommand = parent
    .command("list", { isDefault: true })
    .description(`list ${PLURAL[kind]}, newest first (the default)`)
    .option("--limit <n>", "at most this many", parseCount, 20);
  (list.configure ?? ((c) => c))(listCommand).action(
    runAction(env, async (session, _args, opts) => {
      const { client } = await session.api();
      const limit = Math.max(1, Math.min(1000, opts.limit as number));
      const jobs = list.fetch ? await list.fetch(client, opts, limit) : (await client[PLURAL[kind]].list({ limit })).items;
      printJobs(session, kind, jobs, await loadNames(client));
    }),
  );

  parent
    .command("show")
    .description(`show one ${kind}: state, times, counters and errors`)
    .argument("<id>", `${kind} id (as \`cairn ${PLURAL[kind]}\` prints it)`)
    .action(
      runAction(env, async (session, args) => {
        const { client } = await session.api();
        const job = await client[PLURAL[kind]].get(args[0] as string);
        const [report, names] = await Promise.all([errorReportOf(client, kind, job), loadNames(client)]);
        session.out.emit(jobJson(job, report));
        for (const line of formatTable(jobLines(kind, job, names, report))) session.out.print(line);
      }),
    );

  parent
    .command("stop")
    .description(`ask the agent to stop a ${kind}`)
    .argument("<id>", `${kind} id`)
    .option("--wait", "wait until it has stopped (or ended)")
    .action(
      runAction(env, async (session, args, opts) => {
        const { client } = await session.api();
        const id = args[0] as string;
        await client[PLURAL[kind]].stop(id);
        if (opts.wait === true) return waitAndReport(session, client, kind, await client[PLURAL[kind]].get(id), { anyEnd: true });
        session.out.emit({ id, state: "stop_requested" });
        session.out.print(`stop requested for ${kind} ${id}`);
        session.out.message(`the agent stops it shortly: \`cairn ${PLURAL[kind]} show ${id}\``);
        return EXIT_OK;
      }),
    );
}
