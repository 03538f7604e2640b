// Who may touch which vault's data (packages/server/src/routes/vaultData.ts), over real HTTP
// against an in-process server (in-process only so the test can create users of each role):
// an agent reads and writes its own vault; another agent may read it only through a restore it
// is the destination of, and only while that restore runs; users read with `creator`, write
// with `admin`; other projects never; oversized objects are refused before they are stored.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, jobReport } from "@cairn/api-client";
import { createServer, type CairnServer } from "@cairn/server";
import { HttpStorage, HttpStorageError, ObjectExistsError, ObjectNotFoundError } from "@cairn/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestAgent, type RegisteredAgent } from "./support/agents.js";

let server: CairnServer;
let url: string;
let dataDir: string;
const users: Record<string, { username: string; password: string; projectId: string }> = {};
let a: RegisteredAgent;
let b: RegisteredAgent;
let other: RegisteredAgent;

async function userToken(name: string): Promise<string> {
  const u = users[name]!;
  return createClient({ endpoint: url, credentials: { username: u.username, password: u.password, projectId: u.projectId } }).token();
}

function storageAt(path: string, token: () => Promise<string>): HttpStorage {
  return new HttpStorage({ baseUrl: `${url}${path}`, headers: async () => ({ "x-auth-token": await token() }) });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cairn-vault-access-"));
  server = await createServer({ dataDir, startScheduler: false, scryptCost: { N: 1024, r: 8, p: 1 } });
  url = await server.listen(0);
  const identity = server.context.stores.identity;
  for (const project of ["p1", "p2"]) {
    await identity.createProject(project);
    for (const role of ["admin", "creator", "observer"] as const) {
      const username = `${role}-${project}`;
      const user = await identity.createUser(username, `pw-${username}`);
      await identity.grant(user.id, project, role);
      users[`${role}-${project}`] = { username, password: `pw-${username}`, projectId: project };
    }
  }
  a = await registerTestAgent(url, users["creator-p1"]!, "agent-a");
  b = await registerTestAgent(url, users["creator-p1"]!, "agent-b");
  other = await registerTestAgent(url, users["creator-p2"]!, "agent-other-project");
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("vault data access", () => {
  it("an agent writes and reads its own vault; objects land under the data dir by vault id", async () => {
    const own = storageAt(`/v2/p1/agents/${a.id}/vault`, a.token);
    await own.put("config", new Uint8Array([1, 2, 3]));
    await expect(own.put("config", new Uint8Array([9]))).rejects.toBeInstanceOf(ObjectExistsError);
    expect(await own.get("config")).toEqual(new Uint8Array([1, 2, 3]));
    expect(await own.get("config", { offset: 1, length: 2 })).toEqual(new Uint8Array([2, 3]));
    const { readFile } = await import("node:fs/promises");
    expect(new Uint8Array(await readFile(join(dataDir, "vaults", "p1", a.vaultId, "config")))).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("another agent of the project cannot reach it through the agent route", async () => {
    const foreign = storageAt(`/v2/p1/agents/${a.id}/vault`, b.token);
    const error = await foreign.get("config").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStorageError);
    expect((error as HttpStorageError).status).toBe(403);
    await expect(foreign.put("data/ab", new Uint8Array([1]))).rejects.toMatchObject({ status: 403 });
    await expect(foreign.delete("config")).rejects.toMatchObject({ status: 403 });
  });

  it("a restore's destination agent reads the source vault read-only, and only while the restore runs", async () => {
    const creator = createClient({ endpoint: url, credentials: users["creator-p1"]! });
    const configuration = await creator.configurations.create({
      agent_id: a.id,
      name: "c",
      enabled: true,
      schedule: null,
      retention: { days: 0 },
      inclusions: [{ type: "folder", path: "/srv" }],
      exclusions: [],
      notifications: [{ type: "email", destination: "ops@example.com", on_success: false, on_failure: true }],
    });
    const backup = await creator.backups.start(configuration.id);
    await a.client.backups.update(backup.id, jobReport("completed", { snapshot_id: 1 }));
    const restore = await creator.restores.start({ backup_id: backup.id, destination_agent_id: b.id, destination_path: "/tmp/x" });
    const viaRestore = storageAt(`/v2/p1/restores/${restore.id}/vault`, b.token);
    expect(await viaRestore.get("config")).toEqual(new Uint8Array([1, 2, 3]));
    expect(await viaRestore.stat("config")).toEqual({ size: 3 });
    const listed: string[] = [];
    for await (const info of viaRestore.list()) listed.push(info.key);
    expect(listed).toEqual(["config"]);
    await expect(viaRestore.get("data/missing")).rejects.toBeInstanceOf(ObjectNotFoundError);
    // No writes through a restore: PUT and DELETE do not exist there.
    const put = await fetch(`${url}/v2/p1/restores/${restore.id}/vault/objects/data/ab`, { method: "PUT", headers: { "x-auth-token": await b.token(), "content-type": "application/octet-stream" }, body: new Uint8Array([1]) });
    expect([404, 405]).toContain(put.status);
    // The source agent itself is not the destination: refused.
    await expect(storageAt(`/v2/p1/restores/${restore.id}/vault`, a.token).get("config")).rejects.toMatchObject({ status: 403 });
    // Once the restore is over, the grant ends.
    await b.client.restores.update(restore.id, jobReport("completed", {}));
    await expect(viaRestore.get("config")).rejects.toMatchObject({ status: 403 });
  });

  it("users: creator reads, only admin writes or deletes, observer nothing", async () => {
    const path = `/v2/p1/agents/${a.id}/vault`;
    const asCreator = storageAt(path, () => userToken("creator-p1"));
    expect(await asCreator.get("config")).toEqual(new Uint8Array([1, 2, 3]));
    await expect(asCreator.put("data/cd", new Uint8Array([1]))).rejects.toMatchObject({ status: 403 });
    await expect(asCreator.delete("config")).rejects.toMatchObject({ status: 403 });
    await expect(storageAt(path, () => userToken("observer-p1")).get("config")).rejects.toMatchObject({ status: 403 });
    const asAdmin = storageAt(path, () => userToken("admin-p1"));
    await asAdmin.put("data/cd", new Uint8Array([4]));
    await asAdmin.delete("data/cd");
    await expect(asAdmin.stat("data/cd")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("other projects never: their admin, their agent, or our agent id in their path", async () => {
    await expect(storageAt(`/v2/p1/agents/${a.id}/vault`, () => userToken("admin-p2")).get("config")).rejects.toMatchObject({ status: 403 });
    await expect(storageAt(`/v2/p1/agents/${a.id}/vault`, other.token).get("config")).rejects.toMatchObject({ status: 403 });
    await expect(storageAt(`/v2/p2/agents/${a.id}/vault`, () => userToken("admin-p2")).get("config")).rejects.toMatchObject({ status: 404 });
    await expect(storageAt(`/v2/p2/agents/${a.id}/vault`, other.token).get("config")).rejects.toMatchObject({ status: 403 });
  });

  it("refuses an object over 64 MiB with 413 and stores nothing; a bad key from a raw client is a 400", async () => {
    const token = await a.token();
    const big = await fetch(`${url}/v2/p1/agents/${a.id}/vault/objects/data/ef`, { method: "PUT", headers: { "x-auth-token": token, "content-type": "application/octet-stream" }, body: new Uint8Array(64 * 1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    await expect(storageAt(`/v2/p1/agents/${a.id}/vault`, a.token).stat("data/ef")).rejects.toBeInstanceOf(ObjectNotFoundError);
    const bad = await fetch(`${url}/v2/p1/agents/${a.id}/vault/objects/UPPER/.hidden`, { headers: { "x-auth-token": token } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-cairn-storage-error")).toBe("invalid_key");
    const wrongType = await fetch(`${url}/v2/p1/agents/${a.id}/vault/objects/data/ef`, { method: "PUT", headers: { "x-auth-token": token, "content-type": "application/json" }, body: "{}" });
    expect(wrongType.status).toBe(400);
    const unauthenticated = await fetch(`${url}/v2/p1/agents/${a.id}/vault/objects/config`);
    expect(unauthenticated.status).toBe(401);
  });
});
