// Pagination (spec §1.5): `marker` (id of the last item you have), `limit` (default 100, at
// most 1000), `sort_dir`. Sorting applies to the whole result before limiting. Links:
// next → `?marker=<last id>`, previous → `?marker=<first id>&sort_dir=<opposite>`; other query
// parameters (filters, a non-default limit) are carried over.
import type { Link } from "./links.js";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** JSON-schema properties of the paging query parameters. */
export const pagingQueryProperties = {
  marker: { type: "string", minLength: 1, maxLength: 64, description: "Id of the last item already seen" },
  limit: { type: "integer", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: "Page size (at most 1000)" },
  sort_dir: { type: "string", enum: ["asc", "desc"], description: "Sort direction of the whole result" },
} as const;

/** Parsed paging parameters. */
export interface Paging {
  marker: string | undefined;
  limit: number;
  dir: "asc" | "desc";
}

/** Reads paging parameters from a validated query. */
export function paging(query: Record<string, unknown>, defaultDir: "asc" | "desc"): Paging {
  return {
    marker: typeof query.marker === "string" ? query.marker : undefined,
    limit: typeof query.limit === "number" ? query.limit : DEFAULT_LIMIT,
    dir: query.sort_dir === "asc" || query.sort_dir === "desc" ? query.sort_dir : defaultDir,
  };
}

function withQuery(base: string, query: Record<string, unknown>, overrides: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === "marker" || k === "sort_dir" || k === "wait" || v === undefined) continue;
    if (k === "limit" && v === DEFAULT_LIMIT) continue;
    params.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) params.set(k, v);
  const text = params.toString();
  return text.length === 0 ? base : `${base}?${text}`;
}

/** Links for one page of `ids`. `hasMore`: another page follows in this direction. */
export function pageLinks(
  base: string,
  query: Record<string, unknown>,
  page: Paging,
  defaultDir: "asc" | "desc",
  ids: readonly string[],
  hasMore: boolean,
  tail = false,
): Link[] {
  const links: Link[] = [];
  const first = ids[0];
  const last = ids[ids.length - 1];
  const sameDir = page.dir === defaultDir ? undefined : page.dir;
  const opposite = page.dir === "asc" ? "desc" : "asc";
  if (last !== undefined && (hasMore || tail)) links.push({ href: withQuery(base, query, { marker: last, sort_dir: sameDir }), rel: "next" });
  else if (tail && page.marker !== undefined) links.push({ href: withQuery(base, query, { marker: page.marker, sort_dir: sameDir }), rel: "next" });
  if (first !== undefined && page.marker !== undefined) links.push({ href: withQuery(base, query, { marker: first, sort_dir: opposite }), rel: "previous" });
  return links;
}
