// All stores over one Queryable (the database, or a transaction).
import type { Clock } from "../clock.js";
import type { Queryable } from "../db/database.js";
import type { AuthCache } from "../auth/authCache.js";
import { IdentityStore } from "../auth/identityStore.js";
import type { ScryptCost } from "../auth/passwords.js";
import { AgentStore } from "./agentStore.js";
import { ConfigurationStore } from "./configurationStore.js";
import { EventStore } from "./eventStore.js";
import { JobStore } from "./jobStore.js";
import { LogfileStore } from "./logfileStore.js";
import { RequestStore } from "./requestStore.js";
import { SettingsStore } from "./settingsStore.js";

/** Every repository, bound to one connection or transaction. */
export interface Stores {
  identity: IdentityStore;
  agents: AgentStore;
  configurations: ConfigurationStore;
  jobs: JobStore;
  events: EventStore;
  requests: RequestStore;
  logfiles: LogfileStore;
  settings: SettingsStore;
}

/** Binds every store to `db`. */
export function createStores(db: Queryable, clock: Clock, scryptCost?: ScryptCost, authCache?: AuthCache): Stores {
  return {
    identity: new IdentityStore(db, clock, scryptCost, authCache),
    agents: new AgentStore(db),
    configurations: new ConfigurationStore(db),
    jobs: new JobStore(db),
    events: new EventStore(db),
    requests: new RequestStore(db),
    logfiles: new LogfileStore(db),
    settings: new SettingsStore(db),
  };
}
