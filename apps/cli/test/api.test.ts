// The API commands of `cairn` (agents, configs, backups, restores, cleanups, activity) end to end:
// the built CLI as a child process talks to a real `cairn server` child process, and the work is
// done by a real `cairn-agent` child process that backs up and restores real files in a temporary
// directory. Nothing is mocked: what these commands promise — exit codes (0 ok, 1 failure, 2 usage,
// 3 backup with unreadable files), exactly one JSON document on stdout with --json, messages on
// stderr that say what went wrong, and byte-identical restores — only means something when the
// server validates, the agent runs the jobs and the vault is really encrypted. One server and one
// agent serve the whole file; the tests run in order and build on each other (config → backups →
// restores → encryption → cleanup → activity), each checking what the previous ones left behind.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, realpath, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, relative } from "node:path";
import type { Activity, Agent, AgentStatus, Backup, Cleanup, Configuration, ErrorReport, Restore } from "@cairn/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, CAIRN, tempDir, type RunResult } from "./helpers.js";

const AGENT_BIN = join(dirname(createRequire(import.meta.url).resolve("@cairn/agent/package.json")), "dist/bin/cairn-agent.js");

const USER = "admin";
const USER_PASSWORD = `user-password-${randomUUID()}`;
const VAULT_PASSWORD = `vault-password-${randomUUID()}`;
const AGENT_NAME = "api-test-agent";
const CONFIG = "home";
/** Generous: a --wait command ends when the agent has done the job (a few MiB here). */
const WAIT_TIMEOUT = 120_000;

// ---- child processes ---------------------------------------------------------------------------

interface Running {
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/** Spawns `node ARGS` and resolves once `ready` matches its stdout or stderr (rejects if it exits first). */
function startProcess(args: readonly string[], env: Record<string, string>, ready: RegExp, what: string): Promise<{ running: Running; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const running: Running = {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return closed;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s; output:\n${output.slice(-4000)}`)), 60_000);
    const onData = (d: string) => {
      output = (output + d).slice(-200_000);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ running, match });
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited early (${code}); output:\n${output.slice(-4000)}`));
    });
  });
}

/** A port nothing listens on: bound by a throw-away server, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Every file below `dir` (relative path → SHA-256), for comparing trees byte by byte. */
async function treeHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash("sha256").update(await readFile(path)).digest("hex");
  }
  return out;
}

function without(tree: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).filter(([k]) => !k.startsWith(prefix)));
}

// ---- shared state ------------------------------------------------------------------------------

let root: { path: string; cleanup(): Promise<void> };
let server: Running | undefined;
let agent: Running | undefined;
let url = "";
let agentId = "";
let src = "";
/** Size of everything the configuration backs up (the excluded folder left out). */
let includedBytes = 0;
/** Every job the tests start, with the state it ended in, for `cairn activity`. */
const jobs: { id: string; type: "backup" | "restore" | "cleanup"; state: string }[] = [];
/** Everything the CLI printed, checked for secrets at the end. */
const printed: string[] = [];

/** `cairn ARGS` against the test server as the test user (`env` adds or overrides variables). */
async function api(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const r = await cairn(args, { env: { CAIRN_SERVER: url, CAIRN_USER: USER, CAIRN_PASSWORD: USER_PASSWORD, ...env } });
  printed.push(r.stdout, r.stderr);
  return r;
}

