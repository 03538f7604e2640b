// Creating jobs: the record every kind starts from, and the matching of an agent's scheduled
// backup to the schedule occurrence it runs for.
import type { FastifyRequest } from "fastify";
import { badRequest, forbidden } from "../errors.js";
import { newId } from "../ids.js";
import { nextOccurrences } from "../schedule/rrule.js";
import type { ActivityKind, JobState } from "../state/machines.js";
import { emptyErrors } from "../store/jobStore.js";
import type { ConfigurationRecord, JobRecord } from "../store/model.js";
import { scheduleOf } from "./schedules.js";

/** A fresh job record (not yet stored). */
export function newJob(fields: {
  kind: ActivityKind;
  projectId: string;
  agentId: string;
  state: JobState;
  now: number;
  configurationId?: string | null;
  backupId?: string | null;
  vaultId?: string | null;
  scheduledFor?: number | null;
  doc?: Record<string, unknown>;
}): Omit<JobRecord, "seq"> {
  return {
    id: newId(),
    projectId: fields.projectId,
    kind: fields.kind,
    agentId: fields.agentId,
    configurationId: fields.configurationId ?? null,
    backupId: fields.backupId ?? null,
    vaultId: fields.vaultId ?? null,
    state: fields.state,
    scheduledFor: fields.scheduledFor ?? null,
    createdAt: fields.now,
    updatedAt: fields.now,
    doc: { started_time: null, ended_time: null, ...fields.doc },
    errors: emptyErrors(),
  };
}

/**
 * For `start_scheduled`: the agent must identify itself with `X-Agent-Id` (spec §1.2).
 * @throws HttpError 400 when the header is missing, 403 when it names another agent.
 */
export function requireAgentHeader(request: FastifyRequest, agentId: string): void {
  const h = request.headers["x-agent-id"];
  const value = Array.isArray(h) ? h[0] : h;
  if (value === undefined || value.length === 0) throw badRequest("X-Agent-Id header is required for state start_scheduled.");
  if (value !== agentId) throw forbidden("X-Agent-Id does not name the agent this work belongs to.");
}

/** The schedule occurrence within `graceMs` of `now` that a scheduled backup runs for (closest), or null. */
export function matchOccurrence(configuration: ConfigurationRecord, now: number, graceMs: number): number | null {
  const schedule = scheduleOf(configuration.doc.schedule);
  if (schedule === undefined) return null;
  const candidates = nextOccurrences(schedule, now - graceMs - 1, 4).filter((t) => Math.abs(t - now) <= graceMs);
  candidates.sort((a, b) => Math.abs(a - now) - Math.abs(b - now));
  return candidates[0] ?? null;
}
