// `cairn configs`: backup configurations on the server — what an agent backs up (inclusions and
// exclusions), when (an RRULE in a time zone, or manually only), for how long snapshots are kept
// (retention days, applied by cleanups) and who hears about failures. `create` writes every rule
// as a "folder" rule: a folder with everything below it, or a file by itself.
import type { Configuration, ConfigurationInput, ConfigurationSummary } from "@cairn/api-client";
import type { Command } from "commander";
import { loadNames } from "../api/names.js";
import { resolveAgentOrOnly, resolveConfiguration } from "../api/resolve.js";
import { usageError } from "../cli/cliError.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { formatTable } from "../format/table.js";
import { escapeText } from "../format/text.js";
import { localFromIso } from "../format/time.js";
import { collect } from "../options/filter.js";
import { parseCount } from "../options/numbers.js";
import { collectAgentPath } from "../options/paths.js";
import { localTimeZone, parseSchedule } from "../options/schedule.js";

function scheduleText(c: ConfigurationSummary): string {
  if (c.schedule === null) return "manual";
  return `${c.schedule.recurrence[0].replace(/^RRULE:/, "")} (${escapeText(c.schedule.time_zone)})`;
}

function retentionText(days: number): string {
  return days === 0 ? "forever" : `${days} day${days === 1 ? "" : "s"}`;
}

function configurationLines(c: Configuration, agentName: string): [string, string][] {
  const lines: [string, string][] = [
    ["configuration", c.id],
    ["name", escapeText(c.name)],
    ["agent", `${agentName} (${c.agent.id})`],
    ["enabled", c.enabled ? "yes" : "no"],
    ["schedule", scheduleText(c)],
    ["next run", c.backups.next ? localFromIso(c.backups.next.scheduled_time) : "-"],
    ["last backup", c.backups.last_completed ? c.backups.last_completed.id : "-"],
    ["retention", retentionText(c.retention.days)],
  ];
  for (const r of c.inclusions) lines.push(["include", `${escapeText(r.path)}${r.type === "file" ? " (entry only)" : ""}`]);
  for (const r of c.exclusions) lines.push(["exclude", escapeText(r.path)]);
  for (const n of c.notifications) lines.push(["notify", `${escapeText(n.destination)} (${[n.on_failure ? "failures" : "", n.on_success ? "successes" : ""].filter(Boolean).join(", ")})`]);
  return lines;
}

