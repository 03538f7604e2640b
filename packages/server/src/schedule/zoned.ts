// Wall-clock arithmetic in IANA time zones on top of Intl.DateTimeFormat (no tz database of
// our own). Local -> UTC follows RFC 5545 §3.3.5: a local time that falls in a spring-forward
// gap is interpreted with the offset in force before the gap (so it moves forward by the gap's
// length); an ambiguous fall-back time resolves to its first (earlier) occurrence.

/** Wall-clock fields in some zone. `month` is 1-12; `weekday` 0 = Monday … 6 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. `Europe/London`, `US/Central`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of instant `ms` in `timeZone` (seconds dropped). */
export function toLocal(ms: number, timeZone: string): LocalTime {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (east positive), whole minutes. */
export function offsetAt(ms: number, timeZone: string): number {
  const floored = Math.floor(ms / 60_000) * 60_000;
  const l = toLocal(floored, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - floored;
}

const sameLocal = (a: LocalTime, b: LocalTime): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/** The instant at which `local` happens in `timeZone` (gaps and overlaps as described above). */
export function fromLocal(local: LocalTime, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetAt(asUtc - 86_400_000, timeZone);
  const after = offsetAt(asUtc + 86_400_000, timeZone);
  // Larger offset = earlier instant: try it first so an ambiguous time picks the first occurrence.
  const candidates = [...new Set([before, after, offsetAt(asUtc, timeZone)])].sort((a, b) => b - a);
  for (const off of candidates) {
    const t = asUtc - off;
    if (sameLocal(toLocal(t, timeZone), local)) return t;
  }
  return asUtc - before; // in a gap: use the offset in force before it
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian). */
export const epochDay = (year: number, month: number, day: number): number => Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);

/** The civil date of an epoch day. */
export function civilDate(days: number): { year: number; month: number; day: number } {
  const d = new Date(days * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Weekday of an epoch day, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (days: number): number => (((days + 3) % 7) + 7) % 7;
