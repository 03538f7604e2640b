// Latency recording and reporting for the load benchmark: exact percentiles over every sample
// (the runs are short enough to keep them all), requests per second over the measured window.

/** Samples of one request kind. */
export class Recorder {
  constructor() {
    this.kinds = new Map();
    this.recording = false;
  }

  /** Records one latency (ms) of `kind` while recording; `ok` false counts an error. */
  add(kind, ms, ok = true) {
    if (!this.recording) return;
    let k = this.kinds.get(kind);
    if (k === undefined) {
      k = { samples: [], errors: 0 };
      this.kinds.set(kind, k);
    }
    if (ok) k.samples.push(ms);
    else k.errors += 1;
  }

  /** Counts an outcome that is neither a latency nor an error (e.g. an expected 409). */
  count(kind) {
    this.add(kind, 0, true);
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** One summary per kind: requests, rps, p50/p90/p99/max in ms, errors. */
export function summarise(recorder, seconds) {
  return [...recorder.kinds.entries()].map(([kind, { samples, errors }]) => {
    const sorted = Float64Array.from(samples).sort();
    const round = (x) => Math.round(x * 100) / 100;
    return {
      kind,
      requests: samples.length + errors,
      rps: round((samples.length + errors) / seconds),
      p50_ms: round(percentile(sorted, 50)),
      p90_ms: round(percentile(sorted, 90)),
      p99_ms: round(percentile(sorted, 99)),
      max_ms: round(sorted.length ? sorted[sorted.length - 1] : NaN),
      errors,
    };
  });
}

/** A fixed-width table of summaries. */
export function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells) => cells.map((v, i) => String(v ?? "").padStart(widths[i])).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join("\n");
}
