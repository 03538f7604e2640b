// What every route handler shares: stores, clock, event bus, settings.
import type { FastifyBaseLogger } from "fastify";
import type { Clock } from "./clock.js";
import type { Database } from "./db/database.js";
import type { EventBus, NewEvent } from "./events/eventBus.js";
import { createStores, type Stores } from "./store/stores.js";
import type { ScryptCost } from "./auth/passwords.js";
import { AuthCache } from "./auth/authCache.js";

/** Tunables with defaults (see `createServer`). */
export interface ServerSettings {
  /** The data directory (vault data lives in `<dataDir>/vaults/`). */
  dataDir: string;
  /** Public base URL (`https://backup.example.com`); default: derived from each request's Host. */
  publicUrl: string | undefined;
  /** Region name in the service catalog and vaults. */
  region: string;
  tokenTtlMs: number;
  agentTokenTtlMs: number;
  /** How long events stay in feeds. */
  eventRetentionMs: number;
  /** How long browse/encryption/verification requests and results are kept. */
  requestRetentionMs: number;
  /** Upper bound of `wait` on `GET /agents/{id}/events`. */
  longPollMaxMs: number;
  /** How long `agent_activate` keeps an agent out of idle mode. */
  activationMs: number;
  /** A scheduled run not started this long after its time is recorded as missed. */
  missedGraceMs: number;
  /** Request body limit in bytes. */
  bodyLimit: number;
  scryptCost: ScryptCost | undefined;
  /** How long a resolved token or role is reused without a query (0 = never cached). */
  authCacheMs: number;
}

/** Shared state of one server instance. */
export interface AppContext {
  readonly db: Database;
  readonly stores: Stores;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly settings: ServerSettings;
  readonly log: FastifyBaseLogger;
  /**
   * Runs `fn` in a transaction with stores bound to it; `emit` appends events in the same
   * transaction and wakes their readers after the commit.
   */
  transaction<T>(fn: (stores: Stores, emit: (event: NewEvent) => Promise<number>) => Promise<T>): Promise<T>;
  /** Appends events (outside any transaction) and wakes their readers. */
  emit(...events: NewEvent[]): Promise<void>;
}

/** Builds the {@link AppContext}. */
export function createContext(db: Database, clock: Clock, bus: EventBus, settings: ServerSettings, log: FastifyBaseLogger): AppContext {
  const authCache = new AuthCache(settings.authCacheMs);
  const stores = createStores(db, clock, settings.scryptCost, authCache);
  return {
    db,
    stores,
    clock,
    bus,
    settings,
    log,
    async transaction(fn) {
      const wakes: NewEvent[] = [];
      const result = await db.transaction((tx) => {
        const txStores = createStores(tx, clock, settings.scryptCost, authCache);
        wakes.length = 0;
        return fn(txStores, async (event) => {
          wakes.push(event);
          return bus.append(txStores.events, event);
        });
      });
      for (const e of wakes) bus.wake(e.projectId, e.agentId);
      return result;
    },
    async emit(...events) {
      for (const e of events) await bus.append(stores.events, e);
      for (const e of events) bus.wake(e.projectId, e.agentId);
    },
  };
}