export function registerConfigs(program: Command, env: CommandEnv): void {
  const configs = program
    .command("configs")
    .description("backup configurations on the server: list, show, create, delete")
    .addHelpText(
      "after",
      "\nExamples:\n  cairn configs\n  cairn configs create --agent web1 --name home --include /home --exclude /home/alice/.cache --schedule daily@02:30 --notify ops@example.com\n  cairn configs show home\n  cairn configs delete home",
    );

  configs
    .command("list", { isDefault: true })
    .description("list the configurations (the default)")
    .option("--agent <agent>", "only this agent's (id, id prefix or name)")
    .action(
      runAction(env, async (session, _args, opts) => {
        const { client } = await session.api();
        const names = await loadNames(client);
        let list = await client.configurations.list();
        if (opts.agent !== undefined) {
          const agent = await resolveAgentOrOnly(client, opts.agent as string);
          list = list.filter((c) => c.agent.id === agent.id);
        }
        session.out.emit(list);
        if (list.length === 0) {
          session.out.message("no configurations: create one with `cairn configs create --agent AGENT --name NAME --include PATH --notify EMAIL`");
          return;
        }
        const rows = list.map((c) => [c.id, escapeText(c.name), names.agent(c.agent.id), `${scheduleText(c)}${c.enabled ? "" : ", disabled"}`, c.backups.next ? localFromIso(c.backups.next.scheduled_time) : "-", retentionText(c.retention.days)]);
        for (const line of formatTable([["ID", "Name", "Agent", "Schedule", "Next run", "Keep"], ...rows])) session.out.print(line);
      }),
    );

  configs
    .command("show")
    .description("show one configuration with its inclusions, exclusions and schedule")
    .argument("<config>", "configuration id, id prefix or name")
    .action(
      runAction(env, async (session, args) => {
        const { client } = await session.api();
        const summary = await resolveConfiguration(client, args[0] as string);
        const [c, names] = await Promise.all([client.configurations.get(summary.id), loadNames(client)]);
        session.out.emit(c);
        for (const line of formatTable(configurationLines(c, names.agent(c.agent.id)))) session.out.print(line);
      }),
    );

  configs
    .command("create")
    .description("create a configuration for an agent")
    .requiredOption("--name <name>", "a name people recognise")
    .option("--agent <agent>", "the agent that backs up (id, id prefix or name; default: the only agent)")
    .option("-i, --include <path>", "a folder (with everything below it) or file to back up, absolute on the agent's host (repeatable)", collectAgentPath)
    .option("-e, --exclude <path>", "a folder or file below an inclusion to leave out (repeatable)", collectAgentPath)
    .option("--schedule <when>", "hourly, daily@HH:MM, weekly@DAY@HH:MM or an RRULE (default: manual runs only)", parseSchedule)
    .option("--time-zone <zone>", "IANA time zone of the schedule (default: this machine's)")
    .option("--retention-days <n>", "cleanups remove snapshots older than this (0: keep forever)", parseCount, 30)
    .option("--notify <email>", "who is told when a backup fails (repeatable; at least one)", collect)
    .option("--disabled", "create it disabled (no scheduled runs, no manual starts)")
    .addHelpText("after", "\nExample:\n  cairn configs create --agent web1 --name www --include /var/www --exclude /var/www/tmp --schedule hourly --retention-days 14 --notify ops@example.com")
    .action(
      runAction(env, async (session, _args, opts) => {
        const inclusions = (opts.include as string[] | undefined) ?? [];
        if (inclusions.length === 0) throw usageError("nothing to back up", "pass --include PATH (repeatable) with the folders and files to back up");
        const notify = (opts.notify as string[] | undefined) ?? [];
        if (notify.length === 0) throw usageError("--notify EMAIL is required", "the server needs someone to tell when a backup fails");
        if (opts.timeZone !== undefined && opts.schedule === undefined) throw usageError("--time-zone needs --schedule");
        const { client } = await session.api();
        const agent = await resolveAgentOrOnly(client, opts.agent as string | undefined);
        const input: ConfigurationInput = {
          agent_id: agent.id,
          name: opts.name as string,
          enabled: opts.disabled !== true,
          schedule: opts.schedule === undefined ? null : { recurrence: [opts.schedule as string], time_zone: (opts.timeZone as string | undefined) ?? localTimeZone() },
          retention: { days: opts.retentionDays as number },
          inclusions: inclusions.map((path) => ({ type: "folder", path })),
          exclusions: ((opts.exclude as string[] | undefined) ?? []).map((path) => ({ type: "folder", path })),
          notifications: notify.map((destination) => ({ type: "email", destination, on_success: false, on_failure: true })),
        };
        const c = await client.configurations.create(input);
        session.out.emit(c);
        session.out.print(`created configuration ${escapeText(c.name)} ${c.id} for agent ${escapeText(agent.name)}`);
        session.out.message(c.backups.next ? `next scheduled run: ${localFromIso(c.backups.next.scheduled_time)}` : "no schedule: runs start when you ask");
        session.out.message(`start a backup now: cairn backups start ${c.id} --wait`);
      }),
    );

  configs
    .command("delete")
    .description("delete a configuration (its backups stay restorable until cleanups expire them)")
    .argument("<config>", "configuration id, id prefix or name")
    .action(
      runAction(env, async (session, args) => {
        const { client } = await session.api();
        const c = await resolveConfiguration(client, args[0] as string);
        await client.configurations.delete(c.id);
        session.out.emit({ id: c.id, deleted: true });
        session.out.print(`deleted configuration ${escapeText(c.name)} ${c.id}`);
        session.out.message("its backups stay restorable: `cairn backups --restorable` lists them");
      }),
    );
}
