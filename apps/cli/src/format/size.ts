// Human-readable sizes and rates (binary units, as restic and borg print them).
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** "1.50 MiB" for 1572864; exact for bytes. */
export function formatBytes(n: number | bigint): string {
  let value = Number(n);
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "12.3 MiB/s"; "-" when nothing can be said (no time elapsed). */
export function formatRate(bytes: number, seconds: number): string {
  return seconds > 0 ? `${formatBytes(Math.round(bytes / seconds))}/s` : "-";
}

/** "1m05s", "3.2s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "-";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** "1 file", "2 files"; `many` for irregular plurals ("entry" → "entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
