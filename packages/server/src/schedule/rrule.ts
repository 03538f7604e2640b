// The subset of iCalendar RRULE the Cloud Backup v2 API uses (spec §2.4), parsed strictly and
// expanded into concrete UTC instants in an IANA time zone.
//
//   RRULE:FREQ=HOURLY;INTERVAL=n[;BYMINUTE=m]
//   RRULE:FREQ=DAILY;INTERVAL=n;BYHOUR=h[,h…];BYMINUTE=m[,m…]
//   RRULE:FREQ=WEEKLY;INTERVAL=n;BYDAY=MO[,TU…];BYHOUR=h;BYMINUTE=m
//
// Semantics ([our choice], docs/api.md):
// - HOURLY counts elapsed hours from the anchor (`schedule.start`), so "every 2 hours" stays
//   2 real hours apart across DST changes; BYMINUTE, if given, moves each run to that minute
//   of its local hour.
// - DAILY/WEEKLY are wall-clock rules: BYHOUR/BYMINUTE are local times in the zone; missing
//   BYHOUR/BYMINUTE/BYDAY default to the anchor's local hour/minute/weekday (RFC 5545).
//   INTERVAL counts days (or Monday-started weeks) from the anchor's local date.
// - A local time inside a spring-forward gap runs at the shifted instant (02:30 -> 03:30);
//   an ambiguous fall-back time runs once, at its first occurrence.
// - Occurrences before the anchor are never produced.
import { civilDate, epochDay, fromLocal, toLocal, weekdayOf } from "./zoned.js";

/** A parsed rule. */
export interface RecurrenceRule {
  freq: "HOURLY" | "DAILY" | "WEEKLY";
  interval: number;
  byDay: number[] | undefined; // 0 = MO … 6 = SU
  byHour: number[] | undefined;
  byMinute: number[] | undefined;
}

/** Thrown for an RRULE outside the supported grammar; `message` says what is wrong. */
export class RecurrenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecurrenceError";
  }
}

const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

function parseList(name: string, value: string, min: number, max: number): number[] {
  const items = value.split(",").map((v) => {
    if (!/^\d{1,2}$/.test(v)) throw new RecurrenceError(`${name} must be a comma-separated list of integers ${min}-${max}, got "${value}"`);
    const n = Number(v);
    if (n < min || n > max) throw new RecurrenceError(`${name} values must be ${min}-${max}, got ${n}`);
    return n;
  });
  return [...new Set(items)].sort((a, b) => a - b);
}

/**
 * Parses one RRULE string (with or without the `RRULE:` prefix).
 * @throws RecurrenceError for anything outside the supported grammar.
 */
export function parseRecurrence(text: string): RecurrenceRule {
  if (typeof text !== "string" || text.length > 256) throw new RecurrenceError("recurrence must be a string of at most 256 characters");
  const body = text.trim().replace(/^RRULE:/i, "");
  if (body.length === 0) throw new RecurrenceError("recurrence is empty");
  const fields = new Map<string, string>();
  for (const part of body.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new RecurrenceError(`malformed RRULE part "${part}"`);
    const key = part.slice(0, eq).toUpperCase();
    if (fields.has(key)) throw new RecurrenceError(`RRULE part ${key} appears twice`);
    fields.set(key, part.slice(eq + 1).toUpperCase());
  }
  const supported = new Set(["FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE", "WKST"]);
  for (const key of fields.keys()) if (!supported.has(key)) throw new RecurrenceError(`RRULE part ${key} is not supported (supported: FREQ, INTERVAL, BYDAY, BYHOUR, BYMINUTE)`);
  const freq = fields.get("FREQ");
  if (freq !== "HOURLY" && freq !== "DAILY" && freq !== "WEEKLY") throw new RecurrenceError(`FREQ must be HOURLY, DAILY or WEEKLY, got ${freq === undefined ? "nothing" : `"${freq}"`}`);
  const intervalText = fields.get("INTERVAL") ?? "1";
  if (!/^\d{1,4}$/.test(intervalText) || Number(intervalText) < 1) throw new RecurrenceError(`INTERVAL must be an integer 1-9999, got "${intervalText}"`);
  if (fields.has("WKST") && fields.get("WKST") !== "MO") throw new RecurrenceError("only WKST=MO is supported");
  const rule: RecurrenceRule = { freq, interval: Number(intervalText), byDay: undefined, byHour: undefined, byMinute: undefined };
  const byDay = fields.get("BYDAY");
  if (byDay !== undefined) {
    if (freq !== "WEEKLY") throw new RecurrenceError("BYDAY is only supported with FREQ=WEEKLY");
    rule.byDay = [...new Set(byDay.split(",").map((d) => {
      const i = DAYS.indexOf(d);
      if (i < 0) throw new RecurrenceError(`BYDAY values must be MO, TU, WE, TH, FR, SA or SU, got "${d}"`);
      return i;
    }))].sort((a, b) => a - b);
  }
  const byHour = fields.get("BYHOUR");
  if (byHour !== undefined) {
    if (freq === "HOURLY") throw new RecurrenceError("BYHOUR is not supported with FREQ=HOURLY");
    rule.byHour = parseList("BYHOUR", byHour, 0, 23);
  }
  const byMinute = fields.get("BYMINUTE");
  if (byMinute !== undefined) rule.byMinute = parseList("BYMINUTE", byMinute, 0, 59);
  if (freq === "HOURLY" && rule.byMinute !== undefined && rule.byMinute.length > 1) throw new RecurrenceError("FREQ=HOURLY takes at most one BYMINUTE value");
  return rule;
}

