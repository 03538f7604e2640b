import { describe, expect, it } from "vitest";
import { ApiError, createClient, NetworkError, TimeoutError } from "./index.js";

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

/** A fetch that answers the token call itself and hands every other call to `handler`. */
function fakeFetch(handler: Handler, log: string[] = []): typeof fetch {
  return async (input, init = {}) => {
    const url = String(input);
    log.push(`${init.method ?? "GET"} ${new URL(url).pathname}`);
    if (url.endsWith("/v2.0/tokens")) {
      return Response.json({
        access: {
          token: { id: "t", expires: new Date(Date.now() + 3_600_000).toISOString(), tenant: { id: "42" } },
          serviceCatalog: [{ name: "cloudBackup", type: "rax:backup", endpoints: [{ tenantId: "42", publicURL: "http://api.test/v2/42" }] }],
        },
      });
    }
    return handler(url, init);
  };
}

const client = (handler: Handler, log?: string[], extra: Record<string, unknown> = {}) =>
  createClient({ endpoint: "http://api.test", credentials: { username: "u", password: "p" }, fetch: fakeFetch(handler, log), retryBaseMs: 1, ...extra });

describe("transport", () => {
  it("uses the catalog's publicURL and sends the token and project headers", async () => {
    let seen: Headers | undefined;
    const c = client((url, init) => {
      expect(url).toBe("http://api.test/v2/42/agents");
      seen = new Headers(init.headers);
      return Response.json({ agents: [] });
    });
    expect(await c.agents.list()).toEqual([]);
    expect(seen?.get("x-auth-token")).toBe("t");
    expect(seen?.get("x-project-id")).toBe("42");
    expect(await c.projectId()).toBe("42");
  });

  it("retries idempotent calls on 503/429 (honouring Retry-After) and network errors", async () => {
    const log: string[] = [];
    let n = 0;
    const c = client(() => {
      n += 1;
      if (n === 1) return new Response(JSON.stringify({ message: "busy" }), { status: 503, headers: { "retry-after": "0" } });
      if (n === 2) return new Response("{}", { status: 429 });
      if (n === 3) throw new TypeError("fetch failed");
      return Response.json({ agents: [] });
    }, log);
    expect(await c.agents.list()).toEqual([]);
    expect(n).toBe(4);
  });

  it("never retries a POST", async () => {
    let n = 0;
    const c = client(() => {
      n += 1;
      return new Response(JSON.stringify({ message: "busy" }), { status: 503 });
    });
    await expect(c.backups.start("cfg")).rejects.toMatchObject({ status: 503, serverMessage: "busy" });
    expect(n).toBe(1);
  });

  it("gives up after the retry budget with the last error", async () => {
    const c = client(() => {
      throw new TypeError("connection refused");
    }, undefined, { retries: 2 });
    await expect(c.agents.list()).rejects.toBeInstanceOf(NetworkError);
  });

  it("times out a hung request", async () => {
    const c = client((_url, init) => new Promise<Response>((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))), undefined, { timeoutMs: 50, retries: 0 });
    await expect(c.agents.list()).rejects.toBeInstanceOf(TimeoutError);
  });

  it("stops at once when the caller aborts", async () => {
    const c = client((_url, init) => new Promise<Response>((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))));
    const controller = new AbortController();
    const pending = c.agents.list({}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 20);
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("turns error bodies into ApiError", async () => {
    const c = client(() => new Response(JSON.stringify({ message: "Validation failed: x", errors: ["body.x is required"] }), { status: 400 }));
    const error = (await c.agents.get("a").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual(["body.x is required"]);
    expect(error.serverMessage).toBe("Validation failed: x");
  });

  it("iterates pages by following next links until none is left", async () => {
    const pages: Record<string, unknown> = {
      "http://api.test/v2/42/backups?limit=2": { backups: [{ id: "1" }, { id: "2" }], links: [{ rel: "next", href: "http://api.test/v2/42/backups?limit=2&marker=2" }] },
      "http://api.test/v2/42/backups?limit=2&marker=2": { backups: [{ id: "3" }], links: [{ rel: "previous", href: "x" }] },
    };
    const c = client((url) => Response.json(pages[url] ?? { backups: [], links: [] }));
    const ids: string[] = [];
    for await (const b of c.backups.iterate({ limit: 2 })) ids.push(b.id);
    expect(ids).toEqual(["1", "2", "3"]);
  });
});
