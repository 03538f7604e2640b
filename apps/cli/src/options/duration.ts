// Durations for retention options, restic's notation: `1y6m`, `14d`, `36h`, `2w`. Years and
// months are calendar-approximate (365 and 30 days): retention windows are policy, not clocks.
import { InvalidArgumentError } from "commander";

const UNIT_MS: Record<string, number> = { y: 365 * 86_400_000, m: 30 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000 };

/** "1y2m3d4h" → milliseconds. */
export function parseDuration(value: string): number {
  const parts = [...value.matchAll(/(\d+)([ymwdh])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) throw new InvalidArgumentError(`expected a duration such as 30d, 2w, 1y6m or 36h, got ${JSON.stringify(value)}`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

/** "30d" or "4w" → whole days (for --older-than, which is Cloud Backup's `retention.days`). */
export function parseDays(value: string): number {
  const m = /^(\d+)([dw])$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected a number of days such as 30d (or weeks: 4w), got ${JSON.stringify(value)}`);
  const days = Number(m[1]) * (m[2] === "w" ? 7 : 1);
  if (days < 1) throw new InvalidArgumentError("--older-than must be at least 1d");
  return days;
}
