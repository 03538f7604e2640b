// `cairn activity`: what happened in the project, newest first — every backup, restore and
// cleanup with its state and what it did (files, bytes, snapshots removed), optionally only one
// agent's or one configuration's (a configuration's activity is its backups and the restores of
// them). The activity list carries ids and states; the counters come from each job, fetched
// a few at a time.
import type { Activity, CairnClient, JobKind as ApiJobKind, JobState } from "@cairn/api-client";
import { InvalidArgumentError, type Command } from "commander";
import { loadNames } from "../api/names.js";
import { resolveAgent, resolveConfiguration } from "../api/resolve.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { jobDetails, type Job, PLURAL } from "../format/jobs.js";
import { formatTable } from "../format/table.js";
import { localFromIso } from "../format/time.js";
import { parseCount } from "../options/numbers.js";

const STATES: readonly JobState[] = ["start_requested", "start_scheduled", "queued", "preparing", "in_progress", "stop_requested", "completed", "completed_with_errors", "failed", "stopped", "skipped", "missed"];

function parseType(value: string): ApiJobKind {
  if (value === "backup" || value === "restore" || value === "cleanup") return value;
  throw new InvalidArgumentError(`expected backup, restore or cleanup, got ${JSON.stringify(value)}`);
}

function parseState(value: string): JobState {
  if ((STATES as readonly string[]).includes(value)) return value as JobState;
  throw new InvalidArgumentError(`expected one of ${STATES.join(", ")}, got ${JSON.stringify(value)}`);
}

/** Each activity's job (for its counters), at most `width` requests at a time. */
async function jobsOf(client: CairnClient, activities: readonly Activity[], width = 6): Promise<Job[]> {
  const jobs: Job[] = new Array(activities.length);
  let next = 0;
  const worker = async () => {
    while (next < activities.length) {
      const i = next++;
      const a = activities[i]!;
      jobs[i] = await client[PLURAL[a.type]].get(a.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, activities.length) }, worker));
  return jobs;
}

export function registerActivity(program: Command, env: CommandEnv): void {
  program
    .command("activity")
    .description("what happened in the project (Cairn server API): backups, restores and cleanups, newest first")
    .option("--agent <agent>", "only this agent's (id, id prefix or name)")
    .option("--config <config>", "only this configuration's backups and their restores (id, id prefix or name)")
    .option("--type <type>", "only backup, restore or cleanup", parseType)
    .option("--state <state>", "only in this state (e.g. failed, in_progress)", parseState)
    .option("--limit <n>", "at most this many", parseCount, 20)
    .addHelpText("after", "\nExamples:\n  cairn activity\n  cairn activity --config home --limit 5\n  cairn activity --agent web1 --state failed --json")
    .action(
      runAction(env, async (session, _args, opts) => {
        const { client } = await session.api();
        const [agent, configuration] = await Promise.all([
          opts.agent === undefined ? undefined : resolveAgent(client, opts.agent as string),
          opts.config === undefined ? undefined : resolveConfiguration(client, opts.config as string),
        ]);
        const page = await client.activities.list({
          limit: Math.max(1, Math.min(1000, opts.limit as number)),
          ...(opts.type === undefined ? {} : { type: opts.type as ApiJobKind }),
          ...(opts.state === undefined ? {} : { state: opts.state as JobState }),
          ...(agent === undefined ? {} : { agent_ids: [agent.id] }),
          ...(configuration === undefined ? {} : { configuration_ids: [configuration.id] }),
        });
        const [jobs, names] = await Promise.all([jobsOf(client, page.items), loadNames(client)]);
        session.out.emit(page.items.map((a, i) => ({ ...a, details: jobs[i] })));
        if (page.items.length === 0) {
          session.out.message("no activity yet: start a backup with `cairn backups start CONFIG`");
          return;
        }
        const rows = page.items.map((a, i) => [localFromIso(a.last_updated_time), a.type, a.state, a.id, names.agent(a.agent.id), a.configuration ? names.configuration(a.configuration.id) : "-", jobDetails(a.type, jobs[i]!)]);
        for (const line of formatTable([["Updated", "Type", "State", "ID", "Agent", "Configuration", "What"], ...rows])) session.out.print(line);
      }),
    );
}
