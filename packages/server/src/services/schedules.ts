// Bridges stored configurations and the RRULE expander: next run times for `times` (agent
// view) and `backups.next.scheduled_time` (user view).
import { nextOccurrences, parseRecurrence, type Schedule } from "../schedule/rrule.js";
import type { ConfigurationRecord, ScheduleDoc } from "../store/model.js";

/** How many upcoming instants the agent view lists ([our choice]: 5). */
export const AGENT_VIEW_TIMES = 5;

/** The expander's view of a stored schedule (undefined for manual-only configurations). */
export function scheduleOf(schedule: ScheduleDoc | null): Schedule | undefined {
  if (schedule === null) return undefined;
  return { rule: parseRecurrence(schedule.recurrence[0] ?? ""), start: Date.parse(schedule.start), timeZone: schedule.time_zone };
}

/** Upcoming run instants (epoch ms) of a live, enabled, scheduled configuration; else []. */
export function upcomingRuns(configuration: ConfigurationRecord, now: number, count: number): number[] {
  if (configuration.deleted || !configuration.doc.enabled) return [];
  const schedule = scheduleOf(configuration.doc.schedule);
  return schedule === undefined ? [] : nextOccurrences(schedule, now, count);
}
