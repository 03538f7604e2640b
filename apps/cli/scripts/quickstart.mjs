#!/usr/bin/env node
// The whole service in one command, on the embedded defaults (the README's main job):
//   1. `cairn server` on a loopback port: SQLite and the agents' vaults in a data directory;
//   2. one local `cairn-agent`, which registers itself with the server;
//   3. a sample folder, and a configuration for it (`cairn configs create`: an inclusion, an
//      exclusion, a daily schedule);
//   4. a first backup (`cairn backups start … --wait`), a change, and an incremental backup that
//      stores only the changed part;
//   5. `cairn activity`, then a restore to another folder (`cairn restores start latest …`),
//      compared byte for byte with the source;
//   6. prints the commands to see the activity and restore it yourself.
// Every step is the real `cairn` CLI talking to the real server over HTTP, as a user would.
//
//   node apps/cli/scripts/quickstart.mjs [--serve] [--keep] [--port N]
//   npx pnpm@10.34.9 main [--serve]        (builds first)
//
// It then stops the agent and the server and exits (0 only if the restore matched), so it can
// run unattended. With --serve it keeps them running until Ctrl-C instead, so the printed
// commands work from another terminal. The data lives in a temporary directory, removed at the
// end unless --keep.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bytes, compareInventories, inventory, makeSample, mib } from "./lib/sample.mjs";

const CLI = fileURLToPath(new URL("../dist/bin/cairn.js", import.meta.url));
const AGENT = join(dirname(createRequire(import.meta.url).resolve("@cairn/agent/package.json")), "dist", "bin", "cairn-agent.js");
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const serve = args.includes("--serve");
const portArg = args.indexOf("--port");
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;

for (const bin of [CLI, AGENT]) {
  if (!existsSync(bin)) {
    console.error(`quickstart: ${bin} is missing: build first with  npx pnpm@10.34.9 build`);
    process.exit(1);
  }
}

// A throwaway local admin: the password is random for each run and printed, because the person
// running the quickstart needs it for the commands it suggests.
const admin = { user: "admin", password: randomBytes(12).toString("base64url") };
const work = await mkdtemp(join(tmpdir(), "cairn-quickstart-"));
const sample = join(work, "sample");
const children = [];
let serverUrl;

function step(text) {
  console.log(`\n== ${text}`);
}

