// Retention policy: which snapshots `forget` keeps. Pure: snapshots and a policy in, a decision
// with reasons out (changesets' "assemble" pattern); `forget.ts` applies it.
//
// Semantics follow restic's `forget`: snapshots are grouped (by host and paths unless told
// otherwise) and each group is decided on its own; a snapshot is kept if *any* rule keeps it.
//  - last n:                the n newest;
//  - hourly/daily/weekly/monthly/yearly n: walking from newest to oldest, the newest snapshot of
//    each of the n most recent hours/days/ISO weeks/months/years that have snapshots;
//  - within ms:             snapshots no older than the group's newest minus `within`;
//  - retentionDays d:       Cloud Backup's `retention.days`: snapshots no older than `now` − d
//    days; 0 means keep forever (everything);
//  - tags:                  snapshots carrying any of these tags.
// Calendar buckets are computed in `timeZone` (an IANA name, default "UTC").
// `Infinity` is accepted for counts ("keep all hourly", etc.).
import type { Snapshot, SnapshotId } from "@cairn/manifest";

export interface RetentionPolicy {
  readonly last?: number;
  readonly hourly?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
  readonly yearly?: number;
  /** Keep snapshots within this many milliseconds of the group's newest. */
  readonly within?: number;
  /** Keep snapshots younger than this many days (relative to `now`); 0 = keep forever. */
  readonly retentionDays?: number;
  /** Keep snapshots carrying any of these tags. */
  readonly tags?: readonly string[];
}

export interface PolicyOptions {
  /** Group by these fields (default host and paths). */
  readonly groupBy?: readonly ("host" | "paths" | "tags")[];
  /** IANA time zone for calendar buckets (default "UTC"). */
  readonly timeZone?: string;
  /** "Now" for `retentionDays` (default Date.now()). */
  readonly nowMs?: number;
}

export interface SnapshotDecision {
  readonly id: SnapshotId;
  readonly timeMs: number;
  /** Why it is kept ("daily 2024-02-29", "last 1", …); empty when it is removed. */
  readonly reasons: readonly string[];
}

export interface GroupDecision {
  /** The group's key, e.g. `host=web1 paths=/etc,/srv`. */
  readonly key: string;
  readonly keep: readonly SnapshotDecision[];
  readonly remove: readonly SnapshotDecision[];
}

const BUCKETS = ["hourly", "daily", "weekly", "monthly", "yearly"] as const;

function validate(policy: RetentionPolicy): void {
  const counts = ["last", ...BUCKETS] as const;
  for (const k of counts) {
    const v = policy[k];
    if (v !== undefined && !(v === Infinity || (Number.isInteger(v) && v >= 0))) throw new RangeError(`${k}: expected a non-negative integer or Infinity, got ${v}`);
  }
  if (policy.within !== undefined && !(policy.within >= 0)) throw new RangeError(`within: expected a non-negative number of ms, got ${policy.within}`);
  if (policy.retentionDays !== undefined && !(Number.isInteger(policy.retentionDays) && policy.retentionDays >= 0)) throw new RangeError(`retentionDays: expected a non-negative integer, got ${policy.retentionDays}`);
  const any = counts.some((k) => (policy[k] ?? 0) > 0) || (policy.within ?? 0) > 0 || policy.retentionDays !== undefined || (policy.tags?.length ?? 0) > 0;
  if (!any) throw new RangeError("retention policy keeps nothing: refusing to remove every snapshot (give at least one rule)");
}

/** Calendar fields of `ms` in `timeZone`. */
function calendar(ms: number, format: Intl.DateTimeFormat): { y: number; m: number; d: number; h: number } {
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour) % 24 };
}

/** ISO 8601 week-numbering year and week of a calendar date. */
function isoWeek(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7) + 3); // the Thursday of its week decides the year
  const year = date.getUTCFullYear();
  const week = Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

function bucketOf(kind: (typeof BUCKETS)[number], c: { y: number; m: number; d: number; h: number }): string {
  const p = (n: number) => String(n).padStart(2, "0");
  switch (kind) {
    case "hourly":
      return `${c.y}-${p(c.m)}-${p(c.d)}T${p(c.h)}`;
    case "daily":
      return `${c.y}-${p(c.m)}-${p(c.d)}`;
    case "weekly":
      return isoWeek(c.y, c.m, c.d);
    case "monthly":
      return `${c.y}-${p(c.m)}`;
    case "yearly":
      return `${c.y}`;
  }
}

function groupKey(s: Snapshot, by: readonly ("host" | "paths" | "tags")[]): string {
  const dec = new TextDecoder();
  return by
    .map((f) => (f === "host" ? `host=${s.host}` : f === "paths" ? `paths=${s.paths.map((p) => dec.decode(p)).join(",")}` : `tags=${s.tags.join(",")}`))
    .join(" ");
}

/**
 * Decides, per group, which snapshots the policy keeps and which it removes.
 * @throws {RangeError} for a malformed policy, or one without any rule (it would remove everything).
 */
export function applyRetentionPolicy(snapshots: readonly { id: SnapshotId; snapshot: Snapshot }[], policy: RetentionPolicy, options: PolicyOptions = {}): GroupDecision[] {
  validate(policy);
  const format = new Intl.DateTimeFormat("en-US", { timeZone: options.timeZone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" });
  const now = options.nowMs ?? Date.now();
  const groups = new Map<string, { id: SnapshotId; snapshot: Snapshot; timeMs: number }[]>();
  for (const s of snapshots) {
    const key = groupKey(s.snapshot, options.groupBy ?? ["host", "paths"]);
    const list = groups.get(key) ?? [];
    list.push({ ...s, timeMs: Number(s.snapshot.timeNs / 1_000_000n) });
    groups.set(key, list);
  }
  const out: GroupDecision[] = [];
  for (const [key, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => b.timeMs - a.timeMs || (a.id < b.id ? -1 : 1)); // newest first
    const reasons = list.map(() => [] as string[]);
    list.forEach((s, i) => {
      if (i < (policy.last ?? 0)) reasons[i]!.push(`last ${i + 1}`);
      if (policy.within !== undefined && policy.within > 0 && s.timeMs >= list[0]!.timeMs - policy.within) reasons[i]!.push("within");
      if (policy.retentionDays !== undefined && (policy.retentionDays === 0 || s.timeMs >= now - policy.retentionDays * 86_400_000)) reasons[i]!.push(policy.retentionDays === 0 ? "retention forever" : `retention ${policy.retentionDays} days`);
      if (policy.tags?.some((t) => s.snapshot.tags.includes(t))) reasons[i]!.push("tag");
    });
    const cals = list.map((s) => calendar(s.timeMs, format));
    for (const kind of BUCKETS) {
      const limit = policy[kind] ?? 0;
      let kept = 0;
      let last: string | undefined;
      list.forEach((_, i) => {
        const b = bucketOf(kind, cals[i]!);
        if (kept < limit && b !== last) {
          reasons[i]!.push(`${kind} ${b}`);
          kept++;
        }
        last = b;
      });
    }
    const decided = list.map((s, i) => ({ id: s.id, timeMs: s.timeMs, reasons: reasons[i]! }));
    out.push({ key, keep: decided.filter((d) => d.reasons.length > 0), remove: decided.filter((d) => d.reasons.length === 0) });
  }
  return out;
}
