// `--schedule` of `cairn configs create`: shorthands for the common cases, or any RRULE the
// server accepts (FREQ=HOURLY|DAILY|WEEKLY with INTERVAL, BYDAY, BYHOUR, BYMINUTE; docs/api.md).
//   hourly                     every hour, counted from when the configuration is created
//   daily@02:30                every day at 02:30 in --time-zone
//   weekly@sun@02:30           every Sunday at 02:30 (mon tue wed thu fri sat sun)
//   FREQ=DAILY;BYHOUR=2;BYMINUTE=30   (with or without the RRULE: prefix) as given
import { InvalidArgumentError } from "commander";

const DAYS: Record<string, string> = { mon: "MO", tue: "TU", wed: "WE", thu: "TH", fri: "FR", sat: "SA", sun: "SU" };

function clock(value: string, text: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) throw new InvalidArgumentError(`bad time of day ${JSON.stringify(text)} in ${JSON.stringify(value)} (expected HH:MM, 00:00-23:59)`);
  return { hour, minute };
}

/** Parses a --schedule value into an RRULE ("RRULE:FREQ=…"). */
export function parseSchedule(value: string): string {
  const v = value.trim();
  if (/^(RRULE:)?FREQ=/i.test(v)) return v.toUpperCase().startsWith("RRULE:") ? `RRULE:${v.slice(6)}` : `RRULE:${v}`;
  const [kind, ...rest] = v.toLowerCase().split("@");
  if (kind === "hourly" && rest.length === 0) return "RRULE:FREQ=HOURLY;INTERVAL=1";
  if (kind === "daily" && rest.length === 1) {
    const t = clock(value, rest[0]!);
    return `RRULE:FREQ=DAILY;BYHOUR=${t.hour};BYMINUTE=${t.minute}`;
  }
  if (kind === "weekly" && rest.length === 2 && DAYS[rest[0]!] !== undefined) {
    const t = clock(value, rest[1]!);
    return `RRULE:FREQ=WEEKLY;BYDAY=${DAYS[rest[0]!]};BYHOUR=${t.hour};BYMINUTE=${t.minute}`;
  }
  throw new InvalidArgumentError(`expected hourly, daily@HH:MM, weekly@DAY@HH:MM (mon…sun) or an RRULE such as FREQ=DAILY;BYHOUR=2;BYMINUTE=30, got ${JSON.stringify(value)}`);
}

/** This machine's IANA time zone (the default of --time-zone). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
