// Runs a suite against every database driver: SQLite always; PostgreSQL when
// CAIRN_TEST_POSTGRES_URL is set (CI sets it; see scripts/postgres-test-server.sh). Without
// it the PostgreSQL variant is reported as skipped, loudly.
import { describe } from "vitest";

/** A database driver under test. */
export interface Driver {
  name: "sqlite" | "postgres";
  /** postgres:// URL (postgres only). */
  url?: string;
}

const postgresUrl = process.env.CAIRN_TEST_POSTGRES_URL;
let warned = false;

/** The drivers to run. */
export function drivers(): Driver[] {
  const list: Driver[] = [{ name: "sqlite" }];
  if (postgresUrl !== undefined && postgresUrl.length > 0) list.push({ name: "postgres", url: postgresUrl });
  return list;
}

/** `describe` once per driver (PostgreSQL skipped — loudly — without CAIRN_TEST_POSTGRES_URL). */
export function describeDrivers(title: string, body: (driver: Driver) => void): void {
  for (const driver of drivers()) describe(`${title} [${driver.name}]`, () => body(driver));
  if (postgresUrl === undefined || postgresUrl.length === 0) {
    if (!warned) {
      warned = true;
      process.stderr.write(
        "\n" +
          "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n" +
          "!! CAIRN_TEST_POSTGRES_URL is not set: the PostgreSQL variant of the server suite is SKIPPED.\n" +
          "!! Start one with: eval \"$(bash packages/server/scripts/postgres-test-server.sh start)\"\n" +
          "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n",
      );
    }
    describe.skip(`${title} [postgres: SKIPPED — CAIRN_TEST_POSTGRES_URL not set]`, () => body({ name: "postgres" }));
  }
}
