// HTTP core: fetch with a per-attempt timeout, the caller's AbortSignal, retries with
// exponential backoff (only for idempotent methods: on 429/503 — honouring Retry-After — and
// on network errors), and one re-authentication on 401. Browser-safe: fetch, AbortController,
// setTimeout only.
import { ApiError, NetworkError, TimeoutError } from "../errors.js";

/** Options of every call. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Extra request headers (e.g. `X-Agent-Id`). */
  headers?: Record<string, string>;
  /** Per-attempt timeout override (ms); long-polls raise it. */
  timeoutMs?: number;
}

/** Transport settings. */
export interface TransportSettings {
  fetch: typeof fetch;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
}

/** A response the caller reads. */
export interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/** Waits `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function retryDelay(attempt: number, base: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  return Math.min(base * 2 ** attempt, 10_000) * (0.5 + Math.random() / 2);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * One HTTP exchange with retries.
 * @throws ApiError (non-2xx), TimeoutError, NetworkError, or the caller's abort reason.
 */
export async function send<T>(
  settings: TransportSettings,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const retries = IDEMPOTENT.has(method) ? settings.retries : 0;
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let response: Response;
    try {
      response = await settings.fetch(url, { method, headers: { accept: "application/json", ...headers, ...options.headers }, body, signal: controller.signal });
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      if (timedOut) {
        if (attempt < retries) continue;
        throw new TimeoutError(method, url, timeoutMs);
      }
      if (attempt < retries) {
        await sleep(retryDelay(attempt, settings.retryBaseMs, null), options.signal);
        continue;
      }
      throw new NetworkError(method, url, error);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
    if ((response.status === 429 || response.status === 503) && attempt < retries) {
      await response.body?.cancel().catch(() => undefined);
      await sleep(retryDelay(attempt, settings.retryBaseMs, response.headers.get("retry-after")), options.signal);
      continue;
    }
    const parsed = await readBody(response);
    if (!response.ok) {
      const b = (parsed ?? {}) as { message?: unknown; errors?: unknown };
      const message = typeof b.message === "string" ? b.message : response.statusText || `HTTP ${response.status}`;
      const errors = Array.isArray(b.errors) ? b.errors.map(String) : [];
      throw new ApiError(response.status, message, errors, method, url);
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}
