import { describe, expect, it } from "vitest";
import { RecurrenceError, nextOccurrences, occurrencesBetween, parseRecurrence, type Schedule } from "./rrule.js";
import { fromLocal, isValidTimeZone, offsetAt, toLocal } from "./zoned.js";

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (text: string): number => Date.parse(text);
const schedule = (rrule: string, start: string, timeZone: string): Schedule => ({ rule: parseRecurrence(rrule), start: at(start), timeZone });

describe("parseRecurrence", () => {
  it("parses the three documented forms", () => {
    expect(parseRecurrence("RRULE:FREQ=HOURLY;INTERVAL=2")).toEqual({ freq: "HOURLY", interval: 2, byDay: undefined, byHour: undefined, byMinute: undefined });
    expect(parseRecurrence("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=30").byHour).toEqual([3]);
    expect(parseRecurrence("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=FR,MO;BYHOUR=23;BYMINUTE=0").byDay).toEqual([0, 4]);
    expect(parseRecurrence("FREQ=DAILY").interval).toBe(1);
  });

  it.each([
    ["", "empty"],
    ["RRULE:", "empty"],
    ["RRULE:FREQ=MONTHLY", "FREQ must be"],
    ["RRULE:INTERVAL=2", "FREQ must be"],
    ["RRULE:FREQ=DAILY;INTERVAL=0", "INTERVAL"],
    ["RRULE:FREQ=DAILY;INTERVAL=x", "INTERVAL"],
    ["RRULE:FREQ=DAILY;BYHOUR=24", "BYHOUR"],
    ["RRULE:FREQ=DAILY;BYMINUTE=60", "BYMINUTE"],
    ["RRULE:FREQ=DAILY;BYDAY=MO", "only supported with FREQ=WEEKLY"],
    ["RRULE:FREQ=WEEKLY;BYDAY=XX", "BYDAY values"],
    ["RRULE:FREQ=HOURLY;BYHOUR=2", "BYHOUR is not supported"],
    ["RRULE:FREQ=DAILY;COUNT=3", "COUNT is not supported"],
    ["RRULE:FREQ=DAILY;FREQ=DAILY", "twice"],
    ["RRULE:FREQ", "malformed"],
  ])("rejects %j", (text, message) => {
    expect(() => parseRecurrence(text)).toThrow(RecurrenceError);
    expect(() => parseRecurrence(text)).toThrow(message);
  });
});

