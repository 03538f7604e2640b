// What every resource namespace uses: authenticated JSON calls relative to the project URL,
// pages with their links, async iteration over `next` links, and tailing event feeds.
import { ApiError } from "../errors.js";
import type { PatchOperation } from "../patch.js";
import type { FeedEvent, Page, PageQuery } from "../types.js";
import type { Session } from "./session.js";
import { send, sleep, type CallOptions, type Reply, type TransportSettings } from "./transport.js";

/** Query parameters; undefined values are dropped, arrays joined with commas. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** Options of tailing a feed. */
export interface TailOptions extends CallOptions {
  /** Start after this event id (default: from the oldest kept event). */
  marker?: string;
  /** Long-poll seconds per request (agent feeds); 0 = plain polling. */
  wait?: number;
  /** Pause between polls when a poll returned nothing and `wait` is 0 (ms, default 1000). */
  intervalMs?: number;
  /** Page size per request. */
  limit?: number;
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    params.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const text = params.toString();
  return text.length === 0 ? "" : `?${text}`;
}

/** Authenticated access to one project's API. */
export class Core {
  constructor(
    readonly session: Session,
    readonly settings: TransportSettings,
    private readonly root: string,
  ) {}

  /** Absolute URL of a path under the project (`segments` are encoded). */
  url(segments: readonly string[], query?: Query): string {
    const base = this.session.baseUrl ?? `${this.root}/v2/${encodeURIComponent(this.session.projectId ?? "")}`;
    return `${base}/${segments.map(encodeURIComponent).join("/")}${queryString(query)}`;
  }

  /** A call to an absolute URL with the session's token; re-authenticates once on 401. */
  async call<T>(method: string, url: string | (() => string), body?: unknown, options: CallOptions = {}, contentType = "application/json"): Promise<Reply<T>> {
    await this.session.ensure(options.signal);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const attempt = (): Promise<Reply<T>> => {
      const headers: Record<string, string> = { "x-auth-token": this.session.token ?? "" };
      if (this.session.projectId !== undefined) headers["x-project-id"] = this.session.projectId;
      if (payload !== undefined) headers["content-type"] = contentType;
      return send<T>(this.settings, method, typeof url === "string" ? url : url(), headers, payload, options);
    };
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !this.session.renewable) throw error;
      await this.session.renew(options.signal);
      return attempt();
    }
  }

  async get<T>(segments: readonly string[], query?: Query, options?: CallOptions): Promise<T> {
    return (await this.call<T>("GET", () => this.url(segments, query), undefined, options)).body;
  }

  async post<T>(segments: readonly string[], body?: unknown, options?: CallOptions): Promise<T> {
    return (await this.call<T>("POST", () => this.url(segments), body, options)).body;
  }

  async put(segments: readonly string[], body: unknown, options?: CallOptions): Promise<void> {
    await this.call("PUT", () => this.url(segments), body, options);
  }

  async patch(segments: readonly string[], operations: readonly PatchOperation[], options?: CallOptions): Promise<void> {
    await this.call("PATCH", () => this.url(segments), operations, options, "application/json-patch+json");
  }

  async delete(segments: readonly string[], options?: CallOptions): Promise<void> {
    await this.call("DELETE", () => this.url(segments), undefined, options);
  }

  /** One page of a list whose items are under `key`. */
  async page<T>(segments: readonly string[], key: string, query?: PageQuery & Query, options?: CallOptions): Promise<Page<T>> {
    const body = await this.get<Record<string, unknown>>(segments, query, options);
    return { items: (body[key] ?? []) as T[], links: (body.links ?? []) as Page<T>["links"] };
  }

  /** Every item of a paginated list, following `next` links. */
  async *iterate<T>(segments: readonly string[], key: string, query?: PageQuery & Query, options?: CallOptions): AsyncGenerator<T> {
    await this.session.ensure(options?.signal); // the project URL comes from the token's catalog
    let url: string | undefined = this.url(segments, query);
    while (url !== undefined) {
      const body: Record<string, unknown> = (await this.call<Record<string, unknown>>("GET", url, undefined, options)).body;
      const items = (body[key] ?? []) as T[];
      yield* items;
      const next = ((body.links ?? []) as { rel: string; href: string }[]).find((l) => l.rel === "next");
      url = items.length === 0 ? undefined : next?.href;
    }
  }

  /** Follows an event feed forever (until `signal` aborts): yields each new event once. */
  async *tail(segments: readonly string[], options: TailOptions = {}): AsyncGenerator<FeedEvent> {
    let marker = options.marker;
    const wait = options.wait ?? 0;
    const perRequest = { ...options, timeoutMs: Math.max(options.timeoutMs ?? this.settings.timeoutMs, wait * 1000 + 10_000) };
    while (options.signal?.aborted !== true) {
      let events: FeedEvent[];
      try {
        const body = await this.get<{ events: FeedEvent[] }>(segments, { marker, wait: wait > 0 ? wait : undefined, limit: options.limit, sort_dir: "asc" }, perRequest);
        events = body.events;
      } catch (error) {
        if (options.signal?.aborted) return;
        throw error;
      }
      for (const e of events) {
        marker = e.id;
        yield e;
      }
      if (events.length === 0 && wait === 0) {
        try {
          await sleep(options.intervalMs ?? 1000, options.signal);
        } catch {
          return;
        }
      }
    }
  }
}
