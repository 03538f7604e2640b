// End to end, with real processes: one cairn-server (SQLite, vaults under its data dir) and two
// cairn-agent processes with separate data directories, standing for two servers A and B.
// Follows issue 6's "What must show": a scheduled run (the agent's clock is moved, not the
// test slowed), a manual backup, an incremental one that stores about the change, a restore of
// A's backup on B elsewhere, selective in-place restores on A with and without
// overwrite_files, vault encryption then a restore with the password, a retention cleanup,
// activity with states and counters, and an agent killed mid-backup. Timings and vault growth
// are printed at the end (they are not asserted: the machine is shared).
import { constants, createPublicKey, publicEncrypt } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile, readFile, open, utimes, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, replace, type Activity, type Backup, type CairnClient, type Restore } from "@cairn/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentProcess, type AgentProcess } from "./support/agentProcess.js";
import { facts, random, treeBytes, waitFor, type FileFacts } from "./support/files.js";
import { startServerProcess, type ServerProcess } from "./support/serverProcess.js";

const engine = (await import("@cairn/engine")) as Record<string, unknown>;
const hasRestore = typeof engine.restore === "function";
const HOUR = 3_600_000;
const MiB = 1024 * 1024;

let root: string;
let server: ServerProcess;
let user: CairnClient;
let agentA: AgentProcess;
let agentB: AgentProcess;
let src: string;
let configurationId: string;
const timings: Record<string, number> = {};
const growth: Record<string, number> = {};
const originals = new Map<string, FileFacts>();
const backups: string[] = [];

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[name] = Math.round(performance.now() - t0);
  }
}

const vaultDir = async (agentId: string): Promise<string> => {
  const agent = await user.agents.get(agentId);
  return join(server.dataDir, "vaults", server.projectId, agent.vault?.id as string);
};

async function finished<T extends { state: string }>(what: string, get: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const terminal = new Set(["completed", "completed_with_errors", "failed", "stopped", "skipped", "missed"]);
  return waitFor(what, async () => {
    const r = await get();
    return terminal.has(r.state) ? r : undefined;
  }, timeoutMs);
}

const backupDone = (id: string) => finished(`backup ${id}`, () => user.backups.get(id));
const restoreDone = (id: string) => finished(`restore ${id}`, () => user.restores.get(id));

/** Expects `job` in `state`, showing its error report otherwise. */
async function expectState(kind: "backup" | "restore" | "cleanup", job: { id: string; state: string }, state: string): Promise<void> {
  if (job.state === state) return;
  const report = kind === "backup" ? await user.backups.errors(job.id) : kind === "restore" ? await user.restores.errors(job.id) : await user.cleanups.errors(job.id);
  expect(`${job.state}: ${report.reason} ${report.diagnostics ?? ""}`).toBe(state);
}

function encryptFor(modulusHex: string, exponentHex: string, password: string, padding: "pkcs1" | "oaep"): string {
  const key = createPublicKey({ key: { kty: "RSA", n: Buffer.from(modulusHex, "hex").toString("base64url"), e: Buffer.from(exponentHex.length % 2 ? `0${exponentHex}` : exponentHex, "hex").toString("base64url") }, format: "jwk" });
  return publicEncrypt({ key, padding: padding === "pkcs1" ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, Buffer.from(password, "utf8")).toString("hex");
}

async function passwordHexFor(agentId: string, password: string, padding: "pkcs1" | "oaep"): Promise<string> {
  const a = await user.agents.get(agentId);
  return encryptFor(a.rsa_public_key.modulus, String(a.rsa_public_key.exponent), password, padding);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "cairn-e2e-"));
  server = await startServerProcess();
  user = createClient({ endpoint: server.url, credentials: server.admin });
  src = join(root, "srcA");
  await mkdir(join(src, "docs"), { recursive: true });
  await mkdir(join(src, "cache"), { recursive: true });
  await writeFile(join(src, "docs", "a.txt"), "alpha\n".repeat(50_000));
  await writeFile(join(src, "docs", "big.bin"), random(24 * MiB));
  await writeFile(join(src, "notes.txt"), "first notes\n");
  await writeFile(join(src, "cache", "junk.tmp"), random(2 * MiB));
  await chmod(join(src, "notes.txt"), 0o640);
  await utimes(join(src, "docs", "a.txt"), new Date("2024-01-02T03:04:05Z"), new Date("2024-01-02T03:04:05Z"));
  for (const rel of ["docs/a.txt", "docs/big.bin", "notes.txt"]) originals.set(rel, await facts(join(src, rel)));
  [agentA, agentB] = await timed("start two agents (first registration)", () =>
    Promise.all([
      startAgentProcess({ serverUrl: server.url, dataDir: join(root, "agentA"), name: "server-a", user: server.admin }),
      startAgentProcess({ serverUrl: server.url, dataDir: join(root, "agentB"), name: "server-b", user: server.admin }),
    ]),
  );
}, 120_000);

