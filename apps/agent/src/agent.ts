// The agent: registers (first start) or logs in, then runs until stopped —
//   - the command feed (long-poll) dispatching every event the spec sends an agent,
//   - heartbeats at the interval of its activation mode,
//   - the scheduler firing configurations' `times`,
//   - the job queue (backups, restores, cleanups, re-keying; one at a time),
//   - the outbox delivering reports in order, also after the server was away.
// On start it reports jobs a previous run left unfinished as failed (state/journal.ts) and
// posts `startup`, on stop it fails the running job (`agent_shutdown`), posts `shutdown` and
// flushes the outbox.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { AgentConfiguration, FeedEvent } from "@cairn/api-client";
import { jobReport } from "@cairn/api-client";
import type { KdfChoice } from "@cairn/repository";
import { Backoff, pause } from "./channel/backoff.js";
import { Feed } from "./channel/feed.js";
import { Outbox } from "./channel/outbox.js";
import { systemClock, type Clock } from "./clock.js";
import { loadEngine, type Engine } from "./engine.js";
import { loadOrRegister, userCredentialsFromEnv } from "./identity/agentIdentity.js";
import { runBackup, StopRequested } from "./jobs/backupJob.js";
import { runCleanup } from "./jobs/cleanupJob.js";
import type { JobContext } from "./jobs/jobContext.js";
import { JobQueue } from "./jobs/jobQueue.js";
import { JobReporter, type JobKind } from "./jobs/jobReporter.js";
import { answerBackupBrowse, answerEncryption, answerHostBrowse, answerLogfile, answerVerification } from "./jobs/requests.js";
import { runRestore } from "./jobs/restoreJob.js";
import { specFromEvent, specFromResource } from "./jobs/restoreSpec.js";
import { createLogger, type LogLevel, type Logger } from "./log.js";
import { Scheduler } from "./schedule/scheduler.js";
import { AgentSession } from "./session.js";
import { Journal } from "./state/journal.js";
import { openVaultStorage } from "./vault/vaultStorage.js";
import { AGENT_VERSION } from "./version.js";

type Mode = "idle" | "active" | "real_time";
type ConfigurationEntry = AgentConfiguration["configurations"][number];

export interface AgentOptions {
  readonly serverUrl: string;
  readonly dataDir: string;
  /** Display name at registration (default: the host name). */
  readonly name?: string;
  /** Environment for first-registration credentials (default process.env). */
  readonly env?: Record<string, string | undefined>;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** KDF for password key slots (default: calibrated Argon2id). */
  readonly kdf?: KdfChoice;
  readonly workers?: number;
  readonly logLevel?: LogLevel;
  /** Echo log lines to stderr (default true). */
  readonly echoLog?: boolean;
  /** Scheduler pass interval in wall milliseconds (default 1000). */
  readonly tickMs?: number;
}

/** The shutdown abort reason (anything but a user's stop). */
export class AgentShutdown extends Error {
  override readonly name = "AgentShutdown";
  constructor() {
    super("agent shutting down");
  }
}

export class Agent {
  readonly #controller = new AbortController();
  readonly #queue = new JobQueue();
  readonly #handledRequests = new Set<string>();
  #configurations: ConfigurationEntry[] = [];
  #vault: { id: string; encrypted: boolean } | null = null;
  #policy: AgentConfiguration["system_preferences"]["events"]["rse"] | undefined;
  #mode: Mode = "idle";
  #loops: Promise<unknown>[] = [];
  #stopping: Promise<void> | undefined;

  private constructor(
    readonly ctx: JobContext,
    private readonly options: AgentOptions,
  ) {}

  get agentId(): string {
    return this.ctx.session.agentId;
  }

  get log(): Logger {
    return this.ctx.log;
  }

