// Progress of a running backup: counters the walker and the pool update, turned into a
// `BackupProgress` report at most every `intervalMs`. Totals are what the walk has found so far
// (it runs ahead of reading, bounded by the files in flight), raised to the parent snapshot's
// totals as an estimate until the walk is over; the rate is a moving window of a few seconds.
import { toDisplay, type BinaryPath } from "../internal/binaryPath.js";
import type { BackupProgress } from "./options.js";

const RATE_WINDOW_MS = 5000;

export class ProgressTracker {
  phase: BackupProgress["phase"] = "scanning";
  filesFound = 0;
  bytesFound = 0;
  filesDone = 0;
  bytesDone = 0;
  filesNew = 0;
  filesChanged = 0;
  filesUnmodified = 0;
  walkDone = false;
  readonly inFlight = new Set<BinaryPath>();
  private readonly started = Date.now();
  private readonly samples: { t: number; bytes: number }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sink: ((p: BackupProgress) => void) | undefined,
    private readonly estimate: { files: number; bytes: number },
    private readonly extra: () => { bytesAdded: number; bytesStored: number; errorCount: number },
    intervalMs: number,
  ) {
    if (sink) {
      this.timer = setInterval(() => this.emit(), intervalMs);
      this.timer.unref();
    }
  }

  fileFound(size: number): void {
    this.filesFound++;
    this.bytesFound += size;
  }

  fileDone(size: number, outcome: "new" | "changed" | "unmodified"): void {
    this.filesDone++;
    this.bytesDone += size;
    if (outcome === "new") this.filesNew++;
    else if (outcome === "changed") this.filesChanged++;
    else this.filesUnmodified++;
    if (this.phase === "scanning") this.phase = "backing-up";
  }

  report(): BackupProgress {
    const now = Date.now();
    this.samples.push({ t: now, bytes: this.bytesDone });
    while (this.samples.length > 2 && now - this.samples[0]!.t > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const rate = now > first.t ? ((this.bytesDone - first.bytes) * 1000) / (now - first.t) : 0;
    const filesTotal = this.walkDone ? this.filesFound : Math.max(this.filesFound, this.estimate.files);
    const bytesTotal = this.walkDone ? this.bytesFound : Math.max(this.bytesFound, this.estimate.bytes);
    const left = Math.max(0, bytesTotal - this.bytesDone);
    const current: string[] = [];
    for (const p of this.inFlight) {
      current.push(toDisplay(p));
      if (current.length >= 4) break;
    }
    return {
      phase: this.phase,
      elapsedMs: now - this.started,
      filesDone: this.filesDone,
      bytesDone: this.bytesDone,
      filesTotal,
      bytesTotal,
      totalsFinal: this.walkDone,
      filesNew: this.filesNew,
      filesChanged: this.filesChanged,
      filesUnmodified: this.filesUnmodified,
      ...this.extra(),
      bytesPerSecond: Math.round(rate),
      etaSeconds: left === 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
      currentFiles: current,
    };
  }

  emit(): void {
    this.sink?.(this.report());
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
