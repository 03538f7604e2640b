// The end of `… start --wait` (and `backups stop --wait`): the final job as one JSON document or a
// summary line, the error list when there is one, and the exit code scripts branch on — 0 when it
// completed, 3 for a backup that completed but could not read some files (as `cairn backup`),
// 1 for everything else (failed, stopped, skipped, missed, a restore or cleanup with errors).
import type { CairnClient, ErrorReport } from "@cairn/api-client";
import { EXIT_FAILURE, EXIT_INCOMPLETE, EXIT_OK } from "../cli/exitCodes.js";
import type { Session } from "../cli/session.js";
import { jobDetails, type Job, type JobKind, PLURAL } from "../format/jobs.js";
import { escapeText } from "../format/text.js";


/** The job's error report, when it has errors or failed (undefined otherwise). */
export async function errorReportOf(client: CairnClient, kind: JobKind, job: Job): Promise<ErrorReport | undefined> {
  if (job.errors.count === 0 && job.state !== "failed") return undefined;
  return client[PLURAL[kind]].errors(job.id);
}

/** The --json form of a job: the API resource, plus its error report when it has one. */
export function jobJson(job: Job, report: ErrorReport | undefined): Record<string, unknown> {
  return report === undefined ? { ...job } : { ...job, error_report: report };
}

/** Reports a finished job; returns the exit code. */
export async function reportOutcome(session: Session, client: CairnClient, kind: JobKind, job: Job): Promise<number> {
  const report = await errorReportOf(client, kind, job);
  session.out.emit(jobJson(job, report));
  const details = jobDetails(kind, job);
  session.out.print(`${kind} ${job.id} ${job.state}${details ? `: ${details}` : ""}`);
  if (report !== undefined) {
    if (report.diagnostics) session.out.warn(escapeText(report.diagnostics));
    for (const item of report.list) session.out.warn(`${escapeText(item.path)}: ${escapeText(item.description || item.type)}${item.exception?.details ? ` (${escapeText(item.exception.details)})` : ""}`);
    if (report.count > report.list.length) session.out.warn(`… and ${report.count - report.list.length} more`);
  }
  if (job.state === "completed") return EXIT_OK;
  if (job.state === "completed_with_errors" && kind === "backup") return EXIT_INCOMPLETE;
  return EXIT_FAILURE;
}
