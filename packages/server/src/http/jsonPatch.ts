// JSON Patch (RFC 6902) as the v2 API uses it (spec §1.7): each resource accepts a few `op`s
// (`replace`, and for jobs/agents also `add`, treated the same) on a fixed set of paths, each
// with a value check. Anything else is a 400 listing every problem; the patch is all-or-nothing.
import { badRequest } from "../errors.js";

/** Body schema of every PATCH route. */
export const PATCH_BODY_SCHEMA = {
  type: "array",
  minItems: 1,
  maxItems: 100,
  items: {
    type: "object",
    required: ["op", "path"],
    properties: { op: { type: "string", maxLength: 16 }, path: { type: "string", maxLength: 256 }, value: {} },
  },
} as const;

/** Checks a value; returns a problem description, or undefined when the value is fine. */
export type ValueCheck = (value: unknown) => string | undefined;

/** One accepted operation, normalised to its canonical path. */
export interface PatchChange {
  path: string;
  value: unknown;
}

/** Rules for one resource's PATCH. */
export interface PatchRules {
  ops: readonly string[];
  /** Canonical path → value check. */
  paths: Readonly<Record<string, ValueCheck>>;
  /** Alternative spellings → canonical path (e.g. `/log-level` → `/log_level`). */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * Validates a JSON Patch document against `rules`.
 * @throws HttpError 400 with one line per problem.
 */
export function readPatch(body: unknown, rules: PatchRules): PatchChange[] {
  const ops = body as { op: string; path: string; value?: unknown }[];
  const problems: string[] = [];
  const changes: PatchChange[] = [];
  ops.forEach((o, i) => {
    if (!rules.ops.includes(o.op)) {
      problems.push(`[${i}].op "${o.op}" is not supported here; use ${rules.ops.join(" or ")}`);
      return;
    }
    const path = rules.aliases?.[o.path] ?? o.path;
    const check = rules.paths[path];
    if (check === undefined) {
      problems.push(`[${i}].path "${o.path}" cannot be patched; allowed: ${Object.keys(rules.paths).join(", ")}`);
      return;
    }
    if (!("value" in o)) {
      problems.push(`[${i}].value is required`);
      return;
    }
    const problem = check(o.value);
    if (problem !== undefined) problems.push(`[${i}] ${path}: ${problem}`);
    else changes.push({ path, value: o.value });
  });
  if (problems.length > 0) throw badRequest(`Invalid patch: ${problems[0]}`, problems);
  return changes;
}

/** A boolean. */
export const isBoolean: ValueCheck = (v) => (typeof v === "boolean" ? undefined : "must be a boolean");

/** One of `values`. */
export const isOneOf =
  (values: readonly string[]): ValueCheck =>
  (v) =>
    typeof v === "string" && values.includes(v) ? undefined : `must be one of: ${values.join(", ")}`;

/** A non-negative integer (≤ 2^53). */
export const isCount: ValueCheck = (v) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? undefined : "must be a non-negative integer");

/** A string of 1..max characters. */
export const isText =
  (max: number): ValueCheck =>
  (v) =>
    typeof v === "string" && v.length > 0 && v.length <= max ? undefined : `must be a non-empty string of at most ${max} characters`;

/** An ISO-8601 timestamp (or null). */
export const isTimestampOrNull: ValueCheck = (v) =>
  v === null || (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)))
    ? undefined
    : "must be an ISO-8601 timestamp or null";
