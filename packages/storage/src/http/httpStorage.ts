// HttpStorage: a Storage over HTTP, speaking the small object protocol the Cairn server serves
// for vault data (docs/agent.md, "Vault data over HTTP"):
//
//   PUT    <base>/objects/<key>      create-only; 201, or 409 + X-Cairn-Storage-Error: object_exists | key_conflict
//   GET    <base>/objects/<key>      200, or 206 for `Range: bytes=a-b` (416 outside the object)
//   HEAD   <base>/objects/<key>      Content-Length = size
//   DELETE <base>/objects/<key>      204, also for a missing key
//   GET    <base>/objects?prefix=&marker=&limit=   {objects:[{key,size}], next_marker}
//
// Browser-safe: an injected `fetch`, `Uint8Array`, `AbortController`, nothing from Node. The
// caller supplies the credentials as a header provider (called for every request, so a token
// can be renewed underneath) and, optionally, what to do on a 401 (re-authenticate: the request
// is then tried once more). Transient failures (network errors, timeouts, 429, 5xx) are
// `StorageUnavailableError`s, so `withRetry` composes with this backend as with any other.
import { RangeNotSatisfiableError, StorageError, StorageUnavailableError } from "../errors.js";
import { validateKey, validatePrefix } from "../keys.js";
import { byteRange, bytes, integer } from "../internal/validate.js";
import type { ByteRange, ObjectInfo, ObjectStat, OperationOptions, Storage } from "../storage.js";
import { errorFromResponse } from "./httpErrors.js";

export interface HttpStorageOptions {
  /**
   * URL of the object namespace, without a trailing slash: objects live at
   * `<baseUrl>/objects/<key>`. For a Cairn server vault:
   * `<server>/v2/<project>/agents/<agent id>/vault` (or `…/restores/<restore id>/vault`, read-only).
   */
  readonly baseUrl: string;
  /** fetch implementation (default `globalThis.fetch`). */
  readonly fetch?: typeof fetch;
  /** Headers that authenticate a request (e.g. `{"x-auth-token": …}`); called before every request. */
  readonly headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Called once when the server answers 401; the request is then sent once more. */
  readonly onUnauthorized?: () => Promise<void>;
  /** Per-request timeout in milliseconds (default 120 000; a 64 MiB pack on a slow link needs time). */
  readonly timeoutMs?: number;
  /** Objects per listing request (default 1000). */
  readonly listPageSize?: number;
}

interface Exchange {
  readonly method: "GET" | "HEAD" | "PUT" | "DELETE";
  readonly url: string;
  readonly key: string | undefined;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  readonly signal: AbortSignal | undefined;
}

/** A Storage served over HTTP. Browser-safe. */
export class HttpStorage implements Storage {
  readonly baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #headers: () => Record<string, string> | Promise<Record<string, string>>;
  readonly #onUnauthorized: (() => Promise<void>) | undefined;
  readonly #timeoutMs: number;
  readonly #pageSize: number;
  #closed = false;

  /** @throws {TypeError|RangeError} for a malformed base URL or options. */
  constructor(options: HttpStorageOptions) {
    if (typeof options?.baseUrl !== "string" || !/^https?:\/\/[^/]/i.test(options.baseUrl)) {
      throw new TypeError(`baseUrl: expected an http(s) URL, got ${JSON.stringify(options?.baseUrl)}`);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== "function") throw new TypeError("fetch: expected a function (no global fetch in this environment)");
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#headers = options.headers ?? (() => ({}));
    this.#onUnauthorized = options.onUnauthorized;
    this.#timeoutMs = integer("timeoutMs", options.timeoutMs ?? 120_000, 1, 24 * 3_600_000);
    this.#pageSize = integer("listPageSize", options.listPageSize ?? 1000, 1, 10_000);
  }

  /** @see Storage.put */
  async put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void> {
    validateKey(key);
    bytes("data", data);
    this.#checkOpen(options);
    const response = await this.#send({ method: "PUT", url: this.#objectUrl(key), key, body: data, headers: { "content-type": "application/octet-stream" }, signal: options?.signal });
    await discard(response);
    if (response.status === 200 || response.status === 201 || response.status === 204) return;
    throw await this.#failure(response, key);
  }

  /** @see Storage.get — zero-length ranges, which HTTP cannot express, are answered from a stat. */
  async get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array> {
    validateKey(key);
    const r = byteRange(range);
    this.#checkOpen(options);
    if (r !== undefined && r.length === 0) {
      const { size } = await this.stat(key, options);
      if (r.offset > size) throw new RangeNotSatisfiableError(key, size, r.offset, 0);
      return new Uint8Array(0);
    }
    const headers: Record<string, string> = r === undefined ? {} : { range: `bytes=${r.offset}-${r.offset + r.length - 1}` };
    const response = await this.#send({ method: "GET", url: this.#objectUrl(key), key, headers, signal: options?.signal });
    if (r === undefined ? response.status !== 200 : response.status !== 206) {
      if (r !== undefined && response.status === 416) {
        await discard(response);
        throw new RangeNotSatisfiableError(key, sizeFromContentRange(response.headers.get("content-range")) ?? -1, r.offset, r.length);
      }
      if (response.status === 200 || response.status === 206) {
        await discard(response);
        throw new StorageError(`GET ${key}: the server answered ${response.status} to ${r === undefined ? "a whole-object" : "a ranged"} read`, { key });
      }
      throw await this.#failure(response, key);
    }
    const data = await readAll(response, key, options?.signal);
    if (r !== undefined) {
      const expected = `bytes ${r.offset}-${r.offset + r.length - 1}/`;
      if (!(response.headers.get("content-range") ?? "").startsWith(expected) || data.length !== r.length) {
        throw new StorageError(`GET ${key}: the server returned ${data.length} bytes for range ${r.offset}+${r.length}`, { key });
      }
    } else {
      const declared = response.headers.get("content-length");
      if (declared !== null && Number(declared) !== data.length) throw new StorageUnavailableError(`GET ${key}: the response was cut short (${data.length} of ${declared} bytes)`, { key });
    }
    return data;
  }

