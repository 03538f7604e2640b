// Opens the configured database: a `postgres://` URL selects PostgreSQL, anything else is a
// SQLite file path (default `<dataDir>/cairn.sqlite`).
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Database } from "./database.js";
import { migrate } from "./migrate.js";
import { openPostgres } from "./postgres.js";
import { openSqlite } from "./sqlite.js";

/** Where the API state lives. */
export interface DatabaseLocation {
  /** `postgres://…` / `postgresql://…`, a SQLite file path, or undefined for `<dataDir>/cairn.sqlite`. */
  database?: string;
  /** Data directory (SQLite default location). */
  dataDir: string;
  /** PostgreSQL schema (tests use one per run). */
  schema?: string;
  /** PostgreSQL connection pool size (default 10). */
  poolSize?: number;
}

/** True when `url` names a PostgreSQL server. */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens and migrates the database.
 * @throws if it cannot be opened or migrated.
 */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  let db: Database;
  if (isPostgresUrl(location.database)) {
    db = await openPostgres({
      url: location.database,
      ...(location.schema === undefined ? {} : { schema: location.schema }),
      ...(location.poolSize === undefined ? {} : { maxConnections: location.poolSize }),
    });
  } else {
    const filename = location.database ?? join(location.dataDir, "cairn.sqlite");
    if (filename !== ":memory:") mkdirSync(dirname(filename), { recursive: true });
    db = openSqlite({ filename });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
