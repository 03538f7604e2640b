// JSON Patch (RFC 6902) helpers for the v2 API's PATCH routes (spec §1.7).

/** One operation. The API uses `replace` (and `add`, treated alike, for agents and jobs). */
export interface PatchOperation {
  op: "replace" | "add";
  path: string;
  value: unknown;
}

/** `{op: "replace", path, value}`. */
export const replace = (path: string, value: unknown): PatchOperation => ({ op: "replace", path, value });

/** `{op: "add", path, value}`. */
export const add = (path: string, value: unknown): PatchOperation => ({ op: "add", path, value });

/** Turns `{name: "x", "retention/days": 7}` into replace operations on `/name`, `/retention/days`. */
export function replaceAll(fields: Record<string, unknown>): PatchOperation[] {
  return Object.entries(fields).map(([k, v]) => replace(k.startsWith("/") ? k : `/${k}`, v));
}

/** A job's final report as the agent sends it (spec §3.5): the state plus `add`s of each field. */
export function jobReport(state: string, fields: Record<string, unknown> = {}): PatchOperation[] {
  return [replace("/state", state), ...Object.entries(fields).map(([k, v]) => add(k.startsWith("/") ? k : `/${k}`, v))];
}