  /**
   * Starts an agent (registering it on first start) and returns once it is connected and running.
   * @throws {RegistrationError} on a first start without user credentials, or if the server refuses.
   */
  static async start(options: AgentOptions): Promise<Agent> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const log = createLogger(join(options.dataDir, "logs", "agent.log"), { level: options.logLevel ?? "info", echo: options.echoLog !== false });
    const clock = options.clock ?? systemClock;
    const identity = await withBackoff(log, "register or log in", () =>
      loadOrRegister({ dataDir: options.dataDir, serverUrl: options.serverUrl, version: AGENT_VERSION, credentials: userCredentialsFromEnv(options.env ?? process.env), ...(options.name ? { name: options.name } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) }),
    );
    const session = new AgentSession(identity, AGENT_VERSION, options.fetch);
    const outbox = await Outbox.load(options.dataDir, () => session.client, identity.agentId, log);
    const journal = await Journal.load(options.dataDir);
    let engine: Promise<Engine> | undefined;
    const ctx: JobContext = {
      session,
      outbox,
      journal,
      clock,
      log,
      dataDir: options.dataDir,
      version: AGENT_VERSION,
      privateKey: identity.privateKey,
      kdf: options.kdf,
      workers: options.workers,
      engine: () => (engine ??= loadEngine()),
      vault: (address) => openVaultStorage(address, { serverUrl: identity.serverUrl, projectId: identity.projectId, auth: session, attempts: 12 }),
    };
    const agent = new Agent(ctx, options);
    await agent.#boot();
    return agent;
  }

  async #boot(): Promise<void> {
    const { ctx } = this;
    const signal = this.#controller.signal;
    await withBackoff(ctx.log, "log in", () => ctx.session.token());
    ctx.log.info("agent started", { agentId: this.agentId, version: AGENT_VERSION, server: ctx.session.identity.serverUrl });
    for (const left of ctx.journal.entries) {
      ctx.log.warn(`a ${left.kind} was interrupted when the agent last stopped; reporting it failed`, { id: left.id });
      await ctx.outbox.add({
        type: "patch",
        kind: left.kind,
        id: left.id,
        operations: jobReport("failed", { ended_time: new Date(ctx.clock.now()).toISOString(), errors: { count: 0, reason: "agent_restarted", diagnostics: `the agent stopped during the ${left.kind} (started ${left.startedAt}) and was restarted`, list: [] } }),
      });
      await ctx.journal.remove(left.id);
    }
    this.#loops.push(ctx.outbox.run(signal));
    await withBackoff(ctx.log, "read the agent configuration", () => this.#refreshConfiguration());
    const feed = await withBackoff(ctx.log, "open the event feed", () =>
      Feed.open({ session: ctx.session, dataDir: ctx.dataDir, log: ctx.log, waitSeconds: () => this.#waitSeconds(), dispatch: (e) => this.#dispatch(e), onReconnect: () => this.#onReconnect() }),
    );
    await this.#signal({ event: "startup" });
    const scheduler = await Scheduler.load(ctx.dataDir, ctx.clock, { configurations: () => this.#configurations, fire: (c, t) => this.#fireScheduled(c, t) });
    this.#loops.push(
      feed.run(signal),
      this.#queue.run(),
      this.#every(() => (this.#policy?.heartbeat.interval_ms[this.#mode] ?? 60_000), () => this.#signal({ event: "heartbeat" })),
      this.#every(() => this.options.tickMs ?? 1_000, () => scheduler.tick()),
      this.#every(() => 60_000, () => this.#refreshConfiguration()),
    );
  }

  /** Stops the agent gracefully (see the header). Safe to call more than once. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const { ctx } = this;
      ctx.log.info("agent stopping");
      this.#queue.close(new AgentShutdown());
      this.#controller.abort(new AgentShutdown());
      await Promise.race([Promise.allSettled(this.#loops), pause(30_000)]);
      await this.#signal({ event: "shutdown" }).catch(() => undefined);
      const flush = new AbortController();
      const flushing = ctx.outbox.run(flush.signal);
      await Promise.race([ctx.outbox.drained(), pause(5_000)]);
      flush.abort();
      await flushing;
      ctx.log.info("agent stopped", { undelivered: ctx.outbox.pending });
    })();
    return this.#stopping;
  }

  // ---- the channel ----

  #waitSeconds(): number {
    const ms = this.#policy?.polling.timeout_ms[this.#mode] ?? 30_000;
    return Math.max(1, Math.min(30, Math.round(ms / 1000)));
  }

  async #signal(body: Parameters<AgentSession["client"]["agents"]["signal"]>[1]): Promise<void> {
    try {
      await this.ctx.session.client.agents.signal(this.agentId, body);
    } catch (error) {
      this.ctx.log.debug(`${body.event} not delivered`, { error: (error as Error).message });
    }
  }

  async #onReconnect(): Promise<void> {
    await this.#signal({ event: "startup" });
    await this.#refreshConfiguration();
  }

  async #refreshConfiguration(): Promise<void> {
    const doc = await this.ctx.session.client.agents.configuration(this.agentId);
    this.#configurations = doc.configurations;
    this.#policy = doc.system_preferences.events.rse;
    this.#mode = doc.system_preferences.events.mode ?? this.#mode;
    const v = doc.vaults[0];
    this.#vault = v === undefined ? null : { id: v.id, encrypted: v.encrypted };
  }

  /** Runs `task` every `interval()` ms until the agent stops; failures are logged, not fatal. */
  async #every(interval: () => number, task: () => Promise<unknown>): Promise<void> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      await pause(interval(), signal);
      if (signal.aborted) return;
      await task().catch((error: unknown) => this.ctx.log.debug("periodic task failed", { error: (error as Error).message }));
    }
  }

  // ---- dispatch ----

  async #dispatch(e: FeedEvent): Promise<void> {
    const ref = (k: string): string | undefined => {
      const v = e[k] as { id?: unknown } | undefined;
      return typeof v?.id === "string" ? v.id : undefined;
    };
    const requestId = typeof e.request_id === "string" ? e.request_id : undefined;
    switch (e.event) {
      case "backup_start_request": {
        const id = ref("backup");
        const configurationId = ref("configuration");
        if (id !== undefined && configurationId !== undefined) await this.#enqueueBackup(id, configurationId);
        return;
      }
      case "restore_start_request": {
        const id = ref("restore");
        if (id === undefined || this.#queue.has(id)) return;
        const spec = specFromEvent(e) ?? specFromResource(await this.ctx.session.client.restores.get(id));
        await this.#enqueue("restore", id, (signal) => runRestore(this.ctx, spec, signal));
        return;
      }
      case "cleanup_start_request": {
        const id = ref("cleanup");
        if (id === undefined || this.#queue.has(id)) return;
        const vault = this.#vault;
        if (vault === null) return;
        await this.#enqueue("cleanup", id, (signal) => runCleanup(this.ctx, { cleanupId: id, vault, configurations: this.#configurations }, signal));
        return;
      }
      case "backup_stop_request":
      case "restore_stop_request":
      case "cleanup_stop_request": {
        const kind = e.event.slice(0, e.event.indexOf("_")) as JobKind;
        const id = ref(kind);
        if (id !== undefined && !(await this.#queue.stop(id))) {
          // Not queued or running here (finished, or never delivered): it is stopped.
          await new JobReporter(this.ctx, kind, id).finish("stopped", {});
        }
        return;
      }
      case "configuration_changed":
        await this.#refreshConfiguration();
        return;
      case "agent_activate":
        if (e.mode === "idle" || e.mode === "active" || e.mode === "real_time") this.#mode = e.mode;
        return;
      case "vault_encryption_enable":
      case "vault_encryption_change": {
        if (requestId === undefined || this.#queue.has(requestId)) return;
        const vault = this.#vault;
        if (vault === null) return;
        this.#queue.push({
          id: requestId,
          kind: "encryption",
          run: async () => {
            await answerEncryption(this.ctx, e, vault.id);
            await Promise.race([this.ctx.outbox.drained(), pause(10_000)]); // the server flips vault.encrypted on our report
            await this.#refreshConfiguration().catch(() => undefined);
          },
          cancelled: async () => undefined,
        });
        return;
      }
      case "host_browse":
      case "backup_browse":
      case "vault_password_verify":
      case "logfile_upload": {
        if (requestId === undefined || this.#handledRequests.has(requestId)) return;
        this.#handledRequests.add(requestId);
        const own = this.#vault?.id ?? null;
        const task =
          e.event === "host_browse" ? answerHostBrowse(this.ctx, e) : e.event === "backup_browse" ? answerBackupBrowse(this.ctx, e, own) : e.event === "vault_password_verify" ? answerVerification(this.ctx, e, own) : answerLogfile(this.ctx, e);
        void task.catch((error: unknown) => this.ctx.log.warn(`${e.event} failed`, { error: (error as Error).message }));
        return;
      }
      default:
        return; // state events of our own jobs and other agents' news: nothing to do
    }
  }

  async #enqueue(kind: JobKind, id: string, run: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.#queue.has(id)) return;
    const reporter = new JobReporter(this.ctx, kind, id);
    // `queued` goes into the outbox before the job can run, so it never arrives after `preparing`.
    await reporter.state("queued");
    this.#queue.push({ id, kind, run, cancelled: () => reporter.finish("stopped", {}) });
  }

  async #enqueueBackup(backupId: string, configurationId: string): Promise<void> {
    if (this.#queue.has(backupId)) return;
    let configuration = this.#configurations.find((c) => c.id === configurationId);
    if (configuration === undefined) {
      await this.#refreshConfiguration();
      configuration = this.#configurations.find((c) => c.id === configurationId);
    }
    const vault = this.#vault;
    if (configuration === undefined || vault === null) {
      await new JobReporter(this.ctx, "backup", backupId).finish("failed", {}, { reason: "configuration_unavailable", diagnostics: `configuration ${configurationId} or the vault is not in this agent's configuration`, list: [] });
      return;
    }
    const c = configuration;
    await this.#enqueue("backup", backupId, (signal) => runBackup(this.ctx, { backupId, configuration: c, vault }, signal));
  }

  async #fireScheduled(configuration: ConfigurationEntry, time: number): Promise<void> {
    const backup = await this.ctx.session.client.backups.start(configuration.id, { scheduledBy: this.agentId });
    this.ctx.log.info("scheduled backup", { configuration: configuration.id, time: new Date(time).toISOString(), backup: backup.id, state: backup.state });
    if (backup.state === "start_scheduled") await this.#enqueueBackup(backup.id, configuration.id);
  }

  /** Job ids known to this process (for tests and status). */
  get busy(): boolean {
    return this.#queue.busy;
  }
}

/** Retries `task` with backoff until it succeeds; errors that retrying cannot fix are thrown. */
async function withBackoff<T>(log: Logger, what: string, task: () => Promise<T>): Promise<T> {
  const backoff = new Backoff(500, 15_000);
  for (;;) {
    try {
      return await task();
    } catch (error) {
      const name = (error as Error)?.name;
      const status = (error as { status?: number }).status;
      const transient = name === "NetworkError" || name === "TimeoutError" || status === 503 || status === 502 || status === 429;
      if (!transient) throw error;
      const delay = backoff.next();
      log.warn(`cannot ${what} yet; retrying`, { error: (error as Error).message, inMs: delay });
      await pause(delay);
    }
  }
}

export { StopRequested };
