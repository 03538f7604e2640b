// The one data-access interface every store module uses. Two drivers implement it: SQLite
// (better-sqlite3, the embedded default) and PostgreSQL (pg). SQL is written once, with `?`
// placeholders and a small portable subset (TEXT, BIGINT, INTEGER 0/1 booleans, RETURNING,
// ON CONFLICT); the PostgreSQL driver rewrites placeholders to `$n`.

/** A value bound to a SQL placeholder. Booleans are stored as 0/1; JSON as TEXT. */
export type SqlValue = string | number | null;

/** One result row, column name -> value. */
export type Row = Record<string, unknown>;

/** Anything that can run SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs a query and returns every row (SELECT, or a statement with RETURNING). */
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a query and returns its first row, or undefined. */
  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/** Which SQL engine is behind a {@link Database}; migrations use it for the few DDL differences. */
export type Dialect = "sqlite" | "postgres";

/** A connection (SQLite) or pool (PostgreSQL) with transactions. */
export interface Database extends Queryable {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws
   * (the error is rethrown). Transactions are not nested.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the connection or pool. */
  close(): Promise<void>;
}
