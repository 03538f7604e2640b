// What a project id may be. Project ids appear in every path (`/v2/{project_id}/…`), so they
// are restricted to URL-safe characters, and the collection names that follow `/v2/` in the
// X-Project-Id form (`/v2/agents/…`) are reserved: a project called `agents` would make
// `/v2/agents/…` ambiguous.

/** First path segments after `/v2/` that are collections, not project ids (never valid project ids). */
export const COLLECTIONS: ReadonlySet<string> = new Set(["health", "ping", "activities", "agents", "backups", "cleanups", "configurations", "events", "restores", "settings", "users"]);

/** Pattern of a project id: 1-64 of `A-Z a-z 0-9 _ . : -`. */
export const PROJECT_ID_PATTERN = "^[A-Za-z0-9_.:-]{1,64}$";

/** Why `id` cannot be a project id (undefined when it can). */
export function projectIdProblem(id: string): string | undefined {
  if (!new RegExp(PROJECT_ID_PATTERN).test(id)) return `a project id is 1-64 characters of A-Z, a-z, 0-9, "_", ".", ":" or "-", got ${JSON.stringify(id)}`;
  if (COLLECTIONS.has(id)) return `"${id}" is a collection name and cannot be a project id`;
  return undefined;
}

/** Message for `/v2/<collection>/…` sent without a project id in the path or X-Project-Id. */
export const MISSING_PROJECT = "The project id is missing: use /v2/{project_id}/… or send the X-Project-Id header.";
