#!/usr/bin/env node
// cairn-server --port PORT --data-dir DIR [--database postgres://…] [--database-pool N] [--host HOST] [--public-url URL]
import { Command, InvalidArgumentError } from "commander";
import { runServer } from "../run.js";
import { SERVER_VERSION } from "../version.js";

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("expected a port number 0-65535");
  return n;
};

const program = new Command()
  .name("cairn-server")
  .description("Cairn's Cloud Backup v2 API server")
  .version(SERVER_VERSION)
  .requiredOption("--port <port>", "port to listen on", port)
  .requiredOption("--data-dir <dir>", "data directory (SQLite database, vault data)")
  .option("--database <url>", "postgres://… URL (default: SQLite file in the data directory)")
  .option("--database-pool <n>", "PostgreSQL connection pool size", (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError("expected a pool size 1-1000");
    return n;
  })
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--public-url <url>", "base URL clients use (for links and the service catalog)")
  .option("--region <name>", "region name in the service catalog", "LOCAL");

program.parse();
const o = program.opts<{ port: number; dataDir: string; database?: string; databasePool?: number; host: string; publicUrl?: string; region: string }>();

runServer({
  port: o.port,
  host: o.host,
  dataDir: o.dataDir,
  region: o.region,
  ...(o.database === undefined ? {} : { database: o.database }),
  ...(o.databasePool === undefined ? {} : { databasePoolSize: o.databasePool }),
  ...(o.publicUrl === undefined ? {} : { publicUrl: o.publicUrl }),
}).catch((error: unknown) => {
  process.stderr.write(`cairn-server: ${(error as Error).message}\n`);
  process.exit(1);
});
