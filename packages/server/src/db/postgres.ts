// PostgreSQL driver (pg). A pool; BIGINT (int8) and NUMERIC come back as JS numbers (our
// values — epoch milliseconds, counters, byte sizes — stay below 2^53).
import pg from "pg";
import type { Database, Queryable, SqlValue } from "./database.js";
import { toNumberedPlaceholders } from "./placeholders.js";

/** Options for {@link openPostgres}. */
export interface PostgresOptions {
  /** A `postgres://` connection URL. */
  url: string;
  /** Schema to create (if missing) and use as search_path; default: the server's default. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(toNumberedPlaceholders(sql), params as SqlValue[]);
      return result.rows as T[];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(toNumberedPlaceholders(sql), params as SqlValue[]);
      return result.rows[0] as T | undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(toNumberedPlaceholders(sql), params as SqlValue[]);
      return { changes: result.rowCount ?? 0 };
    },
  };
}

/** Validates a schema name (it is interpolated into DDL). */
function checkSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`expected a lower-case SQL identifier as schema, got ${JSON.stringify(schema)}`);
  return schema;
}

/**
 * Connects a pool to PostgreSQL (and creates the schema when one is given).
 * @throws if the server cannot be reached.
 */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const schema = options.schema === undefined ? undefined : checkSchema(options.schema);
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: options.url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  await pool.query("SELECT 1");
  const base = queryable(pool);
  return {
    dialect: "postgres",
    ...base,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        try {
          const result = await fn(queryable(client));
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
