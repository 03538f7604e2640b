#!/usr/bin/env node
// Load benchmark of the API service: a real `cairn-server` process (SQLite, and PostgreSQL when
// CAIRN_TEST_POSTGRES_URL is set) under
//   - N agents (default 200), each long-polling its event feed (GET /agents/{id}/events?wait=30)
//     and posting a heartbeat every --heartbeat-ms (default 1000 ms); an agent that receives a
//     backup_start_request reports the backup completed (PATCH /backups/{id}, the final report);
//   - M clients (default 20), each alternating GET /activities?limit=100 and POST /backups
//     (a manual run of one of its agents' configurations), one request every --client-interval-ms
//     (default 100 ms, i.e. 10 requests/s per client).
// After a warm-up, every request is timed for a fixed duration (20 s; --quick: 5 s). It prints
// one JSON line per database and request kind, then a table: requests, requests/s, p50/p90/p99
// and max latency in ms, errors. `delivery` is the time from a client sending POST /backups to
// the agent holding the backup_start_request (through its long-poll). `server_p50/p99` are the
// server's own handling times of the same requests, from its access log. Results are checked
// as they come (status codes, bodies); the benchmark prints, it asserts nothing.
//
//   node benchmarks/server/load.mjs [--quick] [--json] [--db sqlite,postgres] [--duration 20]
//        [--agents 200] [--clients 20] [--heartbeat-ms 1000] [--client-interval-ms 100]
//        [--log-level info] [--pool N (PostgreSQL pool size)] [--profile] [--max-runs 3] [--noisy-cores 0.5] [--wait-quiet 0]
//
// Needs the server built: npx pnpm@10.34.9 --filter @cairn/server build
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { machineCpuSeconds, processCpuSeconds, startServerProcess } from "./serverProcess.mjs";
import { summariseProfile } from "./profile.mjs";
import { readFileSync } from "node:fs";
import { setMaxListeners } from "node:events";
import http from "node:http";
import { Recorder, summarise, table } from "./stats.mjs";

function parseArgs(argv) {
  const value = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const quick = argv.includes("--quick");
  const pg = process.env.CAIRN_TEST_POSTGRES_URL;
  return {
    quick,
    json: argv.includes("--json"),
    profile: argv.includes("--profile"),
    databases: value("--db", pg ? "sqlite,postgres" : "sqlite").split(","),
    postgresUrl: pg,
    durationS: Number(value("--duration", quick ? 5 : 20)),
    warmupS: Number(value("--warmup", quick ? 1 : 3)),
    agents: Number(value("--agents", 200)),
    clients: Number(value("--clients", 20)),
    heartbeatMs: Number(value("--heartbeat-ms", 1000)),
    clientIntervalMs: Number(value("--client-interval-ms", 100)),
    logLevel: value("--log-level", "info"),
    maxRuns: Number(value("--max-runs", 3)),
    noisyCores: Number(value("--noisy-cores", 0.5)),
    waitQuietS: Number(value("--wait-quiet", 0)),
    poolSize: value("--pool", undefined),
  };
}

