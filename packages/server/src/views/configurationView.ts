// Wire form of configurations (spec §2.4): full, and the summary used by lists.
import { isoTime } from "../clock.js";
import type { Hrefs } from "../http/links.js";
import { upcomingRuns } from "../services/schedules.js";
import type { ConfigurationRecord, JobRecord } from "../store/model.js";

function backupsField(hrefs: Hrefs, c: ConfigurationRecord, lastCompleted: JobRecord | undefined, now: number): Record<string, unknown> {
  const next = upcomingRuns(c, now, 1)[0];
  return {
    last_completed: lastCompleted === undefined ? null : hrefs.ref(lastCompleted.id, "backups", lastCompleted.id),
    next: next === undefined ? null : { scheduled_time: isoTime(next) },
  };
}

/** The configuration summary (lists): no inclusions/exclusions/notifications/deleted. */
export function configurationSummaryView(hrefs: Hrefs, c: ConfigurationRecord, lastCompleted: JobRecord | undefined, now: number): Record<string, unknown> {
  return {
    project_id: c.projectId,
    id: c.id,
    agent: hrefs.ref(c.agentId, "agents", c.agentId),
    name: c.doc.name,
    enabled: c.doc.enabled,
    schedule: c.doc.schedule,
    retention: c.doc.retention,
    backups: backupsField(hrefs, c, lastCompleted, now),
    links: [hrefs.link("full", "configurations", c.id), hrefs.link("activities", "configurations", c.id, "activities"), hrefs.link("events", "configurations", c.id, "events")],
  };
}

/** The full configuration. */
export function configurationView(hrefs: Hrefs, c: ConfigurationRecord, lastCompleted: JobRecord | undefined, now: number): Record<string, unknown> {
  return {
    project_id: c.projectId,
    id: c.id,
    agent: hrefs.ref(c.agentId, "agents", c.agentId),
    name: c.doc.name,
    enabled: c.doc.enabled,
    schedule: c.doc.schedule,
    retention: c.doc.retention,
    inclusions: c.doc.inclusions,
    exclusions: c.doc.exclusions,
    notifications: c.doc.notifications,
    deleted: c.deleted,
    backups: backupsField(hrefs, c, lastCompleted, now),
    links: [hrefs.link("self", "configurations", c.id), hrefs.link("activities", "configurations", c.id, "activities"), hrefs.link("events", "configurations", c.id, "events")],
  };
}