  /** @see Storage.stat */
  async stat(key: string, options?: OperationOptions): Promise<ObjectStat> {
    validateKey(key);
    this.#checkOpen(options);
    const response = await this.#send({ method: "HEAD", url: this.#objectUrl(key), key, signal: options?.signal });
    await discard(response);
    if (response.status !== 200) throw await this.#failure(response, key);
    const size = Number(response.headers.get("content-length"));
    if (!Number.isSafeInteger(size) || size < 0) throw new StorageError(`HEAD ${key}: no usable Content-Length in the response`, { key });
    return { size };
  }

  /** @see Storage.list — pages through the listing in ascending key order; stopping early stops the requests. */
  async *list(prefix = "", options?: OperationOptions): AsyncGenerator<ObjectInfo> {
    validatePrefix(prefix);
    this.#checkOpen(options);
    let marker: string | null = null;
    for (;;) {
      const query = new URLSearchParams({ prefix, limit: String(this.#pageSize) });
      if (marker !== null) query.set("marker", marker);
      const response = await this.#send({ method: "GET", url: `${this.baseUrl}/objects?${query.toString()}`, key: undefined, signal: options?.signal });
      if (response.status !== 200) throw await this.#failure(response, undefined);
      const page = parsePage(await response.text(), prefix, marker);
      for (const info of page.objects) yield info;
      if (page.nextMarker === null) return;
      marker = page.nextMarker;
    }
  }

  /** @see Storage.delete */
  async delete(key: string, options?: OperationOptions): Promise<void> {
    validateKey(key);
    this.#checkOpen(options);
    const response = await this.#send({ method: "DELETE", url: this.#objectUrl(key), key, signal: options?.signal });
    await discard(response);
    if (response.status === 200 || response.status === 204 || response.status === 404) {
      if (response.status !== 404 || response.headers.get("x-cairn-storage-error") === "not_found") return;
    }
    throw await this.#failure(response, key);
  }

  /** @see Storage.close — nothing is held between requests, so this only refuses later calls. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #objectUrl(key: string): string {
    return `${this.baseUrl}/objects/${key}`;
  }

  #checkOpen(options: OperationOptions | undefined): void {
    options?.signal?.throwIfAborted();
    if (this.#closed) throw new StorageError("storage is closed");
  }

  /** One request; on 401 re-authenticates once. Network failures and timeouts become retryable errors. */
  async #send(exchange: Exchange): Promise<Response> {
    let response = await this.#attempt(exchange);
    if (response.status === 401 && this.#onUnauthorized !== undefined) {
      await discard(response);
      await this.#onUnauthorized();
      response = await this.#attempt(exchange);
    }
    return response;
  }

  async #attempt(exchange: Exchange): Promise<Response> {
    const { signal } = exchange;
    signal?.throwIfAborted();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const headers = { ...(await this.#headers()), ...exchange.headers };
      return await this.#fetch(exchange.url, { method: exchange.method, headers, signal: controller.signal, ...(exchange.body === undefined ? {} : { body: exchange.body as BodyInit }) });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const what = `${exchange.method} ${exchange.key ?? "(list)"}`;
      if (timedOut) throw new StorageUnavailableError(`${what}: no answer within ${this.#timeoutMs} ms`, { key: exchange.key, cause: error });
      throw new StorageUnavailableError(`${what}: ${(error as Error)?.message ?? String(error)}`, { key: exchange.key, cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async #failure(response: Response, key: string | undefined): Promise<StorageError> {
    const text = await response.text().catch(() => "");
    return errorFromResponse(response.status, response.headers, text, key);
  }
}

async function discard(response: Response): Promise<void> {
  if (response.body !== null && !response.bodyUsed) await response.body.cancel().catch(() => undefined);
}

async function readAll(response: Response, key: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new StorageUnavailableError(`GET ${key}: the response broke off: ${(error as Error)?.message ?? String(error)}`, { key, cause: error });
  }
}

// The total size in a Content-Range header ("bytes a-b/size", or "bytes */size" on a 416).
function sizeFromContentRange(header: string | null): number | undefined {
  const m = /\/(\d+)\s*$/.exec(header ?? "");
  return m === null ? undefined : Number(m[1]);
}

/** Validates a listing page: keys must be valid, match the prefix and follow the marker. */
function parsePage(text: string, prefix: string, marker: string | null): { objects: ObjectInfo[]; nextMarker: string | null } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StorageUnavailableError("list: the server's answer is not JSON");
  }
  const b = body as { objects?: unknown; next_marker?: unknown };
  if (!Array.isArray(b.objects) || !(b.next_marker === null || typeof b.next_marker === "string")) throw new StorageError("list: malformed listing page");
  const objects: ObjectInfo[] = [];
  for (const item of b.objects as { key?: unknown; size?: unknown }[]) {
    const key = item?.key;
    const size = item?.size;
    if (typeof key !== "string" || !key.startsWith(prefix) || (marker !== null && key <= marker) || typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      throw new StorageError(`list: the server listed an entry that does not belong to this listing: ${JSON.stringify(item).slice(0, 120)}`);
    }
    validateKey(key);
    objects.push({ key, size });
  }
  const nextMarker = b.next_marker as string | null;
  if (nextMarker !== null && (objects.length === 0 || nextMarker !== objects[objects.length - 1]?.key)) throw new StorageError("list: the next marker does not follow the page");
  return { objects, nextMarker };
}
