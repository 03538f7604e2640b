// startServer, the programmatic start a CLI embeds: listens on a real socket (port 0 → the bound
// port), bootstraps from the given environment, prints the one-time credentials once (or hands
// them back with credentialsOut: false), refuses bad input without leaving anything running,
// and closes idempotently.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { createLogger, startServer } from "../src/index.js";
import { describeDrivers } from "./support/drivers.js";

const sink = (): { stream: Writable; text: () => string } => {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    text: () => chunks.join(""),
  };
};

describeDrivers("startServer", (driver) => {
  const dirs: string[] = [];
  const schemas: string[] = [];
  const dataDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), "cairn-start-"));
    dirs.push(d);
    return d;
  };
  const database = (): Record<string, string> => {
    if (driver.name !== "postgres") return {};
    const schema = `start_${randomBytes(4).toString("hex")}`;
    schemas.push(schema);
    return { database: driver.url as string, databaseSchema: schema };
  };
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (schemas.length > 0) {
      const client = new pg.Client({ connectionString: driver.url });
      await client.connect();
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await client.end();
    }
  });

  it("listens, bootstraps from env, prints credentials once, serves, and closes", async () => {
    const out = sink();
    const log = sink();
    const env = { CAIRN_ADMIN_USER: "ops", CAIRN_ADMIN_PASSWORD: "correct horse battery", CAIRN_PROJECT_ID: "424242" };
    const handle = await startServer({ port: 0, dataDir: dataDir(), ...database(), env, credentialsOut: out.stream, logger: createLogger({ destination: log.stream }), scryptCost: { N: 1024, r: 8, p: 1 } });
    expect(handle.port).toBeGreaterThan(0);
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
    expect(handle.database).toBe(driver.name);
    expect(handle.bootstrap).toMatchObject({ projectId: "424242", username: "ops", generatedPassword: undefined });
    expect(out.text()).toContain("project id: 424242");
    expect(out.text()).toContain(`API key:    ${handle.bootstrap!.apiKey}`);
    expect(out.text()).not.toContain("correct horse battery");
    const auth = await fetch(`${handle.url}/v2.0/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth: { "RAX-KSKEY:apiKeyCredentials": { username: "ops", apiKey: handle.bootstrap!.apiKey } } }),
    });
    expect(auth.status).toBe(200);
    const access = ((await auth.json()) as { access: { token: { id: string }; serviceCatalog: { endpoints: { publicURL: string }[] }[] } }).access;
    expect(access.serviceCatalog[0]?.endpoints[0]?.publicURL).toBe(`${handle.url}/v2/424242`);
    const agents = await fetch(`${handle.url}/v2/424242/agents`, { headers: { "x-auth-token": access.token.id } });
    expect(agents.status).toBe(200);
    await handle.close();
    await handle.close(); // idempotent
    await handle.closed;
    await expect(fetch(`${handle.url}/`)).rejects.toThrow();
    expect(log.text()).toContain('"msg":"stopped"');
    // One structured access line per request, without the token.
    expect(log.text()).toMatch(/"method":"GET","url":"\/v2\/424242\/agents","status":200,"ms":[0-9.]+,"msg":"request"/);
    expect(log.text()).not.toContain(access.token.id);
    expect(log.text()).not.toContain(handle.bootstrap!.apiKey);
  });

  it("with credentialsOut: false prints nothing and returns generated credentials", async () => {
    const log = sink();
    const handle = await startServer({ port: 0, dataDir: dataDir(), ...database(), env: {}, credentialsOut: false, logger: createLogger({ destination: log.stream }), scryptCost: { N: 1024, r: 8, p: 1 } });
    try {
      expect(handle.bootstrap?.username).toBe("admin");
      expect(handle.bootstrap?.generatedPassword).toMatch(/^[0-9a-f]{24}$/);
      expect(log.text()).not.toContain(handle.bootstrap!.generatedPassword!);
    } finally {
      await handle.close();
    }
  });

  it("refuses a bad environment or a taken port and leaves nothing running", async () => {
    const quiet = createLogger({ destination: sink().stream });
    await expect(startServer({ port: 0, dataDir: dataDir(), ...database(), env: { CAIRN_ADMIN_USER: "only-user" }, logger: quiet })).rejects.toThrow(/CAIRN_ADMIN_PASSWORD/);
    const first = await startServer({ port: 0, dataDir: dataDir(), ...database(), env: {}, credentialsOut: false, logger: quiet, scryptCost: { N: 1024, r: 8, p: 1 } });
    try {
      await expect(startServer({ port: first.port, dataDir: dataDir(), ...database(), env: {}, credentialsOut: false, logger: quiet, scryptCost: { N: 1024, r: 8, p: 1 } })).rejects.toThrow(/EADDRINUSE|address already in use/);
      expect((await fetch(`${first.url}/`)).status).toBe(200);
    } finally {
      await first.close();
    }
  });
});
