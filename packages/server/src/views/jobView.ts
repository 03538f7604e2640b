// Wire form of backups, restores, cleanups (spec §2.5–2.8), their error reports (§2.6) and
// activities (§2.9).
import { isoTime } from "../clock.js";
import type { Hrefs } from "../http/links.js";
import { isRestorable } from "../state/machines.js";
import type { JobRecord, JobSummary } from "../store/model.js";

const num = (doc: Record<string, unknown>, key: string): number => (typeof doc[key] === "number" ? (doc[key] as number) : 0);
const opt = (doc: Record<string, unknown>, key: string): unknown => doc[key] ?? null;

function errorSummary(hrefs: Hrefs, job: JobRecord): Record<string, unknown> {
  return {
    count: job.errors.count,
    reason: job.errors.reason,
    diagnostics: job.kind === "cleanup" ? null : job.errors.diagnostics,
    links: [hrefs.link("full", `${job.kind}s`, job.id, "errors")],
  };
}

/** A backup, restore or cleanup. `summary` (lists) drops a restore's inclusions/exclusions. */
export function jobView(hrefs: Hrefs, job: JobRecord, summary = false): Record<string, unknown> {
  const d = job.doc;
  const common = {
    project_id: job.projectId,
    id: job.id,
  };
  const times = { state: job.state, started_time: opt(d, "started_time"), ended_time: opt(d, "ended_time") };
  const links = [hrefs.link("self", `${job.kind}s`, job.id), hrefs.link("events", `${job.kind}s`, job.id, "events")];
  if (job.kind === "backup") {
    return {
      ...common,
      agent: hrefs.ref(job.agentId, "agents", job.agentId),
      configuration: hrefs.ref(job.configurationId ?? "", "configurations", job.configurationId ?? ""),
      ...times,
      snapshot_id: opt(d, "snapshot_id"),
      errors: errorSummary(hrefs, job),
      files_searched: num(d, "files_searched"),
      files_backed_up: num(d, "files_backed_up"),
      bytes_searched: num(d, "bytes_searched"),
      bytes_backed_up: num(d, "bytes_backed_up"),
      bytes_in_db: num(d, "bytes_in_db"),
      bandwidth_avg_bps: num(d, "bandwidth_avg_bps"),
      restorable: isRestorable(job.state),
      links,
    };
  }
  if (job.kind === "restore") {
    return {
      ...common,
      backup: hrefs.ref(job.backupId ?? "", "backups", job.backupId ?? ""),
      destination_agent: hrefs.ref(job.agentId, "agents", job.agentId),
      destination_path: opt(d, "destination_path"),
      overwrite_files: d.overwrite_files === true,
      ...(summary ? {} : { inclusions: d.inclusions ?? [], exclusions: d.exclusions ?? [] }),
      ...times,
      errors: errorSummary(hrefs, job),
      files_restored: num(d, "files_restored"),
      bytes_restored: num(d, "bytes_restored"),
      links,
    };
  }
  return {
    ...common,
    agent: hrefs.ref(job.agentId, "agents", job.agentId),
    ...times,
    snapshot_ids: Array.isArray(d.snapshot_ids) ? d.snapshot_ids : [],
    errors: errorSummary(hrefs, job),
    bytes_before: num(d, "bytes_before"),
    bytes_after: num(d, "bytes_after"),
    links,
  };
}

/** The full error report (`GET …/errors`). Cleanups have null diagnostics and exceptions. */
export function errorReportView(hrefs: Hrefs, job: JobRecord): Record<string, unknown> {
  const cleanup = job.kind === "cleanup";
  return {
    count: job.errors.count,
    reason: job.errors.reason,
    diagnostics: cleanup ? null : job.errors.diagnostics,
    list: job.errors.list.map((e) => ({ ...e, exception: cleanup ? null : e.exception })),
    links: [hrefs.link("self", `${job.kind}s`, job.id, "errors")],
  };
}

/** An activity: the read-only projection of a job. */
export function activityView(hrefs: Hrefs, job: JobSummary): Record<string, unknown> {
  return {
    id: job.id,
    type: job.kind,
    last_updated_time: isoTime(job.updatedAt),
    state: job.state,
    agent: hrefs.ref(job.agentId, "agents", job.agentId),
    ...(job.kind === "cleanup" || job.configurationId === null ? {} : { configuration: hrefs.ref(job.configurationId, "configurations", job.configurationId) }),
    links: [hrefs.link(job.kind, `${job.kind}s`, job.id)],
  };
}
