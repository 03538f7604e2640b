// PATCH of backups, restores and cleanups (spec §3.5, §3.6, §3.9): agent progress and final
// reports, and the user's stop request. All-or-nothing; 409 on a terminal job.
import { badRequest, conflict } from "../errors.js";
import { isCount, isOneOf, isTimestampOrNull, type PatchChange, type PatchRules, type ValueCheck } from "../http/jsonPatch.js";
import { schemaCheck } from "../http/validation.js";
import { newId } from "../ids.js";
import { checkTransition, isTerminal, patchableStates, type ActivityKind, type JobState } from "../state/machines.js";
import type { ErrorReport, JobRecord } from "../store/model.js";
import type { NewEvent } from "../events/eventBus.js";

const errorsSchema = {
  type: "object",
  required: ["count"],
  properties: {
    count: { type: "integer", minimum: 0 },
    reason: { type: "string", maxLength: 1024 },
    diagnostics: { type: ["string", "null"], maxLength: 65_536 },
    list: {
      type: "array",
      maxItems: 10_000,
      items: {
        type: "object",
        required: ["path", "type"],
        properties: {
          index: { type: "integer", minimum: 0 },
          path: { type: "string", maxLength: 4096 },
          type: { type: "string", minLength: 1, maxLength: 128 },
          exception: {
            type: ["object", "null"],
            properties: { code: { type: "integer" }, description: { type: "string", maxLength: 4096 }, details: { type: "string", maxLength: 65_536 } },
          },
        },
      },
    },
  },
} as const;

const isErrors: ValueCheck = schemaCheck(errorsSchema);
const isIntList: ValueCheck = schemaCheck({ type: "array", maxItems: 100_000, items: { type: "integer", minimum: 0 } });
const isSnapshot: ValueCheck = (v) => (v === null || (Number.isSafeInteger(v) && (v as number) >= 0) ? undefined : "must be a non-negative integer or null");

const COUNTERS: Record<ActivityKind, string[]> = {
  backup: ["files_searched", "files_backed_up", "bytes_searched", "bytes_backed_up", "bytes_in_db", "bandwidth_avg_bps"],
  restore: ["files_restored", "bytes_restored"],
  cleanup: ["bytes_before", "bytes_after"],
};

/** JSON Patch rules per job kind (with the guide's misspellings as aliases). */
export function jobPatchRules(kind: ActivityKind): PatchRules {
  const paths: Record<string, ValueCheck> = {
    "/state": isOneOf(patchableStates(kind)),
    "/started_time": isTimestampOrNull,
    "/ended_time": isTimestampOrNull,
    "/errors": isErrors,
  };
  for (const c of COUNTERS[kind]) paths[`/${c}`] = isCount;
  if (kind === "backup") paths["/snapshot_id"] = isSnapshot;
  if (kind === "cleanup") paths["/snapshot_ids"] = isIntList;
  const aliases: Record<string, string> =
    kind === "restore"
      ? { "/started-time": "/started_time", "/ended-time": "/ended_time", "/files_restores": "/files_restored", "/bytes-restored": "/bytes_restored" }
      : { "/started-time": "/started_time", "/ended-time": "/ended_time" };
  return { ops: ["replace", "add"], paths, aliases };
}

/** Human descriptions of error types (the agent sends only the type). */
const DESCRIPTIONS: Record<string, string> = {
  file_or_folder_missing: "The file or folder could not be found.",
  phx_exception: "An error occurred while processing the file.",
  file_missing_blocks: "Some blocks of the file are missing from the vault.",
  error_deleting_object: "An object could not be deleted from the vault.",
  access_denied: "Access to the file or folder was denied.",
};

function errorReport(value: unknown): ErrorReport {
  const v = value as { count: number; reason?: string; diagnostics?: string | null; list?: { index?: number; path: string; type: string; exception?: ErrorReport["list"][number]["exception"] }[] };
  return {
    count: v.count,
    reason: v.reason ?? "",
    diagnostics: v.diagnostics ?? "",
    list: (v.list ?? []).map((e, i) => ({
      index: e.index ?? i,
      path: e.path,
      type: e.type,
      description: DESCRIPTIONS[e.type] ?? e.type.replace(/_/g, " "),
      exception: e.exception ?? null,
    })),
  };
}

/** Event name for entering `state` ([our choice]: `<kind>_<state>`; stop_requested → `<kind>_stop_request`). */
export const stateEventName = (kind: ActivityKind, state: JobState): string => (state === "stop_requested" ? `${kind}_stop_request` : `${kind}_${state}`);

/** The event announcing that `job` entered its current state. */
export function stateEvent(job: JobRecord): NewEvent {
  const doc: Record<string, unknown> = { agent: { id: job.agentId }, [job.kind]: { id: job.id } };
  if (job.configurationId !== null) doc.configuration = { id: job.configurationId };
  if (job.state === "stop_requested" || job.state === "start_requested") doc.request_id = newId();
  return { projectId: job.projectId, agentId: job.agentId, jobId: job.id, configurationId: job.configurationId, type: stateEventName(job.kind, job.state), doc };
}

/**
 * Applies validated changes to `job` (mutating it). Returns the event to emit for a state change.
 * @throws HttpError 409 (terminal job, bad transition) or 400 (state not of this kind).
 */
export function applyJobPatch(job: JobRecord, changes: readonly PatchChange[], now: number): NewEvent | undefined {
  if (isTerminal(job.state)) throw conflict(`The ${job.kind} is already in a terminal state (${job.state}) and cannot be modified.`);
  let stateChanged = false;
  for (const { path, value } of changes) {
    const field = path.slice(1);
    if (path === "/state") {
      const to = value as JobState;
      const check = checkTransition(job.kind, job.state, to);
      if (!check.ok) throw check.status === 409 ? conflict(check.message) : badRequest(check.message);
      stateChanged ||= to !== job.state;
      job.state = to;
    } else if (path === "/errors") {
      job.errors = errorReport(value);
    } else {
      job.doc[field] = value;
    }
  }
  job.updatedAt = now;
  return stateChanged ? stateEvent(job) : undefined;
}
