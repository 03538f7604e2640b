// The agent's command channel: long-polls GET /agents/{id}/events?marker=…&wait=… and hands
// each new event to `dispatch` exactly once per process, in order. The last handled event id is
// kept in <data dir>/feed.json, so a restart neither replays old commands nor misses new ones
// (work that was pending while the agent was away is re-sent by the server on `startup`).
// When the server is unreachable the loop backs off (0.5 s doubling to 30 s, with jitter) and
// calls `onReconnect` once it answers again.
import { join } from "node:path";
import type { FeedEvent } from "@cairn/api-client";
import type { Logger } from "../log.js";
import type { AgentSession } from "../session.js";
import { readJson, writeJson } from "../state/jsonFile.js";
import { Backoff, pause } from "./backoff.js";

export interface FeedOptions {
  readonly session: AgentSession;
  readonly dataDir: string;
  readonly log: Logger;
  /** Long-poll seconds for the current mode. */
  waitSeconds(): number;
  dispatch(event: FeedEvent): Promise<void>;
  onReconnect(): Promise<void>;
}

export class Feed {
  #marker: string | undefined;
  readonly #path: string;

  private constructor(private readonly options: FeedOptions) {
    this.#path = join(options.dataDir, "feed.json");
  }

  /** Loads the marker, or (first start) takes the newest event id so old commands are not replayed. */
  static async open(options: FeedOptions): Promise<Feed> {
    const feed = new Feed(options);
    const stored = await readJson<{ marker: string | null }>(feed.#path);
    if (stored !== undefined) feed.#marker = stored.marker ?? undefined;
    else {
      const page = await options.session.client.agents.events(options.session.agentId, { sort_dir: "desc", limit: 1 });
      feed.#marker = page.items[0]?.id;
      await writeJson(feed.#path, { marker: feed.#marker ?? null });
    }
    return feed;
  }

  /** Polls until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(500, 30_000);
    let down = false;
    while (!signal.aborted) {
      let events: FeedEvent[];
      try {
        const page = await this.options.session.client.agents.events(
          this.options.session.agentId,
          { ...(this.#marker === undefined ? {} : { marker: this.#marker }), wait: this.options.waitSeconds(), limit: 100, sort_dir: "asc" },
          { signal },
        );
        events = page.items;
      } catch (error) {
        if (signal.aborted) return;
        if (!down) this.options.log.warn("server unreachable; reconnecting with backoff", { error: (error as Error).message });
        down = true;
        await pause(backoff.next(), signal);
        continue;
      }
      backoff.reset();
      if (down) {
        down = false;
        this.options.log.info("reconnected to the server");
        await this.options.onReconnect().catch((error: unknown) => this.options.log.warn("reconnect handling failed", { error: (error as Error).message }));
      }
      for (const event of events) {
        if (signal.aborted) return;
        try {
          await this.options.dispatch(event);
        } catch (error) {
          this.options.log.error("handling an event failed", { event: event.event, id: event.id, error: (error as Error).message });
        }
        this.#marker = event.id;
        await writeJson(this.#path, { marker: this.#marker });
      }
    }
  }
}
