// How backups, restores and cleanups from the API are shown: one table row each for lists, a
// few words of "what it did" for activity, and labelled lines for `show`. Everything that came
// from the server or an agent (names, paths, error texts) is escaped before it reaches a terminal.
import type { Backup, Cleanup, ErrorReport, JobState, Restore } from "@cairn/api-client";
import { formatBytes, formatDuration, plural } from "./size.js";
import { escapeText } from "./text.js";
import { localFromIso, secondsBetween } from "./time.js";

export type JobKind = "backup" | "restore" | "cleanup";

/** A job kind's collection: the API client's namespace and the `cairn` command that lists it. */
export const PLURAL = { backup: "backups", restore: "restores", cleanup: "cleanups" } as const;
export type Job = Backup | Restore | Cleanup;

const TERMINAL: ReadonlySet<JobState> = new Set<JobState>(["completed", "completed_with_errors", "failed", "stopped", "skipped", "missed"]);

/** True for the states a job never leaves. */
export function isTerminal(state: JobState): boolean {
  return TERMINAL.has(state);
}

/** Display names of agents and configurations by id (ids when unknown). */
export interface Names {
  agent(id: string): string;
  configuration(id: string): string;
}

/** How long an ended job took ("1.2s"); "-" while it runs. */
export function durationText(job: Job): string {
  const s = secondsBetween(job.started_time, job.ended_time);
  return s === undefined ? "-" : formatDuration(s);
}

/** What a job did, in a few words (for activity and lists). */
export function jobDetails(kind: JobKind, job: Job): string {
  const failure = job.errors.count > 0 || job.state === "failed" ? ` — ${escapeText(job.errors.reason || job.state)}${job.errors.count > 0 ? ` (${plural(job.errors.count, "error")})` : ""}` : "";
  if (!isTerminal(job.state) || job.state === "skipped" || job.state === "missed" || job.state === "stopped") return failure;
  if (kind === "backup") {
    const b = job as Backup;
    return `${b.files_backed_up}/${plural(b.files_searched, "file")} backed up, ${formatBytes(b.bytes_backed_up)} new (${formatBytes(b.bytes_in_db)} stored)${failure}`;
  }
  if (kind === "restore") {
    const r = job as Restore;
    return `${plural(r.files_restored, "file")}, ${formatBytes(r.bytes_restored)} restored${failure}`;
  }
  const c = job as Cleanup;
  return `${plural(c.snapshot_ids.length, "snapshot")} removed, vault ${formatBytes(c.bytes_before)} → ${formatBytes(c.bytes_after)}${failure}`;
}

export const BACKUP_HEADER = ["ID", "State", "Started", "Took", "Configuration", "What"];

export function backupRow(b: Backup, names: Names): string[] {
  return [b.id, b.state, localFromIso(b.started_time), durationText(b), names.configuration(b.configuration.id), jobDetails("backup", b)];
}

export const RESTORE_HEADER = ["ID", "State", "Started", "Took", "Backup", "To", "What"];

export function restoreRow(r: Restore, names: Names): string[] {
  const to = `${names.agent(r.destination_agent.id)}:${r.destination_path === null ? "(original location)" : escapeText(r.destination_path)}`;
  return [r.id, r.state, localFromIso(r.started_time), durationText(r), r.backup.id, to, jobDetails("restore", r)];
}

export const CLEANUP_HEADER = ["ID", "State", "Started", "Took", "Agent", "What"];

export function cleanupRow(c: Cleanup, names: Names): string[] {
  return [c.id, c.state, localFromIso(c.started_time), durationText(c), names.agent(c.agent.id), jobDetails("cleanup", c)];
}

/** Labelled lines describing one job (`cairn backups show`, …), then its error list. */
export function jobLines(kind: JobKind, job: Job, names: Names, report?: ErrorReport): [string, string][] {
  const lines: [string, string][] = [
    [kind, job.id],
    ["state", job.state],
  ];
  if (kind === "backup") {
    const b = job as Backup;
    lines.push(["configuration", `${names.configuration(b.configuration.id)} (${b.configuration.id})`], ["agent", `${names.agent(b.agent.id)} (${b.agent.id})`]);
  } else if (kind === "restore") {
    const r = job as Restore;
    lines.push(["backup", r.backup.id], ["to agent", `${names.agent(r.destination_agent.id)} (${r.destination_agent.id})`], ["to path", r.destination_path === null ? "(the original locations)" : escapeText(r.destination_path)], ["overwrite", r.overwrite_files ? "yes" : "no (existing files are kept)"]);
    for (const rule of r.inclusions ?? []) lines.push(["include", `${escapeText(rule.path)}${rule.type === "file" ? " (entry only)" : ""}`]);
    for (const rule of r.exclusions ?? []) lines.push(["exclude", escapeText(rule.path)]);
  } else {
    lines.push(["agent", `${names.agent((job as Cleanup).agent.id)} (${(job as Cleanup).agent.id})`]);
  }
  lines.push(["started", localFromIso(job.started_time)], ["ended", `${localFromIso(job.ended_time)}${job.ended_time ? ` (took ${durationText(job)})` : ""}`]);
  if (kind === "backup") {
    const b = job as Backup;
    lines.push(
      ["snapshot", b.snapshot_id === null ? "-" : String(b.snapshot_id)],
      ["files", `${b.files_searched} searched, ${b.files_backed_up} new or changed`],
      ["bytes", `${formatBytes(b.bytes_searched)} searched, ${formatBytes(b.bytes_backed_up)} new, ${formatBytes(b.bytes_in_db)} stored in the vault`],
      ["bandwidth", `${formatBytes(b.bandwidth_avg_bps)}/s`],
      ["restorable", b.restorable ? "yes" : "no"],
    );
  } else if (kind === "restore") {
    const r = job as Restore;
    lines.push(["restored", `${plural(r.files_restored, "file")}, ${formatBytes(r.bytes_restored)}`]);
  } else {
    const c = job as Cleanup;
    lines.push(["removed", c.snapshot_ids.length === 0 ? "no snapshots" : `snapshots ${c.snapshot_ids.join(", ")}`], ["vault", `${formatBytes(c.bytes_before)} before, ${formatBytes(c.bytes_after)} after`]);
  }
  const errors = report ?? job.errors;
  if (errors.count > 0 || errors.reason) {
    lines.push(["errors", `${errors.count}${errors.reason ? ` (${escapeText(errors.reason)})` : ""}`]);
    if (errors.diagnostics) lines.push(["diagnostics", escapeText(errors.diagnostics)]);
  }
  for (const item of report?.list ?? []) lines.push(["", `${escapeText(item.path)}: ${escapeText(item.description || item.type)}${item.exception?.details ? ` (${escapeText(item.exception.details)})` : ""}`]);
  return lines;
}