/** Starts a long-running child with its output in a log file; resolves once `ready(log)` matches. */
async function startChild(name, argv, env, ready) {
  const logPath = join(work, `${name}.log`);
  const fd = openSync(logPath, "a");
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ["ignore", fd, fd] });
  children.push(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const log = readFileSync(logPath, "utf8");
    const found = ready(log);
    if (found !== undefined) return { child, found, logPath };
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${name} did not start within 60 s:\n${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const apiEnv = () => ({ CAIRN_SERVER: serverUrl, CAIRN_USER: admin.user, CAIRN_PASSWORD: admin.password });

/** Runs `cairn ARGS` against the server, echoing the command and its output. */
function cairn(argv, { expect = 0, json = false } = {}) {
  console.log(`$ cairn ${argv.join(" ")}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...argv, ...(json ? ["--json"] : [])], { env: { ...process.env, ...apiEnv() }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== expect) {
    console.error(r.stdout, r.stderr);
    throw new Error(`cairn ${argv[0]} exited ${r.status} (expected ${expect})`);
  }
  if (!json) process.stdout.write(r.stdout.replace(/^(?=.)/gm, "  ").replace(/\n+$/, "\n"));
  return { json: json ? JSON.parse(r.stdout) : undefined, seconds };
}

async function stopAll() {
  // The agent first (it reports its shutdown to the server), then the server.
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

let ok = false;
try {
  step(`starting cairn server (SQLite and vaults in ${join(work, "server")})`);
  const server = await startChild("server", [CLI, "server", "--port", String(port), "--data-dir", join(work, "server")], { CAIRN_ADMIN_USER: admin.user, CAIRN_ADMIN_PASSWORD: admin.password, CAIRN_PROJECT_ID: "100100", CAIRN_LOG_LEVEL: "warn" }, (log) => /listening on (http:\/\/\S+)/.exec(log)?.[1]);
  serverUrl = server.found;
  console.log(`  listening on ${serverUrl}; log: ${server.logPath}`);

  step("starting one local cairn-agent (it registers itself with the server)");
  const agent = await startChild("agent", [AGENT, "--server", serverUrl, "--data-dir", join(work, "agent"), "--name", "quickstart-agent"], { CAIRN_USER: admin.user, CAIRN_PASSWORD: admin.password }, (log) => /"msg":"cairn-agent running","agentId":"([^"]+)"/.exec(log)?.[1]);
  console.log(`  agent ${agent.found}; log: ${agent.logPath}`);
  cairn(["agents"]);

  step(`a sample folder to back up: ${sample}`);
  await makeSample(sample);
  await mkdir(join(sample, "cache"));
  await writeFile(join(sample, "cache", "scratch.bin"), bytes(9, 1024 * 1024));
  console.log("  docs/, media/photo.raw (6 MiB), a script, a symlink, an empty file; cache/ is excluded");

  step("a backup configuration: what, when, for how long");
  cairn(["configs", "create", "--name", "sample", "--include", sample, "--exclude", join(sample, "cache"), "--schedule", "daily@02:30", "--retention-days", "30", "--notify", "you@example.com"]);

  step("first backup, started now instead of waiting for 02:30");
  const b1 = cairn(["backups", "start", "sample", "--wait"], { json: true });
  console.log(`  ${b1.json.state} in ${b1.seconds.toFixed(1)} s: ${b1.json.files_searched} files searched, ${mib(b1.json.bytes_backed_up)} new, ${mib(b1.json.bytes_in_db)} in the vault`);

  step("changing 16 bytes in the middle of media/photo.raw, then backing up again");
  const fh = await open(join(sample, "media", "photo.raw"), "r+");
  await fh.write(Buffer.from("changed-by-demo!"), 0, 16, 3 * 1024 * 1024);
  await fh.close();
  const b2 = cairn(["backups", "start", "sample", "--wait"], { json: true });
  console.log(`  ${b2.json.state} in ${b2.seconds.toFixed(1)} s: ${mib(b2.json.bytes_backed_up)} new (only the changed chunk of the 6 MiB file), ${mib(b2.json.bytes_in_db)} in the vault`);

  step("what happened (activity)");
  cairn(["activity"]);

  const target = join(work, "restored");
  step(`restoring the latest backup into ${target}`);
  cairn(["restores", "start", "latest", "--config", "sample", "--path", target, "--wait"]);
  const expected = await inventory(sample);
  expected.delete("cache");
  expected.delete("cache/scratch.bin");
  const problems = compareInventories(expected, await inventory(join(target, sample)));
  for (const p of problems) console.log(`  MISMATCH ${p}`);
  ok = problems.length === 0;
  console.log(ok ? `  all ${expected.size} entries identical to the source (content, size, mode, symlink targets; cache/ excluded)` : `  ${problems.length} mismatches`);

  const commands = [
    "cairn activity                                   # every backup, restore and cleanup",
    `cairn backups show ${b2.json.id}`,
    "cairn restores start latest --config sample --path /tmp/cairn-restore --wait",
    `cairn restores start latest --include ${join(sample, "docs")} --overwrite --wait   # in place`,
    "cairn cleanups start --wait                      # apply the 30-day retention now",
    "cairn configs show sample",
    "cairn --help",
  ];
  if (serve) {
    step("try it yourself, from another terminal");
    console.log(`  alias cairn="node ${CLI}"`);
    console.log(`  export CAIRN_SERVER=${serverUrl} CAIRN_USER=${admin.user} CAIRN_PASSWORD=${admin.password}`);
    for (const line of commands) console.log(`  ${line}`);
  } else {
    step("try it yourself");
    console.log("  npx pnpm@10.34.9 main --serve    (or this script with --serve): the same, then the server and the agent");
    console.log("  keep running until Ctrl-C, and it prints their address and password; from another terminal then:");
    for (const line of commands.filter((c) => !c.startsWith("cairn backups show"))) console.log(`  ${line.replace(join(sample, "docs"), "SAMPLE/docs")}`);
  }
  console.log(ok ? "\nquickstart OK" : "\nquickstart FAILED");
  if (ok && serve) {
    console.log(`\nserver and agent keep running (data in ${work}); Ctrl-C stops them.`);
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
  }
} catch (error) {
  console.error(`quickstart failed: ${error.message}`);
  ok = false;
} finally {
  await stopAll();
  if (keep) console.log(`(kept ${work})`);
  else await rm(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
