// SQLite driver (better-sqlite3 12, synchronous). One connection per server; WAL mode.
// Because the connection is shared, an open transaction holds a lock that every other query
// waits for, so an async transaction body never sees another request's writes interleaved.
// Queries issued from inside the transaction's own async context (even through the plain
// database handle) run directly, so a transaction body can never deadlock on itself.
import { AsyncLocalStorage } from "node:async_hooks";
import BetterSqlite3 from "better-sqlite3";
import type { Database, Queryable, Row, SqlValue } from "./database.js";

type Statement = BetterSqlite3.Statement<unknown[], Row>;

/** Options for {@link openSqlite}. */
export interface SqliteOptions {
  /** Database file path, or ":memory:". */
  filename: string;
  /** How long a query waits for another process's lock before failing with SQLITE_BUSY (default 5000 ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a SQLite database file.
 * @throws if the file cannot be opened.
 */
export function openSqlite(options: SqliteOptions): Database {
  const db = new BetterSqlite3(options.filename);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  db.pragma("foreign_keys = ON");
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let stmt = statements.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare(sql) as Statement;
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const direct: Queryable = {
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).all(...params) as T[];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (!stmt.reader) {
        stmt.run(...params);
        return undefined;
      }
      return stmt.get(...params) as T | undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (stmt.reader) {
        stmt.all(...params);
        return { changes: 0 };
      }
      return { changes: stmt.run(...params).changes };
    },
  };

  let lock: Promise<void> = Promise.resolve();
  let locked = false;
  const inTransaction = new AsyncLocalStorage<boolean>();
  const whenFree = async (): Promise<void> => {
    while (locked && inTransaction.getStore() !== true) await lock;
  };

  return {
    dialect: "sqlite",
    async all(sql, params) {
      if (locked) await whenFree();
      return direct.all(sql, params);
    },
    async get(sql, params) {
      if (locked) await whenFree();
      return direct.get(sql, params);
    },
    async run(sql, params) {
      if (locked) await whenFree();
      return direct.run(sql, params);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      if (inTransaction.getStore() === true) throw new Error("nested transactions are not supported");
      await whenFree();
      locked = true;
      let release!: () => void;
      lock = new Promise<void>((resolve) => (release = resolve));
      try {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await inTransaction.run(true, () => fn(direct));
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw error;
        }
      } finally {
        locked = false;
        release();
      }
    },
    async close() {
      await whenFree();
      statements.clear();
      db.close();
    },
  };
}
