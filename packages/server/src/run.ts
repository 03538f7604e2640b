// Starting the API server as a program does: `startServer` (what a CLI such as `cairn server`
// embeds) creates the server, bootstraps identity from the environment, listens, prints the
// one-time credentials and returns a handle with `url` and `close`; `runServer` (what the
// `cairn-server` binary calls) does the same and also stops gracefully on SIGINT/SIGTERM.
import { mkdirSync } from "node:fs";
import type { Logger } from "pino";
import type { BootstrapResult } from "./auth/bootstrap.js";
import type { Dialect } from "./db/database.js";
import { createLogger } from "./logging.js";
import { createServer, type CairnServer, type ServerOptions } from "./server.js";

/** Options of {@link startServer} (and {@link runServer}). */
export interface StartOptions extends Omit<ServerOptions, "logger" | "bootstrap"> {
  /** Port to listen on; 0 picks a free one (read it from the handle's `port`/`url`). */
  port: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Environment to read CAIRN_ADMIN_USER / CAIRN_ADMIN_PASSWORD / CAIRN_PROJECT_ID / CAIRN_LOG_LEVEL from (default process.env). */
  env?: Record<string, string | undefined>;
  /** A pino logger (default: JSON lines on stdout at CAIRN_LOG_LEVEL, else `logLevel`, else info). */
  logger?: Logger;
  /** Log level of the default logger. */
  logLevel?: string;
  /**
   * Where first-start credentials are printed, once (default process.stderr); `false` prints
   * nothing — the caller then shows `handle.bootstrap` itself. Never the log.
   */
  credentialsOut?: NodeJS.WritableStream | false;
  /** Stop gracefully and exit the process on SIGINT/SIGTERM (startServer: default false; runServer: default true). */
  handleSignals?: boolean;
}

/** A listening server. */
export interface ServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8080` (identity at `/v2.0/tokens`, the API at `/v2/{project}`). */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  readonly host: string;
  /** `sqlite` or `postgres`. */
  readonly database: Dialect;
  /** Set when this start created the first project and admin (holds the one-time secrets). */
  readonly bootstrap: BootstrapResult | undefined;
  readonly server: CairnServer;
  /** Resolves once the server has stopped (after `close`, or a signal when `handleSignals`). */
  readonly closed: Promise<void>;
  /** Graceful stop: refuse new requests, finish in-flight ones, release long-polls, close the database. Idempotent. */
  close(): Promise<void>;
}

/** What {@link runServer} returns: a {@link ServerHandle}; `stop` is `close`. */
export interface RunningServer extends ServerHandle {
  stop(): Promise<void>;
}

/** @deprecated use {@link StartOptions}. */
export type RunOptions = StartOptions;

function printCredentials(out: NodeJS.WritableStream, b: BootstrapResult): void {
  out.write(
    [
      "",
      "Cairn: first start — created project and admin user. These credentials are shown only once:",
      `  project id: ${b.projectId}`,
      `  username:   ${b.username}`,
      ...(b.generatedPassword === undefined ? [] : [`  password:   ${b.generatedPassword}`]),
      `  API key:    ${b.apiKey}`,
      "",
    ].join("\n"),
  );
}

/**
 * Starts the API server and listens: `startServer({ port, dataDir, database })`.
 * @throws if the data directory cannot be created, the database cannot be opened or migrated,
 *   the bootstrap environment is invalid (RangeError), or the port cannot be bound — in every
 *   case nothing is left running.
 */
export async function startServer(options: StartOptions): Promise<ServerHandle> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ level: env.CAIRN_LOG_LEVEL ?? options.logLevel ?? "info" });
  mkdirSync(options.dataDir, { recursive: true });
  const { port, host = "127.0.0.1", env: _env, logger: _logger, logLevel: _level, credentialsOut, handleSignals, ...serverOptions } = options;
  const server = await createServer({
    ...serverOptions,
    logger,
    bootstrap: { adminUser: env.CAIRN_ADMIN_USER, adminPassword: env.CAIRN_ADMIN_PASSWORD, projectId: env.CAIRN_PROJECT_ID },
  });
  let url: string;
  try {
    url = await server.listen(port, host);
  } catch (error) {
    await server.close();
    throw error;
  }
  const bound = server.app.server.address();
  const actualPort = typeof bound === "object" && bound !== null ? bound.port : port;
  logger.info({ url, database: server.context.db.dialect, dataDir: options.dataDir }, "cairn server listening");
  const b = server.bootstrap;
  if (b !== undefined) {
    logger.info({ projectId: b.projectId, username: b.username }, "created the first project and its admin user");
    if (credentialsOut !== false) printCredentials(credentialsOut ?? process.stderr, b);
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let stopping: Promise<void> | undefined;
  const close = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("shutting down");
      try {
        await server.close();
        logger.info("stopped");
      } finally {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
        resolveClosed();
      }
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, "signal received");
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  if (handleSignals === true) {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  return { url, port: actualPort, host, database: server.context.db.dialect, bootstrap: b, server, closed, close };
}

/**
 * {@link startServer} with SIGINT/SIGTERM handling on by default (the `cairn-server` binary).
 * @throws as {@link startServer}.
 */
export async function runServer(options: StartOptions): Promise<RunningServer> {
  const handle = await startServer({ ...options, handleSignals: options.handleSignals ?? true });
  return { ...handle, stop: handle.close };
}
