// createServer: the fastify application with its database, stores, event bus and scheduler.
import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { bootstrapIdentity, type BootstrapInput, type BootstrapResult } from "./auth/bootstrap.js";
import type { ScryptCost } from "./auth/passwords.js";
import { systemClock, type Clock } from "./clock.js";
import { createContext, type AppContext, type ServerSettings } from "./context.js";
import type { Database } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { openDatabase } from "./db/open.js";
import { EventBus } from "./events/eventBus.js";
import { installErrorHandlers } from "./http/errorHandler.js";
import { rewriteUrl } from "./http/rewrite.js";
import { RouteMatcher, type RegisteredRoute } from "./http/routeMatcher.js";
import { validatorCompiler } from "./http/validation.js";
import { buildOpenApi } from "./openapi/generate.js";
import { registerAllRoutes } from "./routes/index.js";
import { Scheduler } from "./schedule/scheduler.js";
import { SERVER_VERSION } from "./version.js";

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** Data directory (SQLite file default location, vault data). */
  dataDir: string;
  /** `postgres://…` URL, a SQLite file path, or an already open {@link Database}. Default: `<dataDir>/cairn.sqlite`. */
  database?: string | Database;
  /** PostgreSQL schema to use (created if missing); default the server's search_path. */
  databaseSchema?: string;
  /** PostgreSQL connection pool size (default 10). */
  databasePoolSize?: number;
  clock?: Clock;
  /** A pino logger, or false for none (default none). */
  logger?: Logger | false;
  /** First-start identity bootstrap (see `bootstrapIdentity`); default: none. */
  bootstrap?: BootstrapInput;
  /** Start the scheduler's timer (default true); tests call `scheduler.tick()` instead. */
  startScheduler?: boolean;
  publicUrl?: string;
  region?: string;
  tokenTtlMs?: number;
  agentTokenTtlMs?: number;
  eventRetentionMs?: number;
  requestRetentionMs?: number;
  longPollMaxMs?: number;
  activationMs?: number;
  missedGraceMs?: number;
  bodyLimit?: number;
  /** scrypt cost for new password hashes (tests lower it). */
  scryptCost?: ScryptCost;
  /** How often waiting long-polls re-check the database (multi-instance deployments). */
  longPollRecheckMs?: number;
  /**
   * How long a resolved token or role is reused without a query (default 5000 ms; 0 = off).
   * With several instances, a revocation on another instance takes effect here within this time.
   */
  authCacheMs?: number;
}

/** A created server. */
export interface CairnServer {
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly scheduler: Scheduler;
  /** Every registered route (method, URL pattern, schemas, metadata). */
  readonly routes: readonly RegisteredRoute[];
  /** This server's OpenAPI 3.1 document. */
  openapi(): Record<string, unknown>;
  /** Set when this start created the first project and admin. */
  readonly bootstrap: BootstrapResult | undefined;
  /** Listens on `port` (0 = any) and `host`; returns the base URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting requests, releases long-polls, stops the scheduler, closes the database (when it opened it). */
  close(): Promise<void>;
}

function settingsFrom(options: ServerOptions): ServerSettings {
  return {
    dataDir: options.dataDir,
    publicUrl: options.publicUrl,
    region: options.region ?? "LOCAL",
    tokenTtlMs: options.tokenTtlMs ?? 24 * 3_600_000,
    agentTokenTtlMs: options.agentTokenTtlMs ?? 24 * 3_600_000,
    eventRetentionMs: options.eventRetentionMs ?? 24 * 3_600_000,
    requestRetentionMs: options.requestRetentionMs ?? 24 * 3_600_000,
    longPollMaxMs: options.longPollMaxMs ?? 60_000,
    activationMs: options.activationMs ?? 10 * 60_000,
    missedGraceMs: options.missedGraceMs ?? 10 * 60_000,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    scryptCost: options.scryptCost,
    authCacheMs: options.authCacheMs ?? 5_000,
  };
}

/**
 * Creates the API server: opens and migrates the database, bootstraps identity on first start,
 * registers every route. Does not listen; call `listen` (or use `app.inject` in tests).
 * @throws if the database cannot be opened or migrated, or the bootstrap input is invalid
 *   (RangeError; nothing is left open).
 */
export async function createServer(options: ServerOptions): Promise<CairnServer> {
  const clock = options.clock ?? systemClock;
  const settings = settingsFrom(options);
  const ownsDatabase = typeof options.database !== "object";
  const db =
    typeof options.database === "object"
      ? options.database
      : await openDatabase({
          dataDir: options.dataDir,
          ...(options.database === undefined ? {} : { database: options.database }),
          ...(options.databaseSchema === undefined ? {} : { schema: options.databaseSchema }),
          ...(options.databasePoolSize === undefined ? {} : { poolSize: options.databasePoolSize }),
        });
  if (!ownsDatabase) await migrate(db);

  const routes = new RouteMatcher();
  const app: FastifyInstance = fastify({
    ...(options.logger ? { loggerInstance: options.logger as unknown as FastifyBaseLogger } : { logger: false }),
    bodyLimit: settings.bodyLimit,
    rewriteUrl: (req) => rewriteUrl(req.url ?? "/", req.headers["x-project-id"]),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    forceCloseConnections: true,
    // One access-log line per request (below), instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, "request");
  });
  app.setValidatorCompiler(validatorCompiler);
  app.addHook("onRoute", (route) => routes.add(route));
  app.decorateRequest("cairnAuth", null);
  // JSON with prototype-poisoning protection; an empty body is "no body" (e.g. POST /logfiles
  // sent with Content-Type: application/json), left to the route's schema to judge.
  const jsonParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  const lenientJson: Parameters<typeof app.addContentTypeParser>[2] = (request, body, done) => {
    if (body.length === 0) (done as (e: Error | null, b?: unknown) => void)(null, undefined);
    else (jsonParser as (r: unknown, b: string, d: unknown) => void)(request, body as string, done);
  };
  app.addContentTypeParser("application/json", { parseAs: "string" }, lenientJson);
  app.addContentTypeParser("application/json-patch+json", { parseAs: "string" }, lenientJson);
  // JSON only (spec §1.2): a text/plain body is a 415, not a string handed to the schema.
  app.removeContentTypeParser("text/plain");
  app.addHook("onSend", async (_request, reply, payload) => {
    void reply.header("cache-control", "no-store");
    return payload;
  });

  const bus = new EventBus(clock, options.longPollRecheckMs);
  const context = createContext(db, clock, bus, settings, app.log);
  installErrorHandlers(app, settings.bodyLimit, routes);
  let openapiCache: Record<string, unknown> | undefined;
  const openapi = (): Record<string, unknown> => (openapiCache ??= buildOpenApi(routes.routes, SERVER_VERSION));
  registerAllRoutes(app, context, openapi);
  await app.ready();

  const scheduler = new Scheduler(context);
  let bootstrap: BootstrapResult | undefined;
  try {
    bootstrap = options.bootstrap === undefined ? undefined : await bootstrapIdentity(context.stores.identity, options.bootstrap);
  } catch (error) {
    bus.close();
    await app.close();
    if (ownsDatabase) await db.close();
    throw error;
  }
  if (options.startScheduler !== false) scheduler.start();

  let closed = false;
  return {
    app,
    context,
    scheduler,
    routes: routes.routes,
    openapi,
    bootstrap,
    async listen(port, host = "127.0.0.1") {
      return app.listen({ port, host });
    },
    async close() {
      if (closed) return;
      closed = true;
      scheduler.stop();
      bus.close();
      await app.close();
      if (ownsDatabase) await db.close();
    },
  };
}

