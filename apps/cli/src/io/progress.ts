// Progress display for long commands (backup, restore): a cli-progress bar on stderr when
// stderr is a terminal and neither --quiet nor --json is set; nothing at all otherwise, so logs
// and pipes stay clean. The caller feeds it plain numbers; the bar owns the formatting.
import cliProgress from "cli-progress";
import type { Output } from "./output.js";
import { formatBytes, formatDuration, formatRate } from "../format/size.js";

export interface ProgressValues {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Bytes per second, if the caller measures it (otherwise computed from the start). */
  readonly bytesPerSecond?: number;
  readonly etaSeconds?: number | null;
  /** A short word for what is happening ("scanning", "restoring"). */
  readonly phase?: string;
  /** Totals may still grow (the scan is not finished). */
  readonly estimate?: boolean;
}

export interface Progress {
  update(values: ProgressValues): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar, or a no-op when the output is not interactive. `files: false` leaves out the
 * file counts (an API job's progress reports bytes only).
 */
export function createProgress(out: Output, options: { files?: boolean } = {}): Progress {
  if (!out.interactive) return NONE;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: out.errorStream,
      format: options.files === false ? "{phase} {bar} {percentage}% | {bytes} | {rate} | ETA {etaText}" : "{phase} {bar} {percentage}% | {files} files | {bytes} | {rate} | ETA {etaText}",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let begun = false;
  return {
    update(v) {
      const elapsed = (Date.now() - started) / 1000;
      const payload = {
        phase: (v.phase ?? "").padEnd(9),
        files: `${v.filesDone}/${v.filesTotal}${v.estimate ? "+" : ""}`,
        bytes: `${formatBytes(v.bytesDone)}/${formatBytes(v.bytesTotal)}${v.estimate ? "+" : ""}`,
        rate: v.bytesPerSecond !== undefined ? `${formatBytes(Math.round(v.bytesPerSecond))}/s` : formatRate(v.bytesDone, elapsed),
        etaText: v.etaSeconds === null || v.etaSeconds === undefined ? "-" : formatDuration(v.etaSeconds),
      };
      const total = Math.max(1, v.bytesTotal);
      if (!begun) {
        bar.start(total, Math.min(v.bytesDone, total), payload);
        begun = true;
      } else {
        bar.setTotal(total);
        bar.update(Math.min(v.bytesDone, total), payload);
      }
    },
    stop() {
      if (begun) bar.stop();
    },
  };
}