/** A schedule: a rule anchored at an instant, in a time zone. */
export interface Schedule {
  rule: RecurrenceRule;
  /** Anchor (epoch ms): `schedule.start`. */
  start: number;
  timeZone: string;
}

/**
 * The first `count` occurrences strictly after `after` (epoch ms), ascending.
 * Bounded: gives up after scanning ~20 years of candidates.
 */
export function nextOccurrences(schedule: Schedule, after: number, count: number): number[] {
  const out: number[] = [];
  for (const t of occurrences(schedule, after)) {
    out.push(t);
    if (out.length >= count) break;
  }
  return out;
}

/** Occurrences in (from, to], ascending (at most `max`). */
export function occurrencesBetween(schedule: Schedule, from: number, to: number, max = 1000): number[] {
  const out: number[] = [];
  for (const t of occurrences(schedule, from)) {
    if (t > to || out.length >= max) break;
    out.push(t);
  }
  return out;
}

function* occurrences(schedule: Schedule, after: number): Generator<number> {
  const { rule, start, timeZone } = schedule;
  const floor = Math.max(after, start - 1);
  if (rule.freq === "HOURLY") {
    yield* hourly(rule, start, timeZone, floor);
    return;
  }
  const anchor = toLocal(start, timeZone);
  const anchorDay = epochDay(anchor.year, anchor.month, anchor.day);
  const hours = rule.byHour ?? [anchor.hour];
  const minutes = rule.byMinute ?? [anchor.minute];
  const days = rule.byDay ?? [weekdayOf(anchorDay)];
  const fromLocalDay = (() => {
    const l = toLocal(floor, timeZone);
    return epochDay(l.year, l.month, l.day) - 1; // one day of slack for offsets
  })();
  const anchorWeek = anchorDay - weekdayOf(anchorDay); // Monday of the anchor's week
  let day = Math.max(anchorDay, fromLocalDay);
  for (let scanned = 0; scanned < 366 * 20; scanned += 1, day += 1) {
    if (rule.freq === "DAILY") {
      if ((day - anchorDay) % rule.interval !== 0) continue;
    } else {
      const week = Math.floor((day - weekdayOf(day) - anchorWeek) / 7);
      if (week % rule.interval !== 0 || !days.includes(weekdayOf(day))) continue;
    }
    const date = civilDate(day);
    const instants = new Set<number>();
    for (const hour of hours) for (const minute of minutes) instants.add(fromLocal({ ...date, hour, minute }, timeZone));
    for (const t of [...instants].sort((a, b) => a - b)) if (t > floor && t >= start) yield t;
  }
}

function* hourly(rule: RecurrenceRule, start: number, timeZone: string, floor: number): Generator<number> {
  const step = rule.interval * 3_600_000;
  const base = Math.floor(start / 60_000) * 60_000;
  let k = Math.max(0, Math.floor((floor - base) / step) - 1);
  for (let n = 0; n < 200_000; n += 1, k += 1) {
    let t = base + k * step;
    if (rule.byMinute !== undefined) {
      const minute = rule.byMinute[0] ?? 0;
      const l = toLocal(t, timeZone);
      t += (minute - l.minute) * 60_000;
    }
    if (t > floor && t >= start) yield t;
  }
}
