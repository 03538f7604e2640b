// HttpStorage's own edges, against a tiny loopback HTTP server that answers what a broken or
// busy server would (the full contract runs against the real cairn-server in apps/agent's
// vaultStorage.conformance.test.ts): transient statuses are retryable, malformed or foreign
// listings are refused, short or mismatched ranged reads are errors, and 401 re-authenticates once.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StorageError, StorageUnavailableError } from "../errors.js";
import { HttpStorage, HttpStorageError } from "./index.js";

let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
const server = createServer((req, res) => handler(req, res));
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

describe("HttpStorage", () => {
  it("validates its options", () => {
    expect(() => new HttpStorage({ baseUrl: "ftp://x" })).toThrow(TypeError);
    expect(() => new HttpStorage({ baseUrl: "http://x", timeoutMs: 0 })).toThrow(RangeError);
  });

  it("maps 503 and 429 to retryable errors and 403 to a final HttpStorageError", async () => {
    for (const [status, retryable] of [[503, true], [429, true], [403, false]] as const) {
      handler = (_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ message: "nope" }));
      const error = await new HttpStorage({ baseUrl: base }).get("config").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(status === 403 ? HttpStorageError : StorageUnavailableError);
      expect((error as StorageError).retryable).toBe(retryable);
    }
  });

  it("a connection refused is retryable", async () => {
    const error = await new HttpStorage({ baseUrl: "http://127.0.0.1:9/v" }).stat("config").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
  });

  it("refuses a listing with keys outside the prefix, or that is not JSON", async () => {
    handler = (_req, res) => res.end(JSON.stringify({ objects: [{ key: "keys/x", size: 1 }], next_marker: null }));
    await expect((async () => {
      for await (const _ of new HttpStorage({ baseUrl: base }).list("data/")) void _;
    })()).rejects.toBeInstanceOf(StorageError);
    handler = (_req, res) => res.end("<html>");
    await expect((async () => {
      for await (const _ of new HttpStorage({ baseUrl: base }).list()) void _;
    })()).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it("refuses a ranged read answered with the wrong bytes", async () => {
    handler = (_req, res) => res.writeHead(206, { "content-range": "bytes 0-9/100" }).end(Buffer.alloc(10));
    await expect(new HttpStorage({ baseUrl: base }).get("config", { offset: 5, length: 10 })).rejects.toBeInstanceOf(StorageError);
    handler = (_req, res) => res.writeHead(200).end(Buffer.alloc(100));
    await expect(new HttpStorage({ baseUrl: base }).get("config", { offset: 5, length: 10 })).rejects.toBeInstanceOf(StorageError);
  });

  it("on 401 calls onUnauthorized once and retries with the new headers", async () => {
    let token = "old";
    let renewals = 0;
    handler = (req, res) => (req.headers["x-auth-token"] === "new" ? res.writeHead(200, { "content-length": "3" }).end() : res.writeHead(401).end());
    const storage = new HttpStorage({ baseUrl: base, headers: () => ({ "x-auth-token": token }), onUnauthorized: async () => void ((token = "new"), renewals++) });
    expect(await storage.stat("config")).toEqual({ size: 3 });
    expect(renewals).toBe(1);
  });
});
