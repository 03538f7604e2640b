// Transport behaviour over real sockets: each test starts a loopback HTTP server that answers
// the identity call properly and then misbehaves on purpose (503/429 with Retry-After, a dropped
// connection, a request it never answers, an error body), so retries, timeouts, aborts and error
// mapping run through the real fetch and network stack — no fetch stand-in.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, createClient, NetworkError, TimeoutError } from "../src/index.js";

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Starts a loopback server: identity at /v2.0/tokens, everything else to `handler` (n counts API calls). */
async function serve(handler: Handler, seen: string[] = []): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers["x-auth-token"] ?? ""} ${req.headers["x-project-id"] ?? ""}`);
    if (req.url === "/v2.0/tokens") {
      const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        access: {
          token: { id: "t0k3n", expires: new Date(Date.now() + 3_600_000).toISOString(), tenant: { id: "42" } },
          serviceCatalog: [{ name: "cloudBackup", type: "rax:backup", endpoints: [{ tenantId: "42", publicURL: `${root}/v2/42` }] }],
        },
      }));
      return;
    }
    n += 1;
    handler(req, res, n);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

const client = (endpoint: string, extra: Record<string, unknown> = {}) => createClient({ endpoint, credentials: { username: "u", password: "p" }, retryBaseMs: 1, ...extra });

describe("transport over real sockets", () => {
  it("uses the catalog's publicURL and sends the token and project headers", async () => {
    const seen: string[] = [];
    const url = await serve((_req, res) => json(res, 200, { agents: [], links: [] }), seen);
    const c = client(url);
    expect(await c.agents.list()).toEqual([]);
    expect(seen).toEqual(["POST /v2.0/tokens  ", "GET /v2/42/agents t0k3n 42"]);
    expect(await c.projectId()).toBe("42");
  });

  it("retries idempotent calls on 503/429 (honouring Retry-After) and dropped connections", async () => {
    const url = await serve((req, res, n) => {
      if (n === 1) return json(res, 503, { message: "busy" }, { "retry-after": "0" });
      if (n === 2) return json(res, 429, { message: "slow down" });
      if (n === 3) return req.socket.destroy(); // the connection drops mid-request
      json(res, 200, { agents: [], links: [] });
    });
    const c = client(url);
    expect(await c.agents.list()).toEqual([]);
  });

  it("never retries a POST (it may have taken effect)", async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      json(res, 503, { message: "busy" }, { "retry-after": "0" });
    });
    await expect(client(url).backups.start("cfg")).rejects.toMatchObject({ status: 503, serverMessage: "busy" });
    expect(calls).toBe(1);
  });

  it("gives up after the retry budget with a NetworkError (server gone)", async () => {
    const url = await serve((_req, res) => json(res, 200, { agents: [] }));
    const c = client(url, { retries: 2 });
    await c.projectId(); // authenticated; now the server disappears
    const s = servers.pop()!;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
    await expect(c.agents.list()).rejects.toBeInstanceOf(NetworkError);
  });

  it("times out a request the server never answers", async () => {
    const url = await serve(() => undefined);
    await expect(client(url, { timeoutMs: 100, retries: 0 }).agents.list()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("stops at once when the caller aborts", async () => {
    const url = await serve(() => undefined);
    const controller = new AbortController();
    const pending = client(url).agents.list({}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("turns error bodies into ApiError with status, message and details", async () => {
    const url = await serve((_req, res) => json(res, 400, { message: "Validation failed: x", errors: ["body.x is required"] }));
    const error = (await client(url).agents.get("a").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual(["body.x is required"]);
    expect(error.serverMessage).toBe("Validation failed: x");
  });

  it("iterates pages by following next links until none is left", async () => {
    let root = "";
    const url = await serve((req, res) => {
      if (req.url === "/v2/42/backups?limit=2") return json(res, 200, { backups: [{ id: "1" }, { id: "2" }], links: [{ rel: "next", href: `${root}/v2/42/backups?limit=2&marker=2` }] });
      if (req.url === "/v2/42/backups?limit=2&marker=2") return json(res, 200, { backups: [{ id: "3" }], links: [{ rel: "previous", href: "x" }] });
      json(res, 404, { message: "no" });
    });
    root = url;
    const ids: string[] = [];
    for await (const b of client(url).backups.iterate({ limit: 2 })) ids.push(b.id);
    expect(ids).toEqual(["1", "2", "3"]);
  });
});
