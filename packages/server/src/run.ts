// runServer: what `cairn-server` (and later `cairn server`) calls — create, bootstrap from the
// environment, listen, print one-time credentials, and shut down gracefully on SIGINT/SIGTERM.
import { mkdirSync } from "node:fs";
import type { Logger } from "pino";
import { createLogger } from "./logging.js";
import { createServer, type CairnServer, type ServerOptions } from "./server.js";

/** Options of {@link runServer}. */
export interface RunOptions extends Omit<ServerOptions, "logger" | "bootstrap"> {
  port: number;
  host?: string;
  /** Environment to read CAIRN_ADMIN_USER / CAIRN_ADMIN_PASSWORD / CAIRN_PROJECT_ID from (default process.env). */
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Where one-time credentials are printed (default process.stderr); never the log. */
  credentialsOut?: NodeJS.WritableStream;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
}

/** A running server. */
export interface RunningServer {
  server: CairnServer;
  url: string;
  /** Graceful stop: finish in-flight requests, release long-polls, close the database. */
  stop(): Promise<void>;
}

/**
 * Starts the API server and listens.
 * @throws if the database cannot be opened or the port cannot be bound.
 */
export async function runServer(options: RunOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ level: env.CAIRN_LOG_LEVEL ?? "info" });
  mkdirSync(options.dataDir, { recursive: true });
  const server = await createServer({
    ...options,
    logger,
    bootstrap: { adminUser: env.CAIRN_ADMIN_USER, adminPassword: env.CAIRN_ADMIN_PASSWORD, projectId: env.CAIRN_PROJECT_ID },
  });
  const url = await server.listen(options.port, options.host ?? "127.0.0.1");
  logger.info({ url, database: server.context.db.dialect, dataDir: options.dataDir }, "cairn server listening");
  const b = server.bootstrap;
  if (b !== undefined) {
    logger.info({ projectId: b.projectId, username: b.username }, "created the first project and its admin user");
    const out = options.credentialsOut ?? process.stderr;
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
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info("shutting down");
      await server.close();
      logger.info("stopped");
    })();
    return stopping;
  };
  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, "signal received");
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  return { server, url, stop };
}
