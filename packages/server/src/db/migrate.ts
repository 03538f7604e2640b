// Versioned migrations: each runs once, in order, inside a transaction, and is recorded in
// `cairn_migrations`. A database newer than this code (an unknown version) is refused.
import type { Database, Dialect } from "./database.js";
import { initialSchema } from "./migrations/001_initial.js";
import { feedIndexes } from "./migrations/002_feed_indexes.js";

/** One schema step. `up` returns DDL statements for the given dialect. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(dialect: Dialect): readonly string[];
}

/** Every migration, in version order. */
export const migrations: readonly Migration[] = [initialSchema, feedIndexes];

/**
 * Brings the schema up to date and returns the versions it applied.
 * @throws if the database has a version this code does not know (it was written by a newer Cairn).
 */
export async function migrate(db: Database, steps: readonly Migration[] = migrations): Promise<number[]> {
  await db.run(`CREATE TABLE IF NOT EXISTS cairn_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
  const applied = new Set((await db.all<{ version: number }>(`SELECT version FROM cairn_migrations`)).map((r) => Number(r.version)));
  const known = new Set(steps.map((s) => s.version));
  for (const version of applied) {
    if (!known.has(version)) throw new Error(`database schema version ${version} is newer than this server understands; upgrade Cairn`);
  }
  const done: number[] = [];
  for (const step of [...steps].sort((a, b) => a.version - b.version)) {
    if (applied.has(step.version)) continue;
    await db.transaction(async (tx) => {
      for (const sql of step.up(db.dialect)) await tx.run(sql);
      await tx.run(`INSERT INTO cairn_migrations (version, name, applied_at) VALUES (?, ?, ?)`, [step.version, step.name, Date.now()]);
    });
    done.push(step.version);
  }
  return done;
}
