// Retention policies against known calendars, table-driven: each row is a policy and the days
// (or times) whose snapshots it must keep.
import { parseSnapshotId, type Snapshot } from "@cairn/manifest";
import { describe, expect, it } from "vitest";
import { applyRetentionPolicy, type RetentionPolicy } from "./policy.js";
import { snapshotOf } from "../../test/helpers.js";

const TREE = "11".repeat(32) as never;

function snaps(times: string[], host = "h", tags: string[] = []) {
  return times.map((t, i) => {
    const ms = Date.parse(t);
    const snapshot: Snapshot = snapshotOf(TREE, BigInt(ms) * 1_000_000n, host, ["/data"], tags);
    return { id: parseSnapshotId((i + 1).toString(16).padStart(8, "0") + host.charCodeAt(0).toString(16).padStart(56, "0")), snapshot, t };
  });
}

/** Every day of 2024-01-01 … 2024-02-29 at 12:00 UTC. */
const DAILY = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i, 12)).toISOString());
const day = (d: string) => `2024-${d}T12:00:00.000Z`;

const TABLE: { name: string; policy: RetentionPolicy; keep: string[]; now?: string }[] = [
  { name: "last 3", policy: { last: 3 }, keep: [day("02-27"), day("02-28"), day("02-29")] },
  { name: "daily 7", policy: { daily: 7 }, keep: ["23", "24", "25", "26", "27", "28", "29"].map((d) => day(`02-${d}`)) },
  // ISO weeks: 2024-W09 = Feb 26 – Mar 3, W08 = Feb 19–25, W07 = Feb 12–18.
  { name: "weekly 3", policy: { weekly: 3 }, keep: [day("02-18"), day("02-25"), day("02-29")] },
  { name: "monthly 2", policy: { monthly: 2 }, keep: [day("01-31"), day("02-29")] },
  { name: "yearly 5 (one year of data)", policy: { yearly: 5 }, keep: [day("02-29")] },
  { name: "hourly 2 (one snapshot an hour apart per day)", policy: { hourly: 2 }, keep: [day("02-28"), day("02-29")] },
  { name: "within 3 days of the newest", policy: { within: 3 * 86_400_000 }, keep: ["26", "27", "28", "29"].map((d) => day(`02-${d}`)) },
  { name: "retention.days 10", policy: { retentionDays: 10 }, now: "2024-03-01T00:00:00.000Z", keep: ["20", "21", "22", "23", "24", "25", "26", "27", "28", "29"].map((d) => day(`02-${d}`)) },
  { name: "retention.days 0 keeps forever", policy: { retentionDays: 0 }, keep: DAILY },
  { name: "daily 2 + weekly 2 is a union", policy: { daily: 2, weekly: 2 }, keep: [day("02-25"), day("02-28"), day("02-29")] },
  { name: "monthly Infinity", policy: { monthly: Infinity }, keep: [day("01-31"), day("02-29")] },
];

describe("retention policy", () => {
  for (const row of TABLE) {
    it(row.name, () => {
      const list = snaps(DAILY);
      const [group] = applyRetentionPolicy(list, row.policy, { nowMs: row.now ? Date.parse(row.now) : undefined });
      const kept = group!.keep.map((d) => new Date(d.timeMs).toISOString()).sort();
      expect(kept).toEqual([...row.keep].sort());
      expect(group!.keep.length + group!.remove.length).toBe(60);
    });
  }

  it("weekly and yearly buckets across a year boundary (ISO week 2024-W01 starts Monday 2024-01-01)", () => {
    const list = snaps(["2023-12-30T12:00:00Z", "2023-12-31T12:00:00Z", "2024-01-01T12:00:00Z"]);
    const kept = (p: RetentionPolicy) => applyRetentionPolicy(list, p)[0]!.keep.map((d) => new Date(d.timeMs).toISOString().slice(0, 10)).sort();
    expect(kept({ weekly: 2 })).toEqual(["2023-12-31", "2024-01-01"]);
    expect(kept({ weekly: 1 })).toEqual(["2024-01-01"]);
    expect(kept({ yearly: 2 })).toEqual(["2023-12-31", "2024-01-01"]);
    // 2020-12-31 (Thursday) is in 2020-W53; 2021-01-03 (Sunday) too; 2021-01-04 starts 2021-W01.
    const w53 = snaps(["2020-12-31T12:00:00Z", "2021-01-03T12:00:00Z", "2021-01-04T12:00:00Z"]);
    const reasons = applyRetentionPolicy(w53, { weekly: 5 })[0]!.keep.flatMap((d) => d.reasons);
    expect(reasons.sort()).toEqual(["weekly 2020-W53", "weekly 2021-W01"]);
  });

  it("buckets follow the time zone", () => {
    const list = snaps(["2024-01-01T23:30:00Z", "2024-01-02T00:30:00Z"]);
    expect(applyRetentionPolicy(list, { daily: 2 })[0]!.keep.length).toBe(2); // two UTC days
    expect(applyRetentionPolicy(list, { daily: 2 }, { timeZone: "America/New_York" })[0]!.keep.length).toBe(1); // one New York day
  });

  it("groups by host and paths; tags keep", () => {
    const list = [...snaps(["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"], "a"), ...snaps(["2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z"], "b", ["keep-me"])];
    const groups = applyRetentionPolicy(list, { last: 1 });
    expect(groups.map((g) => [g.key, g.keep.length, g.remove.length])).toEqual([
      ["host=a paths=/data", 1, 1],
      ["host=b paths=/data", 1, 1],
    ]);
    const tagged = applyRetentionPolicy(list, { last: 1, tags: ["keep-me"] });
    expect(tagged[1]!.keep.length).toBe(2);
  });

  it("refuses a policy that keeps nothing", () => {
    expect(() => applyRetentionPolicy(snaps(DAILY), {})).toThrow(RangeError);
    expect(() => applyRetentionPolicy(snaps(DAILY), { last: 0 })).toThrow(RangeError);
    expect(() => applyRetentionPolicy(snaps(DAILY), { daily: -1 })).toThrow(RangeError);
  });
});
