// @cairn/server: the Cloud Backup v2 API service (Node only).
export { createServer, type CairnServer, type ServerOptions } from "./server.js";
export type { RegisteredRoute } from "./http/routeMatcher.js";
export type { RouteSpec } from "./http/route.js";
export { runServer, startServer, type RunOptions, type RunningServer, type ServerHandle, type StartOptions } from "./run.js";
export { manualClock, systemClock, type Clock, type ManualClock } from "./clock.js";
export { openDatabase, isPostgresUrl, type DatabaseLocation } from "./db/open.js";
export { migrate, migrations, type Migration } from "./db/migrate.js";
export type { Database, Dialect, Queryable, Row, SqlValue } from "./db/database.js";
export { IdentityStore, type Membership, type TokenIdentity, type User } from "./auth/identityStore.js";
export { bootstrapIdentity, type BootstrapInput, type BootstrapResult } from "./auth/bootstrap.js";
export { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword, type ScryptCost } from "./auth/passwords.js";
export { parseRole, type Role } from "./auth/roles.js";
export { nextOccurrences, occurrencesBetween, parseRecurrence, RecurrenceError, type RecurrenceRule, type Schedule } from "./schedule/rrule.js";
export { isValidTimeZone } from "./schedule/zoned.js";
export { checkTransition, isRestorable, isTerminal, type ActivityKind, type JobState } from "./state/machines.js";
export { buildOpenApi } from "./openapi/generate.js";
export { createLogger } from "./logging.js";
export { SERVER_VERSION } from "./version.js";
