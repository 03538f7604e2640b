// Snapshot times are bigint nanoseconds since the epoch; people read them as local date-time,
// programs get ISO 8601 in UTC.

/** ISO 8601 UTC with milliseconds, e.g. "2026-12-03T10:15:00.123Z". */
export function isoFromNs(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

/** "2026-12-03 10:15:00" in the local time zone (what `cairn snapshots` shows). */
export function localFromNs(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Current time as snapshot nanoseconds. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** An API timestamp ("2026-12-03T10:15:00.123000Z") as local date-time; "-" for none. */
export function localFromIso(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "-";
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? localFromNs(BigInt(ms) * 1_000_000n) : "-";
}

/** Seconds between two API timestamps, or undefined if either is missing. */
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | undefined {
  if (!from || !to) return undefined;
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) ? s : undefined;
}