describe("zoned time", () => {
  it("knows valid and invalid zones", () => {
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("US/Central")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("converts local to UTC around New York's 2026 transitions", () => {
    expect(offsetAt(at("2026-01-15T12:00:00Z"), "America/New_York")).toBe(-5 * 3_600_000);
    expect(offsetAt(at("2026-07-15T12:00:00Z"), "America/New_York")).toBe(-4 * 3_600_000);
    // 2026-03-08 02:30 does not exist: runs at 03:30 EDT (07:30Z).
    expect(iso(fromLocal({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, "America/New_York"))).toBe("2026-03-08T07:30:00.000Z");
    // 2026-11-01 01:30 happens twice: the first (EDT, 05:30Z) is used.
    expect(iso(fromLocal({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
    expect(toLocal(at("2026-11-01T06:30:00Z"), "America/New_York")).toMatchObject({ hour: 1, minute: 30 });
  });
});

describe("nextOccurrences", () => {
  it("hourly every 2 hours from the anchor, in elapsed time across a DST change", () => {
    const s = schedule("RRULE:FREQ=HOURLY;INTERVAL=2", "2026-03-08T04:00:00Z", "America/New_York");
    expect(nextOccurrences(s, at("2026-03-08T04:00:00Z"), 3).map(iso)).toEqual([
      "2026-03-08T06:00:00.000Z",
      "2026-03-08T08:00:00.000Z",
      "2026-03-08T10:00:00.000Z",
    ]);
  });

  it("hourly never yields before the anchor and includes it", () => {
    const s = schedule("RRULE:FREQ=HOURLY;INTERVAL=1", "2026-05-01T10:17:00Z", "UTC");
    expect(nextOccurrences(s, at("2020-01-01T00:00:00Z"), 2).map(iso)).toEqual(["2026-05-01T10:17:00.000Z", "2026-05-01T11:17:00.000Z"]);
  });

  it("daily at 02:30 New York across spring-forward", () => {
    const s = schedule("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=2;BYMINUTE=30", "2026-03-01T00:00:00Z", "America/New_York");
    expect(nextOccurrences(s, at("2026-03-06T12:00:00Z"), 4).map(iso)).toEqual([
      "2026-03-07T07:30:00.000Z", // EST (-5)
      "2026-03-08T07:30:00.000Z", // 02:30 does not exist: 03:30 EDT
      "2026-03-09T06:30:00.000Z", // EDT (-4)
      "2026-03-10T06:30:00.000Z",
    ]);
  });

  it("daily at 01:30 New York across fall-back runs once", () => {
    const s = schedule("RRULE:FREQ=DAILY;INTERVAL=1;BYHOUR=1;BYMINUTE=30", "2026-10-01T00:00:00Z", "America/New_York");
    expect(nextOccurrences(s, at("2026-10-31T00:00:00Z"), 3).map(iso)).toEqual([
      "2026-10-31T05:30:00.000Z",
      "2026-11-01T05:30:00.000Z", // first of the two 01:30s
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("daily in London across both 2026 transitions keeps 09:00 local", () => {
    const s = schedule("RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "2026-03-01T00:00:00Z", "Europe/London");
    expect(nextOccurrences(s, at("2026-03-28T00:00:00Z"), 2).map(iso)).toEqual(["2026-03-28T09:00:00.000Z", "2026-03-29T08:00:00.000Z"]);
    expect(nextOccurrences(s, at("2026-10-24T12:00:00Z"), 2).map(iso)).toEqual(["2026-10-25T09:00:00.000Z", "2026-10-26T09:00:00.000Z"]);
  });

  it("London 01:30 on the spring-forward day is shifted to 02:30 BST", () => {
    const s = schedule("RRULE:FREQ=DAILY;BYHOUR=1;BYMINUTE=30", "2026-03-01T00:00:00Z", "Europe/London");
    expect(nextOccurrences(s, at("2026-03-28T12:00:00Z"), 1).map(iso)).toEqual(["2026-03-29T01:30:00.000Z"]);
  });

  it("daily with INTERVAL counts days from the anchor date", () => {
    const s = schedule("RRULE:FREQ=DAILY;INTERVAL=3;BYHOUR=12;BYMINUTE=0", "2026-06-01T00:00:00Z", "UTC");
    expect(nextOccurrences(s, at("2026-06-01T00:00:00Z"), 3).map(iso)).toEqual([
      "2026-06-01T12:00:00.000Z",
      "2026-06-04T12:00:00.000Z",
      "2026-06-07T12:00:00.000Z",
    ]);
  });

  it("weekly on several days every other week", () => {
    // 2026-06-01 is a Monday.
    const s = schedule("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;BYHOUR=23;BYMINUTE=15", "2026-06-01T00:00:00Z", "UTC");
    expect(nextOccurrences(s, at("2026-06-01T00:00:00Z"), 4).map(iso)).toEqual([
      "2026-06-01T23:15:00.000Z",
      "2026-06-05T23:15:00.000Z",
      "2026-06-15T23:15:00.000Z",
      "2026-06-19T23:15:00.000Z",
    ]);
  });

  it("weekly in Chicago keeps local time across fall-back", () => {
    const s = schedule("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=4;BYMINUTE=0", "2026-10-01T00:00:00Z", "US/Central");
    expect(nextOccurrences(s, at("2026-10-24T00:00:00Z"), 2).map(iso)).toEqual(["2026-10-25T09:00:00.000Z", "2026-11-01T10:00:00.000Z"]);
  });

  it("defaults BYHOUR/BYMINUTE/BYDAY to the anchor's local fields", () => {
    // Anchor: Wednesday 2026-06-03 14:45 in Tokyo (05:45Z).
    const s = schedule("RRULE:FREQ=WEEKLY", "2026-06-03T05:45:00Z", "Asia/Tokyo");
    expect(nextOccurrences(s, at("2026-06-03T06:00:00Z"), 1).map(iso)).toEqual(["2026-06-10T05:45:00.000Z"]);
  });

  it("occurrencesBetween is inclusive of the end", () => {
    const s = schedule("RRULE:FREQ=HOURLY", "2026-01-01T00:00:00Z", "UTC");
    expect(occurrencesBetween(s, at("2026-01-01T00:30:00Z"), at("2026-01-01T03:00:00Z")).map(iso)).toEqual([
      "2026-01-01T01:00:00.000Z",
      "2026-01-01T02:00:00.000Z",
      "2026-01-01T03:00:00.000Z",
    ]);
  });
});
