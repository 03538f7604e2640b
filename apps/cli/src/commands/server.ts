// `cairn server`: run the Cloud Backup v2 API service. Delegates to @cairn/server's runServer
// (the same function the `cairn-server` binary calls), which owns bootstrap, listening and the
// SIGINT/SIGTERM graceful shutdown; this command only maps options.
import type { Command } from "commander";
import { CliError } from "../cli/cliError.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { parsePort } from "../options/numbers.js";

export function registerServer(program: Command, env: CommandEnv): void {
  program
    .command("server")
    .description("run the Cairn API server (Cloud Backup v2) on SQLite or PostgreSQL")
    .requiredOption("--port <port>", "port to listen on (0: any free port)", parsePort)
    .requiredOption("--data-dir <dir>", "data directory (SQLite database, vault data)")
    .option("--database <url>", "postgres://… URL (default: a SQLite file in the data directory)")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--public-url <url>", "base URL clients use (for links and the service catalog)")
    .option("--region <name>", "region name in the service catalog", "LOCAL")
    .addHelpText(
      "after",
      "\nOn first start with an empty database, CAIRN_ADMIN_USER and CAIRN_ADMIN_PASSWORD create the first admin;\nwithout them a password and an API key are generated and printed once on stderr.\n\nExample:\n  cairn server --port 8080 --data-dir /var/lib/cairn",
    )
    .action(
      runAction(
        env,
        async (session, _args, o) => {
          // Loaded here, not at start-up: the server's dependencies (fastify, SQLite, pg) take most of a second to load.
          const { runServer } = await import("@cairn/server");
          let running;
          try {
            running = await runServer({
              port: o.port as number,
              host: o.host as string,
              dataDir: o.dataDir as string,
              region: o.region as string,
              env: session.env,
              ...(o.database === undefined ? {} : { database: o.database as string }),
              ...(o.publicUrl === undefined ? {} : { publicUrl: o.publicUrl as string }),
            });
          } catch (error) {
            throw listenError(error, o.host as string, o.port as number);
          }
          session.out.note(`cairn server listening on ${running.url} (Ctrl-C stops it)`);
          // runServer's signal handlers stop the server and exit the process.
          await new Promise<never>(() => undefined);
        },
        { signals: false },
      ),
    );
}

/** A clear message for the two ways listening fails; other errors pass through. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "EADDRINUSE") return new CliError(`port ${port} on ${host} is already in use`, { code: "port-in-use", hint: "stop what listens there (another cairn server?), or pass --port with another port (0: any free one)", cause: error });
  if (code === "EACCES") return new CliError(`not allowed to listen on port ${port} of ${host}`, { code: "port-denied", hint: "ports below 1024 need privileges: pass --port 1024 or higher", cause: error });
  if (code === "EADDRNOTAVAIL") return new CliError(`${host} is not an address of this machine`, { code: "bad-host", hint: "pass --host 127.0.0.1, or 0.0.0.0 for every interface", cause: error });
  return error;
}
