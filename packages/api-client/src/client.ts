// The client: one object per project, authenticated lazily, with a namespace per resource.
import { Core } from "./internal/core.js";
import { Session, type Credentials } from "./internal/session.js";
import type { CallOptions, TransportSettings } from "./internal/transport.js";
import { send } from "./internal/transport.js";
import { AgentRequests } from "./resources/agentRequests.js";
import { Agents } from "./resources/agents.js";
import { Configurations } from "./resources/configurations.js";
import { Backups, Cleanups, Restores } from "./resources/jobs.js";
import { Activities, Events, Health, Settings } from "./resources/project.js";
import { Users } from "./resources/users.js";
import type { VersionInfo } from "./types.js";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Server root, e.g. `https://backup.example.com` (identity at `/v2.0/tokens`, API at `/v2/{project}`). */
  endpoint: string;
  credentials: Credentials;
  /** fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Per-attempt timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Retries of idempotent calls on 429/503/network errors (default 3). */
  retries?: number;
  /** First backoff delay in ms (default 200; doubles, with jitter). */
  retryBaseMs?: number;
}

/** A Cloud Backup v2 client bound to one project. */
export interface CairnClient {
  readonly agents: Agents;
  readonly agentRequests: AgentRequests;
  readonly configurations: Configurations;
  readonly backups: Backups;
  readonly restores: Restores;
  readonly cleanups: Cleanups;
  readonly activities: Activities;
  readonly events: Events;
  readonly settings: Settings;
  readonly health: Health;
  /** Users of the project (Cairn extension). */
  readonly users: Users;
  /** The project id (known after the first call for password/API-key credentials). */
  projectId(): Promise<string>;
  /** The current token (authenticating first if needed). */
  token(): Promise<string>;
  /** `GET /` — the API versions. */
  versions(options?: CallOptions): Promise<{ versions: VersionInfo[] }>;
  /** `GET /v2` — this API version's document. */
  version(options?: CallOptions): Promise<{ version: VersionInfo }>;
}

/** Creates a client. No request is made until the first call. */
export function createClient(options: ClientOptions): CairnClient {
  const endpoint = options.endpoint.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const settings: TransportSettings = { fetch: fetchImpl, timeoutMs: options.timeoutMs ?? 30_000, retries: options.retries ?? 3, retryBaseMs: options.retryBaseMs ?? 200 };
  const session = new Session(endpoint, options.credentials, settings);
  const core = new Core(session, settings, endpoint);
  return {
    agents: new Agents(core),
    agentRequests: new AgentRequests(core),
    configurations: new Configurations(core),
    backups: new Backups(core),
    restores: new Restores(core),
    cleanups: new Cleanups(core),
    activities: new Activities(core),
    events: new Events(core),
    settings: new Settings(core),
    health: new Health(core),
    users: new Users(core),
    async projectId() {
      await session.ensure();
      return session.projectId as string;
    },
    async token() {
      await session.ensure();
      return session.token as string;
    },
    async versions(callOptions) {
      return (await send<{ versions: VersionInfo[] }>(settings, "GET", `${endpoint}/`, {}, undefined, callOptions)).body;
    },
    async version(callOptions) {
      return (await send<{ version: VersionInfo }>(settings, "GET", `${endpoint}/v2`, {}, undefined, callOptions)).body;
    },
  };
}