// node:http with keep-alive rather than fetch: it costs the load generator a fraction of the
// CPU per request, so on a shared 2-core machine less of the measured time is our own client.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** One HTTP exchange, timed; the body is parsed when it is JSON. */
function call(method, url, { token, body, headers = {}, signal, contentType } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const t0 = performance.now();
    const req = http.request(
      url,
      {
        method,
        agent,
        signal,
        headers: {
          accept: "application/json",
          ...(token ? { "x-auth-token": token } : {}),
          ...(payload === undefined ? {} : { "content-type": contentType ?? (method === "PATCH" ? "application/json-patch+json" : "application/json"), "content-length": Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const ms = performance.now() - t0;
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed;
          try {
            parsed = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode, body: parsed, ms });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** Calls `tick` every `intervalMs` (after a random phase) until `stopped()`; never builds a backlog. */
async function paced(intervalMs, stopped, tick) {
  await sleep(Math.random() * intervalMs);
  let due = performance.now();
  while (!stopped()) {
    due += intervalMs;
    await tick();
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else due = performance.now();
  }
}

/** With --wait-quiet S: waits (up to S seconds) until other processes use less than --noisy-cores. */
async function waitForQuiet(o) {
  const deadline = Date.now() + o.waitQuietS * 1000;
  while (Date.now() < deadline) {
    const m0 = machineCpuSeconds();
    await sleep(2000);
    const busy = (machineCpuSeconds().busy - m0.busy) / 2;
    if (busy < o.noisyCores) return;
    process.stderr.write(`waiting for a quieter machine (other processes use ${busy.toFixed(2)} cores)\n`);
  }
}

/** The request kind of an access-log line (as the load generator names them), or undefined. */
function kindOf(method, url) {
  const path = url.split("?")[0];
  if (method === "GET" && path === "/") return "get_root";
  if (method === "GET" && /\/activities$/.test(path)) return "list_activities";
  if (method === "POST" && /\/backups$/.test(path)) return "create_backup";
  if (method === "PATCH" && /\/backups\/[^/]+$/.test(path)) return "report_backup";
  if (method === "POST" && /\/agents\/[^/]+\/events$/.test(path)) return "heartbeat";
  return undefined;
}

/**
 * Server-side handling time per kind, from the server's access log (`ms` = fastify's elapsed time
 * from routing to response) for requests logged in [from, to] (epoch ms). The client-side numbers
 * add the network, the time requests wait for the server's event loop, and the load generator's
 * own scheduling; the difference says where time goes on a busy machine.
 */
function serverSide(logFile, from, to) {
  const byKind = new Map();
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.includes('"msg":"request"')) continue;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const at = Date.parse(entry.time);
    if (!(at >= from && at <= to)) continue;
    const kind = kindOf(entry.method, entry.url);
    if (kind === undefined) continue;
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push(entry.ms);
  }
  const out = new Map();
  for (const [kind, ms] of byKind) {
    ms.sort((a, b) => a - b);
    const at = (p) => ms[Math.min(ms.length - 1, Math.max(0, Math.ceil((p / 100) * ms.length) - 1))];
    out.set(kind, { server_p50_ms: at(50), server_p99_ms: at(99) });
  }
  return out;
}

async function setup(server, o) {
  const base = `${server.url}/v2/${server.projectId}`;
  const auth = expectStatus(await call("POST", `${server.url}/v2.0/tokens`, { body: { auth: { passwordCredentials: { username: server.username, password: server.password } } } }), 200, "login");
  const admin = auth.access.token.id;
  const agents = await pool(Array.from({ length: o.agents }, (_, i) => i), 16, async (i) => {
    const reg = expectStatus(
      await call("POST", `${base}/agents`, {
        token: admin,
        body: {
          name: `bench-${i}`,
          version: "1.0.0",
          host: { flavor: "nova", region: null, machine: { id: `bench-machine-${i}` }, os: { name: "Debian", version: "12", architecture: "64-bit" }, fingerprint: `fp-${i}`, addresses: [{ version: 4, addr: `10.1.${i >> 8}.${i & 255}` }] },
          rsa_public_key: { modulus: "C0FFEE".repeat(43), exponent: 10001 },
        },
      }),
      201,
      "register agent",
    );
    const login = expectStatus(await call("POST", `${base}/agents/tokens`, { body: { id: reg.id, password: reg.password, host: { fingerprint: `fp-${i}` } } }), 200, "agent login");
    const cfg = expectStatus(
      await call("POST", `${base}/configurations`, {
        token: admin,
        body: {
          agent_id: reg.id,
          name: `bench-${i}`,
          enabled: true,
          schedule: { recurrence: ["RRULE:FREQ=DAILY;BYHOUR=3;BYMINUTE=0"], time_zone: "Europe/Berlin" },
          retention: { days: 30 },
          inclusions: [{ type: "folder", path: "/srv/" }],
          exclusions: [{ type: "folder", path: "/srv/tmp/" }],
          notifications: [{ type: "email", destination: "ops@example.com", on_success: false, on_failure: true }],
        },
      }),
      201,
      "create configuration",
    );
    const token = login.token.id;
    expectStatus(await call("POST", `${base}/agents/${reg.id}/events`, { token, body: { event: "startup" }, headers: { "x-agent-id": reg.id } }), 202, "startup");
    return { id: reg.id, token, configurationId: cfg.id };
  });
  const latest = expectStatus(await call("GET", `${base}/events?limit=1`, { token: admin }), 200, "latest event");
  return { base, admin, agents, marker: latest.events[0]?.id ?? "0" };
}

async function runOnce(database, o) {
  const server = await startServerProcess({ database, postgresUrl: o.postgresUrl, logLevel: o.logLevel, poolSize: o.poolSize, nodeArgs: o.profile ? ["--cpu-prof", "--cpu-prof-dir", "."] : [] });
  const rec = new Recorder();
  let stopped = false;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per in-flight long-poll
  const pending = new Map(); // configuration id → time the client sent POST /backups
  const failures = [];
  const fail = (what, error) => {
    if (!stopped && failures.length < 5) failures.push(`${what}: ${error?.message ?? error}`);
  };
  try {
    const world = await setup(server, o);
    const { base } = world;

    const agentLoops = world.agents.flatMap((agent) => [
      // The command channel: long-poll, act on backup_start_request.
      (async () => {
        let marker = world.marker;
        while (!stopped) {
          let res;
          try {
            res = await call("GET", `${base}/agents/${agent.id}/events?marker=${marker}&wait=30`, { token: agent.token, signal: abort.signal });
          } catch (error) {
            if (!stopped) fail("long-poll", error);
            continue;
          }
          if (res.status !== 200) {
            rec.add("longpoll", res.ms, false);
            fail("long-poll", new Error(`status ${res.status}`));
            continue;
          }
          for (const event of res.body.events) {
            marker = event.id;
            if (event.event !== "backup_start_request") continue;
            const sent = pending.get(event.configuration.id);
            if (sent !== undefined) rec.add("delivery", performance.now() - sent);
            pending.delete(event.configuration.id);
            const report = await call("PATCH", `${base}/backups/${event.backup.id}`, {
              token: agent.token,
              body: [
                { op: "replace", path: "/state", value: "completed" },
                { op: "add", path: "/snapshot_id", value: 1 },
                { op: "add", path: "/files_backed_up", value: 10 },
                { op: "add", path: "/bytes_backed_up", value: 4096 },
              ],
            }).catch((error) => (fail("report", error), { status: 0, ms: 0 }));
            rec.add("report_backup", report.ms, report.status === 204);
          }
          if (res.body.events.length > 0) rec.count("longpoll_returns");
        }
      })(),
      // Heartbeats.
      paced(o.heartbeatMs, () => stopped, async () => {
        const res = await call("POST", `${base}/agents/${agent.id}/events`, { token: agent.token, body: { event: "heartbeat" }, headers: { "x-agent-id": agent.id } }).catch((error) => (fail("heartbeat", error), { status: 0, ms: 0 }));
        rec.add("heartbeat", res.ms, res.status === 202);
      }),
    ]);

    const clientLoops = Array.from({ length: o.clients }, (_, c) => {
      const mine = world.agents.filter((_, i) => i % o.clients === c);
      let turn = 0;
      return paced(o.clientIntervalMs, () => stopped, async () => {
        turn += 1;
        if (turn % 2 === 1) {
          const res = await call("GET", `${base}/activities?limit=100`, { token: world.admin }).catch((error) => (fail("list", error), { status: 0, ms: 0 }));
          const ok = res.status === 200 && Array.isArray(res.body?.activities);
          rec.add("list_activities", res.ms, ok);
          return;
        }
        const agent = mine[(turn >> 1) % mine.length];
        pending.set(agent.configurationId, performance.now());
        const res = await call("POST", `${base}/backups`, { token: world.admin, body: { configuration_id: agent.configurationId, state: "start_requested" } }).catch((error) => (fail("create", error), { status: 0, ms: 0 }));
        if (res.status === 409) {
          pending.delete(agent.configurationId);
          rec.count("create_conflict"); // the previous run of this configuration has not been reported yet
        } else {
          rec.add("create_backup", res.ms, res.status === 201 && res.body?.state === "start_requested");
        }
      });
    });

    // A floor: GET / touches no database and needs no token — what the event loop alone costs.
    const probe = paced(100, () => stopped, async () => {
      const res = await call("GET", `${server.url}/`).catch((error) => (fail("probe", error), { status: 0, ms: 0 }));
      rec.add("get_root", res.ms, res.status === 200);
    });

    await sleep(o.warmupS * 1000);
    rec.recording = true;
    const wall0 = Date.now();
    const db0 = await server.databaseCpu();
    const cpu0 = processCpuSeconds(server.pid);
    const own0 = process.cpuUsage();
    const machine0 = machineCpuSeconds();
    const t0 = performance.now();
    await sleep(o.durationS * 1000);
    rec.recording = false;
    const wall1 = Date.now();
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = (processCpuSeconds(server.pid) - cpu0) / seconds;
    const own = process.cpuUsage(own0);
    const machine1 = machineCpuSeconds();
    const db1 = await server.databaseCpu();
    // PostgreSQL backends of this server's pool (a backend opened during the window counts from 0).
    let dbSeconds = 0;
    for (const [pid, cpu] of db1) if (Number.isFinite(cpu)) dbSeconds += cpu - (db0.get(pid) ?? 0);
    const dbCores = dbSeconds / seconds;
    const ownCores = (own.user + own.system) / 1e6 / seconds;
    // Other processes on this (shared) machine during the window: busy minus server, database and us.
    const foreignCores = (machine1.busy - machine0.busy) / seconds - serverCpu - dbCores - ownCores;
    stopped = true;
    abort.abort();
    await Promise.allSettled([...agentLoops, ...clientLoops, probe]);

    const logged = o.logLevel === "info" || o.logLevel === "debug" || o.logLevel === "trace" ? serverSide(server.logFile, wall0, wall1) : new Map();
    const order = ["heartbeat", "list_activities", "create_backup", "delivery", "report_backup", "get_root", "longpoll_returns", "create_conflict"];
    const rows = summarise(rec, seconds)
      .map((r) => ({ db: database, ...r, ...(logged.get(r.kind) ?? {}) }))
      .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    const timed = rows.filter((r) => !["longpoll_returns", "create_conflict"].includes(r.kind));
    const summary = {
      db: database,
      kind: "all",
      seconds: Math.round(seconds * 10) / 10,
      rps: Math.round(timed.filter((r) => r.kind !== "delivery").reduce((n, r) => n + r.rps, 0)),
      server_cpu_cores: Math.round(serverCpu * 100) / 100,
      server_cpu_ms_per_request: Math.round(((serverCpu * seconds * 1000) / Math.max(1, timed.filter((r) => r.kind !== "delivery").reduce((n, r) => n + r.requests, 0))) * 1000) / 1000,
      database_cpu_cores: Math.round(dbCores * 100) / 100,
      loadgen_cpu_cores: Math.round(ownCores * 100) / 100,
      foreign_cpu_cores: Math.round(Math.max(0, foreignCores) * 100) / 100,
      server_pid: server.pid,
      agents: o.agents,
      clients: o.clients,
      failures,
    };
    return { rows, summary, server };
  } finally {
    stopped = true;
    abort.abort();
    const code = await server.stop();
    if (code !== 0) failures.push(`server exited with ${code}`);
    if (o.profile) {
      const top = summariseProfile(server.dataDir, 25);
      if (top !== undefined) process.stderr.write(`\n[${database}] server CPU profile (self time):\n${top}\n`);
    }
    server.cleanup();
  }
}

const o = parseArgs(process.argv.slice(2));
const results = [];
for (const database of o.databases) {
  if (database === "postgres" && !o.postgresUrl) {
    process.stderr.write("postgres: skipped (set CAIRN_TEST_POSTGRES_URL)\n");
    continue;
  }
  // This machine is shared: a run during which other processes kept more than --noisy-cores busy
  // is marked noisy and repeated (up to --max-runs); the quietest run is the result.
  let best;
  for (let run = 1; run <= o.maxRuns; run += 1) {
    await waitForQuiet(o);
    const result = await runOnce(database, o);
    result.summary.run = run;
    result.summary.noisy = result.summary.foreign_cpu_cores > o.noisyCores;
    for (const row of [...result.rows, result.summary]) process.stdout.write(`${JSON.stringify({ ...row, run })}\n`);
    if (best === undefined || result.summary.foreign_cpu_cores < best.summary.foreign_cpu_cores) best = result;
    if (!result.summary.noisy) break;
    if (run < o.maxRuns) process.stderr.write(`${database}: run ${run} was noisy (other processes used ${result.summary.foreign_cpu_cores} cores); repeating\n`);
  }
  results.push(best);
}
if (!o.json) {
  for (const { rows, summary } of results) {
    process.stdout.write(
      `\n${summary.db} (run ${summary.run}${summary.noisy ? ", NOISY" : ""}): ${summary.agents} agents (long-poll + heartbeat every ${o.heartbeatMs} ms), ${summary.clients} clients (a request every ${o.clientIntervalMs} ms), ` +
        `${summary.seconds} s measured; ${summary.rps} requests/s; server CPU ${summary.server_cpu_cores} cores (${summary.server_cpu_ms_per_request} ms per request)${summary.db === "postgres" ? `, PostgreSQL ${summary.database_cpu_cores}` : ""}, ` +
        `load generator ${summary.loadgen_cpu_cores}, other processes ${summary.foreign_cpu_cores} (of ${availableParallelism()})\n`,
    );
    process.stdout.write(`${table(rows, ["kind", "requests", "rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "errors", "server_p50_ms", "server_p99_ms"])}\n`);
    if (summary.failures.length > 0) process.stdout.write(`failures: ${summary.failures.join("; ")}\n`);
  }
}
