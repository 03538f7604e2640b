// Paginated listings of jobs (backups, restores, cleanups, activities) and of event feeds.
import type { AppContext } from "../context.js";
import { badRequest } from "../errors.js";
import { eventView } from "../events/eventBus.js";
import type { Link } from "../http/links.js";
import { pageLinks, paging, type Paging } from "../http/pagination.js";
import type { EventQuery } from "../store/eventStore.js";
import type { JobQuery } from "../store/jobStore.js";
import type { EventRecord, JobRecord, JobSummary } from "../store/model.js";

/** One page of jobs (or job summaries) and its links. */
export interface JobPage<T = JobRecord> {
  items: T[];
  links: Link[];
}

type JobFilter = Omit<JobQuery, "afterSeq" | "limit" | "dir">;

async function pageOf<T extends { id: string }>(
  ctx: AppContext,
  fetch: (q: JobQuery) => Promise<T[]>,
  filter: JobFilter,
  query: Record<string, unknown>,
  base: string,
  defaultDir: "asc" | "desc",
): Promise<JobPage<T>> {
  const page = paging(query, defaultDir);
  let afterSeq: number | undefined;
  if (page.marker !== undefined) {
    afterSeq = await ctx.stores.jobs.seqOf(filter.projectId, page.marker);
    if (afterSeq === undefined) throw badRequest(`Unknown marker "${page.marker}": it is not the id of an item of this list.`);
  }
  const rows = await fetch({ ...filter, limit: page.limit, dir: page.dir, ...(afterSeq === undefined ? {} : { afterSeq }) });
  const items = rows.slice(0, page.limit);
  return { items, links: pageLinks(base, query, page, defaultDir, items.map((j) => j.id), rows.length > page.limit) };
}

/**
 * Lists jobs matching `filter` one page at a time.
 * @throws HttpError 400 when the marker is not an item of this project.
 */
export function pageJobs(ctx: AppContext, filter: JobFilter, query: Record<string, unknown>, base: string, defaultDir: "asc" | "desc" = "desc"): Promise<JobPage> {
  return pageOf(ctx, (q) => ctx.stores.jobs.page(q), filter, query, base, defaultDir);
}

/**
 * Lists activities (job summaries, no documents) one page at a time.
 * @throws HttpError 400 when the marker is not an item of this project.
 */
export function pageActivities(ctx: AppContext, filter: JobFilter, query: Record<string, unknown>, base: string): Promise<JobPage<JobSummary>> {
  return pageOf(ctx, (q) => ctx.stores.jobs.summaryPage(q), filter, query, base, "desc");
}

/** Reads an event marker (a decimal event id). @throws HttpError 400 otherwise. */
export function eventMarker(page: Paging): number | undefined {
  if (page.marker === undefined) return undefined;
  if (!/^\d{1,15}$/.test(page.marker)) throw badRequest(`marker must be an event id (decimal digits), got "${page.marker}".`);
  return Number(page.marker);
}

/** One page of an event feed. */
export interface EventPage {
  events: Record<string, unknown>[];
  links: Link[];
  records: EventRecord[];
}

/** Lists a feed. Event feeds always link `next` (tail-polling) once a marker is known. */
export async function pageEvents(
  ctx: AppContext,
  filter: Omit<EventQuery, "marker" | "limit" | "dir">,
  query: Record<string, unknown>,
  base: string,
  defaultDir: "asc" | "desc",
): Promise<EventPage> {
  const page = paging(query, defaultDir);
  const marker = eventMarker(page);
  const rows = await ctx.stores.events.page({ ...filter, limit: page.limit, dir: page.dir, ...(marker === undefined ? {} : { marker }) });
  const records = rows.slice(0, page.limit);
  return {
    records,
    events: records.map(eventView),
    links: pageLinks(base, query, page, defaultDir, records.map((e) => String(e.id)), rows.length > page.limit, page.dir === "asc"),
  };
}