afterAll(async () => {
  await agentA?.stop().catch(() => undefined);
  await agentB?.stop().catch(() => undefined);
  await server?.stop();
  await rm(root, { recursive: true, force: true });
  console.log(`\ncairn e2e timings (ms): ${JSON.stringify(timings, null, 2)}\nvault growth (bytes): ${JSON.stringify(growth, null, 2)}`);
}, 60_000);

describe("cairn end to end: one server, two agent processes", () => {
  it("registered both agents with RSA keys; the private keys stay in the data dirs with 0600", async () => {
    const agents = await user.agents.list();
    expect(agents.map((a) => a.id).sort()).toEqual([agentA.agentId, agentB.agentId].sort());
    for (const a of agents) expect(a.rsa_public_key.modulus).toMatch(/^[0-9A-F]{768}$/);
    for (const p of [agentA, agentB]) {
      const st = await (await open(join(p.dataDir, "agent-key.pem"))).stat();
      expect(st.mode & 0o777).toBe(0o600);
      expect((await (await open(join(p.dataDir, "agent.json"))).stat()).mode & 0o777).toBe(0o600);
    }
    await waitFor("A online", async () => ((await user.agents.status(agentA.agentId)).online ? true : undefined), 20_000);
  });

  it("a scheduled run fires when the agent's clock reaches the configuration's next time", async () => {
    const configuration = await user.configurations.create({
      agent_id: agentA.agentId,
      name: "sample",
      enabled: true,
      schedule: { recurrence: ["RRULE:FREQ=HOURLY;INTERVAL=1"], time_zone: "UTC" },
      retention: { days: 1 },
      inclusions: [{ type: "folder", path: src }],
      exclusions: [{ type: "folder", path: join(src, "cache") }],
      notifications: [{ type: "email", destination: "ops@example.com", on_success: false, on_failure: true }],
    });
    configurationId = configuration.id;
    await timed("scheduled backup (first, full)", async () => {
      agentA.setClockOffset(HOUR + 30_000);
      const backup = await waitFor("a scheduled backup", async () => (await user.backups.list({ limit: 10 })).items.find((b) => b.configuration.id === configurationId), 60_000);
      const done = await backupDone(backup.id);
      await expectState("backup", done, "completed");
      expect(done.files_searched).toBe(3);
      expect(done.snapshot_id).not.toBeNull();
      const events = (await user.backups.events(backup.id)).items.map((e) => e.event);
      expect(events).toContain("backup_start_scheduled");
      expect(events).toEqual(expect.arrayContaining(["backup_queued", "backup_preparing", "backup_in_progress", "backup_completed"]));
      backups.push(backup.id);
    });
    growth["first backup (24.3 MiB of files)"] = await treeBytes(await vaultDir(agentA.agentId));
  });

  it("a manual backup of unchanged files stores almost nothing; an incremental one stores about the change", async () => {
    const dir = await vaultDir(agentA.agentId);
    const before = await treeBytes(dir);
    const manual = await timed("manual backup (unchanged)", async () => backupDone((await user.backups.start(configurationId)).id));
    await expectState("backup", manual, "completed");
    backups.push(manual.id);
    const afterManual = await treeBytes(dir);
    growth["manual backup, nothing changed"] = afterManual - before;
    expect(afterManual - before).toBeLessThan(1 * MiB);

    // Change 64 KiB in the middle of the 24 MiB file and append to the notes.
    const handle = await open(join(src, "docs", "big.bin"), "r+");
    await handle.write(random(64 * 1024), 0, 64 * 1024, 12 * MiB);
    await handle.close();
    await writeFile(join(src, "notes.txt"), "first notes\nmore notes\n");
    const incremental = await timed("incremental backup (64 KiB changed)", async () => backupDone((await user.backups.start(configurationId)).id));
    await expectState("backup", incremental, "completed");
    backups.push(incremental.id);
    const afterIncremental = await treeBytes(dir);
    growth["incremental backup, 64 KiB changed in a 24 MiB file"] = afterIncremental - afterManual;
    // Chunks average 1 MiB (max 8 MiB): the change costs a few chunks, never the 24 MiB file.
    expect(afterIncremental - afterManual).toBeLessThan(10 * MiB);
    expect(incremental.bytes_backed_up).toBeLessThan(10 * MiB);
    expect(incremental.files_searched).toBe(3);
  });

  it.skipIf(!hasRestore)("restores the first backup on agent B under another path, bytes and metadata equal", async () => {
    const target = join(root, "restoredOnB");
    const restore = await timed("restore on B (cross-agent, full)", async () =>
      restoreDone((await user.restores.start({ backup_id: backups[0] as string, destination_agent_id: agentB.agentId, destination_path: target })).id),
    );
    await expectState("restore", restore, "completed");
    expect(restore.files_restored).toBe(3);
    for (const [rel, orig] of originals) expect(await facts(join(target, src, rel)), rel).toEqual(orig);
    await expect(readFile(join(target, src, "cache", "junk.tmp"))).rejects.toThrow();
  });

  it.skipIf(!hasRestore)("restores selected files to A in place, without and then with overwrite_files", async () => {
    const notes = join(src, "notes.txt");
    await writeFile(notes, "local edit\n");
    const selection = { inclusions: [{ type: "file" as const, path: notes }], exclusions: [] };
    const keep = await timed("restore in place, overwrite_files false", async () =>
      restoreDone((await user.restores.start({ backup_id: backups[2] as string, destination_agent_id: agentA.agentId, destination_path: null, overwrite_files: false, ...selection })).id),
    );
    await expectState("restore", keep, "completed");
    expect(await readFile(notes, "utf8")).toBe("local edit\n");
    const clobber = await timed("restore in place, overwrite_files true", async () =>
      restoreDone((await user.restores.start({ backup_id: backups[2] as string, destination_agent_id: agentA.agentId, destination_path: null, overwrite_files: true, ...selection })).id),
    );
    await expectState("restore", clobber, "completed");
    expect(await readFile(notes, "utf8")).toBe("first notes\nmore notes\n");
  });

  let encryptedBackup: Backup;
  it("enables vault encryption (PKCS#1 v1.5 password), verifies it, backs up into the encrypted generation", async () => {
    const password = "correct horse battery staple vault";
    const request = await timed("enable encryption", async () => {
      const r = await user.agentRequests.requestEncryption(agentA.agentId, { old_encrypted_password_hex: null, new_encrypted_password_hex: await passwordHexFor(agentA.agentId, password, "pkcs1") });
      return waitFor("encryption result", () => user.agentRequests.encryptionResult(agentA.agentId, r.id), 60_000);
    });
    expect(request.succeeded).toBe(true);
    expect((await user.agents.get(agentA.agentId)).vault?.encrypted).toBe(true);
    for (const [candidate, expected] of [[password, true], ["wrong password", false]] as const) {
      const v = await user.agentRequests.requestPasswordVerification(agentA.agentId, { encrypted_password_hex: await passwordHexFor(agentA.agentId, candidate, "pkcs1") });
      expect((await waitFor("verification", () => user.agentRequests.passwordVerificationResult(agentA.agentId, v.id), 60_000)).valid).toBe(expected);
    }
    encryptedBackup = await timed("backup into the new encrypted generation", async () => backupDone((await user.backups.start(configurationId)).id));
    await expectState("backup", encryptedBackup, "completed");
    backups.push(encryptedBackup.id);
  });

  it.skipIf(!hasRestore)("restores the encrypted backup on B with the password (OAEP, our extension); a wrong one fails", async () => {
    const wrong = await restoreDone((await user.restores.start({ backup_id: encryptedBackup.id, destination_agent_id: agentB.agentId, destination_path: join(root, "wrongPw"), encrypted_password_hex: await passwordHexFor(agentB.agentId, "nope", "oaep") })).id);
    await expectState("restore", wrong, "failed");
    expect((await user.restores.errors(wrong.id)).reason).toBe("vault_password");
    const target = join(root, "encryptedOnB");
    const ok = await timed("restore encrypted backup on B", async () =>
      restoreDone((await user.restores.start({ backup_id: encryptedBackup.id, destination_agent_id: agentB.agentId, destination_path: target, encrypted_password_hex: await passwordHexFor(agentB.agentId, "correct horse battery staple vault", "oaep") })).id),
    );
    await expectState("restore", ok, "completed");
    expect((await facts(join(target, src, "docs", "big.bin"))).sha256).toBe((await facts(join(src, "docs", "big.bin"))).sha256);
  });

  it("a cleanup applies retention.days: snapshots older than a day are forgotten and their data pruned", async () => {
    agentA.setClockOffset(3 * 24 * HOUR);
    const recent = await backupDone((await user.backups.start(configurationId)).id);
    await expectState("backup", recent, "completed");
    const dir = await vaultDir(agentA.agentId);
    const before = await treeBytes(dir);
    const cleanup = await timed("cleanup (retention 1 day)", async () => {
      const id = (await user.cleanups.start(agentA.agentId)).id;
      return finished("cleanup", () => user.cleanups.get(id));
    });
    await expectState("cleanup", cleanup, "completed");
    expect(cleanup.snapshot_ids.length).toBe(backups.length);
    expect(cleanup.bytes_after).toBeLessThan(cleanup.bytes_before);
    growth["cleanup: vault bytes removed"] = before - (await treeBytes(dir));
    backups.push(recent.id);
  });

  it("activity lists every backup, restore and cleanup with correct states and counters", async () => {
    const all: Activity[] = [];
    for await (const a of user.activities.iterate()) all.push(a);
    const byType = (t: string) => all.filter((a) => a.type === t);
    expect(byType("backup").length).toBe(backups.length);
    expect(byType("cleanup").length).toBe(1);
    for (const a of all) expect(["completed", "failed"], `${a.type} ${a.id}`).toContain(a.state);
    for (const id of backups) {
      const b = await user.backups.get(id);
      await expectState("backup", b, "completed");
      expect(b.restorable).toBe(true);
      expect(b.files_searched).toBe(3);
      expect(b.bytes_searched).toBeGreaterThan(24 * MiB);
      expect(b.bandwidth_avg_bps).toBeGreaterThanOrEqual(0);
      expect(b.started_time).not.toBeNull();
      expect(b.ended_time).not.toBeNull();
    }
    const restores: Restore[] = [];
    for await (const r of user.restores.iterate()) restores.push(r);
    expect(byType("restore").length).toBe(restores.length);
    for (const r of restores.filter((x) => x.state === "completed")) expect(r.ended_time).not.toBeNull();
  });

  it("an agent killed during a backup: the backup ends failed on restart, never stuck in_progress, and the next one succeeds", async () => {
    await writeFile(join(src, "docs", "huge.bin"), random(160 * MiB));
    const started = await user.backups.start(configurationId);
    await waitFor("backup in progress", async () => ((await user.backups.get(started.id)).state === "in_progress" ? true : undefined), 60_000, 50);
    await agentA.kill();
    const t0 = performance.now();
    agentA = await startAgentProcess({ serverUrl: server.url, dataDir: join(root, "agentA"), name: "server-a" });
    const failed = await backupDone(started.id);
    timings["restart after kill until the backup is reported failed"] = Math.round(performance.now() - t0);
    await expectState("backup", failed, "failed");
    expect((await user.backups.errors(started.id)).reason).toBe("agent_restarted");
    const next = await timed("backup after the kill (resumes stored data)", async () => backupDone((await user.backups.start(configurationId)).id, ));
    await expectState("backup", next, "completed");
    expect(next.files_searched).toBe(4);
    await user.configurations.update(configurationId, [replace("/enabled", false)]);
  });
});
