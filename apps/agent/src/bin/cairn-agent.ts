#!/usr/bin/env node
// cairn-agent --server URL --data-dir DIR [--name NAME]
// First start: CAIRN_USER + CAIRN_PASSWORD (or CAIRN_API_KEY) register the agent; later starts
// use the identity in the data directory. SIGINT/SIGTERM stop it gracefully.
import { Command } from "commander";
import { Agent } from "../agent.js";
import { offsetFileClock, systemClock } from "../clock.js";
import { AGENT_VERSION } from "../version.js";

const program = new Command()
  .name("cairn-agent")
  .description("Cairn backup agent: registers with a Cairn server, runs scheduled and requested backups, restores and cleanups")
  .version(AGENT_VERSION)
  .requiredOption("--server <url>", "the Cairn server, e.g. http://127.0.0.1:8080")
  .requiredOption("--data-dir <dir>", "where the agent keeps its identity, key, state and log")
  .option("--name <name>", "display name at registration (default: the host name)")
  .option("--log-level <level>", "debug | info | warn | error", "info")
  .option("--workers <n>", "backup worker threads (default: one per core)", (v) => Number(v))
  .option("--fast-kdf", "test only: cheap KDF for vault password key slots")
  .option("--clock-offset-file <path>", "test only: add the milliseconds written in this file to the clock");

program.parse();
const o = program.opts<{ server: string; dataDir: string; name?: string; logLevel: "debug" | "info" | "warn" | "error"; workers?: number; fastKdf?: boolean; clockOffsetFile?: string }>();

async function main(): Promise<void> {
  if (o.clockOffsetFile !== undefined) process.stderr.write("cairn-agent: --clock-offset-file is for tests: the clock is shifted\n");
  if (o.fastKdf === true) process.stderr.write("cairn-agent: --fast-kdf is for tests: vault passwords get a weak KDF\n");
  const agent = await Agent.start({
    serverUrl: o.server,
    dataDir: o.dataDir,
    logLevel: o.logLevel,
    clock: o.clockOffsetFile === undefined ? systemClock : offsetFileClock(o.clockOffsetFile),
    ...(o.name === undefined ? {} : { name: o.name }),
    ...(o.workers === undefined ? {} : { workers: o.workers }),
    ...(o.fastKdf === true ? { kdf: { algorithm: "argon2id" as const, memoryKiB: 1024, iterations: 1, parallelism: 1 } } : {}),
  });
  process.stdout.write(`${JSON.stringify({ msg: "cairn-agent running", agentId: agent.agentId })}\n`);
  const onSignal = (): void => {
    agent.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(`cairn-agent: ${(error as Error).message}\n`);
  process.exit(1);
});