/** `cairn ARGS --json`: stdout must be exactly one JSON document. */
async function apiJson<T>(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; json: T; stderr: string }> {
  const r = await api([...args, "--json"], env);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout of cairn ${args.join(" ")} --json is not one JSON document (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** The error document `--json` writes on stderr when a command fails (stdout stays empty). */
function jsonError(r: RunResult): { code: string; message: string; hint?: string; exitCode: number } {
  expect(r.stdout).toBe("");
  return (JSON.parse(r.stderr) as { error: { code: string; message: string; hint?: string; exitCode: number } }).error;
}

beforeAll(async () => {
  root = await tempDir("cairn-cli-api-");
  const base = await realpath(root.path);

  // The source tree: small text files, a few MiB of random (incompressible) data, nested folders,
  // and a folder the configuration excludes.
  src = join(base, "src");
  const files: Record<string, string | Buffer> = {
    "notes.txt": "first version of the notes\n",
    "random.bin": randomBytes(3 * 1024 * 1024),
    "docs/readme.md": "# docs\n\nnothing to see\n",
    "docs/deep/nested/leaf.txt": "a leaf, three levels down\n",
    "docs/deep/more.bin": randomBytes(256 * 1024),
    "cache/tmp.bin": randomBytes(512 * 1024),
    "cache/x.txt": "excluded\n",
  };
  for (const [name, data] of Object.entries(files)) {
    await mkdir(dirname(join(src, name)), { recursive: true });
    await writeFile(join(src, name), data);
    if (!name.startsWith("cache/")) includedBytes += data.length;
  }

  const s = await startProcess(
    [CAIRN, "server", "--port", "0", "--data-dir", join(base, "server")],
    { CAIRN_ADMIN_USER: USER, CAIRN_ADMIN_PASSWORD: USER_PASSWORD, CAIRN_PROJECT_ID: "100100", CAIRN_LOG_LEVEL: "warn" },
    /listening on (http:\/\/\S+)/,
    "cairn server",
  );
  server = s.running;
  url = s.match[1]!;

  const a = await startProcess(
    [AGENT_BIN, "--server", url, "--data-dir", join(base, "agent"), "--name", AGENT_NAME, "--fast-kdf", "--workers", "1"],
    { CAIRN_USER: USER, CAIRN_PASSWORD: USER_PASSWORD },
    /^(\{.*"msg":"cairn-agent running".*\})$/m,
    "cairn-agent",
  );
  agent = a.running;
  agentId = (JSON.parse(a.match[1]!) as { agentId: string }).agentId;
}, 120_000);

afterAll(async () => {
  // The agent first (it reports to the server while it shuts down), then the server.
  const agentCode = await agent?.stop();
  const serverCode = await server?.stop();
  await root?.cleanup();
  if (serverCode !== undefined && serverCode !== 0) throw new Error(`cairn server exited with ${serverCode}:\n${server?.output().slice(-4000)}`);
  if (agentCode !== undefined && agentCode !== 0) throw new Error(`cairn-agent exited with ${agentCode}:\n${agent?.output().slice(-4000)}`);
}, 60_000);

// ---- the tests ---------------------------------------------------------------------------------

describe("cairn API commands: connecting", () => {
  it("needs a server URL: none given or not http(s) is a usage error (exit 2)", async () => {
    const none = await cairn(["agents"], { env: { CAIRN_USER: USER, CAIRN_PASSWORD: USER_PASSWORD } });
    printed.push(none.stdout, none.stderr);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no server given");
    expect(none.stderr).toContain("CAIRN_SERVER");

    const ftp = await api(["agents", "--server", "ftp://127.0.0.1/"]);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain("must start with http:// or https://");

    const notUrl = await api(["agents"], { CAIRN_SERVER: "not a url" });
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain("is not a URL");

    // Credentials in the URL are refused, and not echoed back.
    const secret = `in-url-${randomUUID()}`;
    const withCredentials = await api(["agents", "--server", url.replace("http://", `http://${USER}:${secret}@`)]);
    expect(withCredentials.code).toBe(2);
    expect(withCredentials.stderr).toContain("must not contain credentials");
    expect(withCredentials.stdout + withCredentials.stderr).not.toContain(secret);
  });

  it("needs credentials: no CAIRN_USER fails (exit 1) and says which variables to set", async () => {
    const r = await api(["agents"], { CAIRN_USER: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no credentials for the server at ${url}`);
    expect(r.stderr).toMatch(/CAIRN_USER and CAIRN_PASSWORD/);
    expect(r.stdout).toBe("");
  });

  it("a wrong password is refused (exit 1), naming user and source but never the password", async () => {
    const wrong = `wrong-${randomUUID()}`;
    const r = await api(["agents"], { CAIRN_PASSWORD: wrong });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`refused the credentials of user ${USER} (CAIRN_PASSWORD)`);
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(r.stdout + r.stderr).not.toContain(USER_PASSWORD);

    const j = await api(["agents", "--json"], { CAIRN_PASSWORD: wrong });
    expect(j.code).toBe(1);
    expect(jsonError(j)).toMatchObject({ code: "unauthorized", exitCode: 1 });
    expect(j.stderr).not.toContain(wrong);
  });

  it("a server that is not there: exit 1, 'cannot reach' (as text and as a --json error on stderr)", async () => {
    const port = await closedPort();
    const r = await api(["agents"], { CAIRN_SERVER: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the Cairn server at http://127.0.0.1:${port}`);
    expect(r.stderr).toContain("cairn: hint:");

    const j = await api(["backups", "--json"], { CAIRN_SERVER: `http://127.0.0.1:${port}` });
    expect(j.code).toBe(1);
    expect(jsonError(j)).toMatchObject({ code: "unreachable", exitCode: 1 });
  });
});

describe("cairn API commands: agents, configs, backups, restores, cleanups, activity", () => {
  it("agents lists the running agent as online; agents show finds it by name", async () => {
    const list = await apiJson<(Agent & { status: AgentStatus })[]>(["agents"]);
    expect(list.code).toBe(0);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ id: agentId, name: AGENT_NAME, enabled: true, status: { online: true }, vault: { encrypted: false } });

    const text = await api(["agents"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${agentId}\\s+${AGENT_NAME}\\s+online`));

    const show = await apiJson<Agent & { status: AgentStatus; configurations: unknown[] }>(["agents", "show", AGENT_NAME]);
    expect(show.code).toBe(0);
    expect(show.json).toMatchObject({ id: agentId, name: AGENT_NAME, status: { online: true }, configurations: [] });
    const byPrefix = await api(["agents", "show", agentId.slice(0, 8)]);
    expect(byPrefix.code).toBe(0);
    expect(byPrefix.stdout).toMatch(/^status\s+online$/m);

    const nosuch = await api(["agents", "show", "no-such-agent"]);
    expect(nosuch.code).toBe(1);
    expect(nosuch.stderr).toContain("no agent no-such-agent");
  });

  it("configs create refuses bad input with exit 2 before anything is created", async () => {
    const base = ["configs", "create", "--name", CONFIG, "--notify", "ops@example.com"];
    const relativeInclude = await api([...base, "--include", "src"]);
    expect(relativeInclude.code).toBe(2);
    expect(relativeInclude.stderr).toContain('"src" is not an absolute path');

    const noNotify = await api(["configs", "create", "--name", CONFIG, "--include", src]);
    expect(noNotify.code).toBe(2);
    expect(noNotify.stderr).toContain("--notify EMAIL is required");

    const noInclude = await api(base);
    expect(noInclude.code).toBe(2);
    expect(noInclude.stderr).toContain("nothing to back up");

    for (const schedule of ["sometimes", "daily@25:00", "weekly@someday@02:00"]) {
      const r = await api([...base, "--include", src, "--schedule", schedule]);
      expect(r.code, schedule).toBe(2);
      expect(r.stderr, schedule).toContain("--schedule");
    }

    const zoneAlone = await api([...base, "--include", src, "--time-zone", "UTC"]);
    expect(zoneAlone.code).toBe(2);
    expect(zoneAlone.stderr).toContain("--time-zone needs --schedule");

    // Rejected by the server (400): a usage error too, with the server's reason said once.
    const badZone = await api([...base, "--include", src, "--schedule", "daily@02:30", "--time-zone", "Mars/Olympus"]);
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toContain("the server rejected the request");
    expect(badZone.stderr.split("Mars/Olympus").length - 1).toBe(1);

    const none = await apiJson<Configuration[]>(["configs"]);
    expect(none).toMatchObject({ code: 0, json: [] });
  });

  it("configs create makes a scheduled configuration that configs and configs show return", async () => {
    const created = await apiJson<Configuration>(["configs", "create", "--name", CONFIG, "--include", src, "--exclude", join(src, "cache"), "--schedule", "daily@02:30", "--time-zone", "Europe/Berlin", "--notify", "ops@example.com"]);
    expect(created.code).toBe(0);
    const expected = {
      name: CONFIG,
      agent: { id: agentId },
      enabled: true,
      schedule: { recurrence: ["RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30"], time_zone: "Europe/Berlin" },
      retention: { days: 30 },
      inclusions: [{ type: "folder", path: src }],
      exclusions: [{ type: "folder", path: join(src, "cache") }],
      notifications: [{ type: "email", destination: "ops@example.com", on_failure: true }],
    };
    expect(created.json).toMatchObject(expected);
    // The server schedules the next run at 02:30 in Berlin.
    const next = created.json.backups.next?.scheduled_time;
    expect(next).toBeDefined();
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(next!))).toBe("02:30");

    const list = await apiJson<Configuration[]>(["configs"]);
    expect(list.code).toBe(0);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ id: created.json.id, name: CONFIG, schedule: expected.schedule });

    const show = await apiJson<Configuration>(["configs", "show", CONFIG]);
    expect(show.code).toBe(0);
    expect(show.json).toMatchObject({ id: created.json.id, ...expected });

    const text = await api(["configs", "show", CONFIG]);
    expect(text.stdout).toMatch(/^schedule\s+FREQ=DAILY;BYHOUR=2;BYMINUTE=30 \(Europe\/Berlin\)$/m);
    expect(text.stdout).toMatch(new RegExp(`^exclude\\s+${join(src, "cache")}$`, "m"));

    const forAgent = await apiJson<Configuration[]>(["configs", "--agent", AGENT_NAME]);
    expect(forAgent.json.map((c) => c.id)).toEqual([created.json.id]);
  });

  let firstBackup: Backup;

  it(
    "backups start --wait backs up the included files (the excluded folder is not searched)",
    async () => {
      const r = await apiJson<Backup>(["backups", "start", CONFIG, "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      firstBackup = r.json;
      jobs.push({ id: r.json.id, type: "backup", state: "completed" });
      expect(r.json).toMatchObject({ state: "completed", agent: { id: agentId }, restorable: true, errors: { count: 0 } });
      expect(r.json).not.toHaveProperty("error_report");
      // notes.txt, random.bin, docs/readme.md, docs/deep/nested/leaf.txt, docs/deep/more.bin
      expect(r.json.files_searched).toBe(5);
      expect(r.json.files_backed_up).toBe(5);
      expect(r.json.bytes_searched).toBe(includedBytes);
      // Random data does not compress: about everything is new (and nothing of cache/).
      expect(r.json.bytes_backed_up).toBeGreaterThan(includedBytes * 0.95);
      expect(r.json.bytes_backed_up).toBeLessThan(includedBytes + 512 * 1024);
      expect(r.json.snapshot_id).not.toBeNull();

      const list = await apiJson<Backup[]>(["backups"]);
      expect(list.code).toBe(0);
      expect(list.json.map((b) => b.id)).toEqual([firstBackup.id]);

      const show = await apiJson<Backup>(["backups", "show", firstBackup.id]);
      expect(show.code).toBe(0);
      expect(show.json).toMatchObject({ id: firstBackup.id, state: "completed", files_searched: 5, bytes_searched: includedBytes, snapshot_id: firstBackup.snapshot_id });
      const text = await api(["backups", "show", firstBackup.id]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^state\s+completed$/m);
      expect(text.stdout).toMatch(/^files\s+5 searched, 5 new or changed$/m);
      expect(text.stdout).toMatch(new RegExp(`^configuration\\s+${CONFIG} \\(`, "m"));
    },
    WAIT_TIMEOUT,
  );

  let secondBackup: Backup;

  it(
    "a second backup after changing one file is incremental",
    async () => {
      await appendFile(join(src, "notes.txt"), "second version\n");
      includedBytes += "second version\n".length;
      const r = await apiJson<Backup>(["backups", "start", CONFIG, "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      secondBackup = r.json;
      jobs.push({ id: r.json.id, type: "backup", state: "completed" });
      expect(r.json).toMatchObject({ state: "completed", files_searched: 5, files_backed_up: 1, bytes_searched: includedBytes });
      expect(r.json.bytes_backed_up).toBeGreaterThan(0);
      expect(r.json.bytes_backed_up).toBeLessThan(64 * 1024);
      expect(r.json.bytes_backed_up).toBeLessThan(firstBackup.bytes_backed_up / 50);

      const list = await apiJson<Backup[]>(["backups", "--config", CONFIG]);
      expect(list.json.map((b) => b.id)).toEqual([secondBackup.id, firstBackup.id]);
      const text = await api(["backups"]);
      expect(text.stdout).toMatch(new RegExp(`^${secondBackup.id}\\s+completed\\s.*1/5 files backed up`, "m"));
    },
    WAIT_TIMEOUT,
  );

  it(
    "a backup that cannot read an included path completes with errors: exit 3 and the error list",
    async () => {
      const missing = join(src, "..", "not-there");
      const created = await apiJson<Configuration>(["configs", "create", "--name", "partial", "--include", join(src, "notes.txt"), "--include", missing, "--notify", "ops@example.com"]);
      expect(created.code).toBe(0);
      expect(created.json).toMatchObject({ schedule: null });

      const r = await apiJson<Backup & { error_report?: ErrorReport }>(["backups", "start", "partial", "--wait"]);
      expect(r.code, r.stderr).toBe(3);
      jobs.push({ id: r.json.id, type: "backup", state: "completed_with_errors" });
      expect(r.json).toMatchObject({ state: "completed_with_errors", files_backed_up: 1, errors: { count: 1 } });
      expect(r.json.error_report?.list).toEqual([expect.objectContaining({ path: missing, type: "file_or_folder_missing" })]);
      expect(r.stderr).toContain(`cairn: warning: ${missing}:`);
    },
    WAIT_TIMEOUT,
  );

  it(
    "restores start latest --config restores the newest backup byte for byte below --path",
    async () => {
      const dest = join(dirname(src), "restore-full");
      const r = await api(["restores", "start", "latest", "--config", CONFIG, "--path", dest, "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      const id = /^restore (\S+) completed: 5 files/m.exec(r.stdout)?.[1];
      expect(id, r.stdout).toBeDefined();
      jobs.push({ id: id!, type: "restore", state: "completed" });
      expect(r.stderr).toContain(`of backup ${secondBackup.id} requested on agent ${AGENT_NAME} into ${dest}`);

      const source = await treeHashes(src);
      expect(Object.keys(source)).toContain("cache/tmp.bin");
      expect(await treeHashes(join(dest, src))).toEqual(without(source, "cache/"));
      // Only the original path below the destination, and nothing of the excluded folder.
      expect(Object.keys(await treeHashes(dest)).every((p) => `/${p}`.startsWith(`${src}/`))).toBe(true);

      const show = await apiJson<Restore>(["restores", "show", id!]);
      expect(show.json).toMatchObject({ id, state: "completed", backup: { id: secondBackup.id }, destination_path: dest, overwrite_files: false, files_restored: 5, bytes_restored: includedBytes });

      const relativePath = await api(["restores", "start", "latest", "--config", CONFIG, "--path", "restore-here"]);
      expect(relativePath.code).toBe(2);
      const configWithId = await api(["restores", "start", firstBackup.id, "--config", CONFIG]);
      expect(configWithId.code).toBe(2);
      expect(configWithId.stderr).toContain("--config only narrows `latest`");
    },
    WAIT_TIMEOUT,
  );

  it(
    "restores start --include restores only the selected file",
    async () => {
      const dest = join(dirname(src), "restore-one");
      const file = join(src, "docs/deep/nested/leaf.txt");
      const r = await apiJson<Restore>(["restores", "start", "latest", "--config", CONFIG, "--path", dest, "--include", file, "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      jobs.push({ id: r.json.id, type: "restore", state: "completed" });
      expect(r.json).toMatchObject({ state: "completed", files_restored: 1, inclusions: [{ type: "folder", path: file }] });
      const restored = await treeHashes(dest);
      expect(restored).toEqual({ [relative(dest, join(dest, file))]: (await treeHashes(src))["docs/deep/nested/leaf.txt"] });

      const list = await apiJson<Restore[]>(["restores"]);
      expect(list.json.map((x) => x.id)).toEqual(jobs.filter((j) => j.type === "restore").map((j) => j.id).reverse());
    },
    WAIT_TIMEOUT,
  );

  it(
    "agents encrypt needs a password, then encrypts the vault; backups go on",
    async () => {
      const none = await api(["agents", "encrypt", AGENT_NAME]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain("no vault password given");

      const r = await apiJson<{ agent: string; succeeded: boolean; event: string }>(["agents", "encrypt", AGENT_NAME], { CAIRN_VAULT_PASSWORD: VAULT_PASSWORD });
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ agent: agentId, succeeded: true });

      const agents = await apiJson<Agent[]>(["agents"]);
      expect(agents.json[0]).toMatchObject({ id: agentId, vault: { encrypted: true } });
      const text = await api(["agents"]);
      expect(text.stdout).toMatch(new RegExp(`${AGENT_NAME}\\s+online\\s+\\S+\\s+encrypted`));

      // Changing the password needs the old one.
      const again = await api(["agents", "encrypt", AGENT_NAME], { CAIRN_VAULT_PASSWORD: VAULT_PASSWORD });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain("is already encrypted");

      const b = await apiJson<Backup>(["backups", "start", CONFIG, "--wait"]);
      expect(b.code, b.stderr).toBe(0);
      jobs.push({ id: b.json.id, type: "backup", state: "completed" });
      expect(b.json).toMatchObject({ state: "completed", files_searched: 5, bytes_searched: includedBytes, restorable: true });
    },
    WAIT_TIMEOUT,
  );

  it(
    "restoring from the encrypted vault: no password is refused at once, a wrong one fails, the right one restores",
    async () => {
      const restoresBefore = (await apiJson<Restore[]>(["restores", "--limit", "100"])).json.length;
      const dest = join(dirname(src), "restore-encrypted");

      const none = await api(["restores", "start", "latest", "--config", CONFIG, "--path", dest, "--wait"]);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/the vault of backup \S+ is encrypted/);
      expect(none.stderr).toContain("CAIRN_VAULT_PASSWORD");
      expect((await apiJson<Restore[]>(["restores", "--limit", "100"])).json).toHaveLength(restoresBefore);

      const wrong = `wrong-vault-${randomUUID()}`;
      const failed = await apiJson<Restore & { error_report?: ErrorReport }>(["restores", "start", "latest", "--config", CONFIG, "--path", dest, "--wait"], { CAIRN_VAULT_PASSWORD: wrong });
      expect(failed.code).toBe(1);
      jobs.push({ id: failed.json.id, type: "restore", state: "failed" });
      expect(failed.json).toMatchObject({ state: "failed", files_restored: 0 });
      expect(failed.json.error_report).toBeDefined();
      expect(failed.stderr).not.toContain(wrong);

      const ok = await apiJson<Restore>(["restores", "start", "latest", "--config", CONFIG, "--path", dest, "--wait"], { CAIRN_VAULT_PASSWORD: VAULT_PASSWORD });
      expect(ok.code, ok.stderr).toBe(0);
      jobs.push({ id: ok.json.id, type: "restore", state: "completed" });
      expect(ok.json).toMatchObject({ state: "completed", files_restored: 5, bytes_restored: includedBytes });
      expect(await treeHashes(join(dest, src))).toEqual(without(await treeHashes(src), "cache/"));
    },
    WAIT_TIMEOUT,
  );

  it(
    "cleanups start --wait applies the retention (nothing is old enough to go)",
    async () => {
      const r = await apiJson<Cleanup>(["cleanups", "start", "--wait"]);
      expect(r.code, r.stderr).toBe(0);
      jobs.push({ id: r.json.id, type: "cleanup", state: "completed" });
      expect(r.json).toMatchObject({ state: "completed", agent: { id: agentId }, snapshot_ids: [] });
      expect(r.json.bytes_before).toBeGreaterThan(includedBytes);
      expect(r.json.bytes_after).toBe(r.json.bytes_before);

      const list = await apiJson<Cleanup[]>(["cleanups"]);
      expect(list.json.map((c) => c.id)).toEqual([r.json.id]);
    },
    WAIT_TIMEOUT,
  );

  it("activity lists every job above with its final state, and filters by type and state", async () => {
    const all = await apiJson<(Activity & { details: Backup | Restore | Cleanup })[]>(["activity", "--limit", "100"]);
    expect(all.code).toBe(0);
    const seen = all.json.map((a) => ({ id: a.id, type: a.type, state: a.state }));
    expect(seen).toHaveLength(jobs.length);
    expect(seen).toEqual(expect.arrayContaining(jobs));
    for (const a of all.json) expect(a.details).toMatchObject({ id: a.id, state: a.state });
    const times = all.json.map((a) => a.last_updated_time);
    expect(times).toEqual([...times].sort().reverse());

    const failed = await apiJson<Activity[]>(["activity", "--type", "restore", "--state", "failed"]);
    expect(failed.code).toBe(0);
    expect(failed.json.map((a) => a.id)).toEqual(jobs.filter((j) => j.state === "failed").map((j) => j.id));

    const backups = await apiJson<Activity[]>(["activity", "--type", "backup", "--config", CONFIG]);
    expect(backups.json.map((a) => a.id).sort()).toEqual(jobs.filter((j) => j.type === "backup" && j.state === "completed").map((j) => j.id).sort());

    const text = await api(["activity", "--limit", "100"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\srestore\s+failed\s/);
    expect(text.stdout).toMatch(/\scleanup\s+completed\s/);

    const badType = await api(["activity", "--type", "snapshot"]);
    expect(badType.code).toBe(2);
  });

  it("unknown names and ids, and stopping a finished backup, fail with exit 1", async () => {
    const config = await api(["configs", "show", "nosuch"]);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain("no configuration nosuch");
    expect(config.stderr).toContain("`cairn configs`");

    const startUnknown = await api(["backups", "start", "nosuch"]);
    expect(startUnknown.code).toBe(1);
    expect(startUnknown.stderr).toContain("no configuration nosuch");

    const id = randomUUID();
    const backup = await api(["backups", "show", id]);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain("not found");
    expect(backup.stderr).toContain("`cairn backups` lists the backups");
    const backupJson = await api(["backups", "show", id, "--json"]);
    expect(jsonError(backupJson)).toMatchObject({ code: "not-found", exitCode: 1 });

    const restore = await api(["restores", "show", randomUUID()]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain("not found");

    const stop = await api(["backups", "stop", firstBackup.id]);
    expect(stop.code).toBe(1);
    expect(stop.stderr).toContain("it has already ended");
    const stopJson = await api(["backups", "stop", firstBackup.id, "--json"]);
    expect(jsonError(stopJson)).toMatchObject({ code: "conflict", exitCode: 1 });
    // Nothing changed.
    expect((await apiJson<Backup>(["backups", "show", firstBackup.id])).json.state).toBe("completed");
  });

  it("no secret ever reached the output", () => {
    expect(printed.length).toBeGreaterThan(50);
    for (const text of printed) {
      expect(text).not.toContain(USER_PASSWORD);
      expect(text).not.toContain(VAULT_PASSWORD);
    }
  });
});
