// Validation of configuration fields beyond JSON schema: RRULE and time zone, path rules,
// notifications, and the 1 MB cap on an agent's configuration document (spec §2.4).
import { isoTime } from "../clock.js";
import { badRequest } from "../errors.js";
import { parseRecurrence, RecurrenceError } from "../schedule/rrule.js";
import { isValidTimeZone } from "../schedule/zoned.js";
import type { ConfigurationDoc, Notification, ScheduleDoc } from "../store/model.js";
import { checkPathRules } from "./pathRules.js";

/** Maximum size of one agent's configuration document (spec §2.4). */
export const AGENT_CONFIGURATION_LIMIT = 1024 * 1024;

/** JSON schema of `schedule` (null = manual only). */
export const scheduleSchema = {
  type: ["object", "null"],
  required: ["recurrence", "time_zone"],
  properties: {
    recurrence: { type: "array", minItems: 1, maxItems: 1, items: { type: "string", minLength: 1, maxLength: 256 } },
    time_zone: { type: "string", minLength: 1, maxLength: 64 },
  },
} as const;

/** JSON schema of `notifications`. */
export const notificationsSchema = {
  type: "array",
  maxItems: 100,
  items: {
    type: "object",
    required: ["type", "destination", "on_success", "on_failure"],
    properties: {
      type: { type: "string", enum: ["email"] },
      destination: { type: "string", minLength: 3, maxLength: 320, pattern: "^[^@\\s]+@[^@\\s]+$" },
      on_success: { type: "boolean" },
      on_failure: { type: "boolean" },
    },
  },
} as const;

/** Problems with a schedule's RRULE / time zone (empty when valid). */
export function scheduleProblems(schedule: { recurrence: string[]; time_zone: string } | null): string[] {
  if (schedule === null) return [];
  const problems: string[] = [];
  try {
    parseRecurrence(schedule.recurrence[0] ?? "");
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error;
    problems.push(`schedule.recurrence: ${error.message}`);
  }
  if (!isValidTimeZone(schedule.time_zone)) problems.push(`schedule.time_zone: "${schedule.time_zone}" is not a known IANA time zone`);
  return problems;
}

/** Problems with notifications (at least one must fire on failure). */
export function notificationProblems(notifications: readonly Notification[]): string[] {
  return notifications.some((n) => n.on_failure) ? [] : ["notifications: at least one notification must have on_failure: true"];
}

/** A stored schedule anchored at `now`. */
export function anchoredSchedule(input: { recurrence: string[]; time_zone: string } | null, now: number): ScheduleDoc | null {
  return input === null ? null : { start: isoTime(now), recurrence: [...input.recurrence], time_zone: input.time_zone };
}

/**
 * Checks a whole configuration doc (and the agent document size).
 * @throws HttpError 400 listing every problem.
 */
export function assertValidConfiguration(doc: ConfigurationDoc, otherDocsOfAgent: readonly ConfigurationDoc[]): void {
  const problems = [
    ...scheduleProblems(doc.schedule),
    ...checkPathRules(doc.inclusions, doc.exclusions),
    ...notificationProblems(doc.notifications),
  ];
  const size = [doc, ...otherDocsOfAgent].reduce((n, d) => n + JSON.stringify(d).length, 0);
  if (size > AGENT_CONFIGURATION_LIMIT) problems.push(`the agent's configuration document would exceed ${AGENT_CONFIGURATION_LIMIT} bytes`);
  if (problems.length > 0) throw badRequest(`Validation failed: ${problems[0]}`, problems);
}
