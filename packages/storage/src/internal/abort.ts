// Cancellation helpers built on the web-standard AbortSignal (no Node timers module).

/** @throws the signal's reason if it has been aborted. */
export function throwIfAborted(...signals: (AbortSignal | undefined)[]): void {
  for (const signal of signals) signal?.throwIfAborted();
}

/** Resolves after `ms` milliseconds, or rejects with the reason of the first signal to abort. */
export function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  return new Promise((resolve, reject) => {
    const aborted = live.find((s) => s.aborted);
    if (aborted) return reject(aborted.reason);
    const onAbort = (event: Event) => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener("abort", onAbort);
      reject((event.target as AbortSignal).reason);
    };
    const timer = setTimeout(() => {
      for (const s of live) s.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    for (const s of live) s.addEventListener("abort", onAbort, { once: true });
  });
}
