// Vault data over HTTP: the objects of each agent's vault (the encrypted repository the agent
// writes with @cairn/repository) stored under the server's data directory and served as a
// small object-store protocol that @cairn/storage's HttpStorage speaks. The server only ever
// sees ciphertext: every object is sealed by the repository before it leaves the agent.
//
//   PUT    …/objects/<key>        create-only (409 if the key exists), body = the object bytes
//   GET    …/objects/<key>        whole object, or one `Range: bytes=a-b` (206 / 416)
//   HEAD   …/objects/<key>        size in Content-Length
//   DELETE …/objects/<key>        idempotent (204 also for a missing key)
//   GET    …/objects?prefix=&marker=&limit=   {objects:[{key,size}], next_marker}, ascending keys
//
// under two roots, both below /v2/{project_id}:
//   /agents/{agent_id}/vault     the agent's own vault: its agent token reads and writes it; users
//                                read with `creator`, write and delete with `admin` (repair tools);
//   /restores/{restore_id}/vault read-only view of the vault a restore reads from: the restore's
//                                destination agent while the restore is not terminal (this is how
//                                agent B restores agent A's backup), users with `creator`.
// Another project's vaults are never reachable: every lookup is scoped to the path's project,
// and authentication already refused tokens of other projects.
//
// Storage: one FileSystemStorage per vault at <data dir>/vaults/<project>/<vault id>/, `data/`
// sharded; it gives create-only, atomic, durable writes (temporary file + hard link). Routing
// by vault id, not agent id, keeps data with the vault when it is moved to another agent.
// A later S3/Swift vault changes `vaultStorage` here (or the agent's vault factory) only.
//
// These routes are registered with fastify directly rather than through `defineRoute`, because
// bodies and responses are raw bytes (not JSON) and the key is a wildcard path; they still carry
// the same route metadata for the OpenAPI document and the role tests.
import { Readable } from "node:stream";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  KeyConflictError,
  ObjectExistsError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  StorageError,
  isValidKey,
  validatePrefix,
  type Storage,
} from "@cairn/storage";
import { FileSystemStorage } from "@cairn/storage/fs";
import { authenticate, type Auth } from "../auth/authenticate.js";
import type { Requirement } from "../auth/roles.js";
import type { AppContext } from "../context.js";
import { HttpError, badRequest, forbidden, notFound } from "../errors.js";
import type { RouteSpec } from "../http/route.js";
import { ID_SCHEMA, PROJECT_ID_SCHEMA } from "../http/route.js";
import { isTerminal } from "../state/machines.js";

/** Largest object accepted by PUT: packs are ~16 MiB (one chunk of up to 8 MiB may overshoot). */
export const MAX_VAULT_OBJECT_BYTES = 64 * 1024 * 1024;
/** Default and largest page of a listing. */
const LIST_DEFAULT = 1000;
const LIST_MAX = 10_000;
/** Header naming the storage error behind a 4xx, so clients map it to the right error class. */
const ERROR_HEADER = "x-cairn-storage-error";
const OBJECTS_SEGMENT = "/vault/objects/";

type Scope = "agent" | "restore";
type Access = "read" | "write";

/** The vault a request addresses, after authorisation. */
interface VaultTarget {
  vaultId: string;
  storage: Storage;
}

const storageError = (status: number, code: string, message: string): HttpError => new HttpError(status, message, undefined, { [ERROR_HEADER]: code });

/** The on-disk store of one vault (cached: the backend itself is stateless apart from its root). */
function vaultStorage(ctx: AppContext, cache: Map<string, Storage>, projectId: string, vaultId: string): Storage {
  const root = join(ctx.settings.dataDir, "vaults", encodeURIComponent(projectId), encodeURIComponent(vaultId));
  let storage = cache.get(root);
  if (storage === undefined) {
    storage = new FileSystemStorage(root, { shardedPrefixes: ["data/"] });
    cache.set(root, storage);
  }
  return storage;
}

/**
 * Who may do what (see the header): resolves the path's agent or restore to a vault.
 * @throws HttpError 404 (no such agent/restore/vault in the project), 403 (not allowed).
 */
async function resolveVault(ctx: AppContext, cache: Map<string, Storage>, auth: Auth, scope: Scope, id: string, access: Access): Promise<VaultTarget> {
  if (scope === "agent") {
    const agent = await ctx.stores.agents.get(auth.projectId, id);
    if (agent === undefined) throw notFound("Agent");
    if (auth.agentId !== null && auth.agentId !== agent.id) throw forbidden("An agent token may only act on its own agent.");
    if (auth.agentId === null && access === "write" && auth.role !== "admin") throw forbidden("Writing or deleting vault objects as a user requires the admin role; agents write their own vault.");
    if (agent.doc.vault === null) throw notFound("Vault");
    return { vaultId: agent.doc.vault.id, storage: vaultStorage(ctx, cache, auth.projectId, agent.doc.vault.id) };
  }
  const job = await ctx.stores.jobs.get(auth.projectId, id, "restore");
  if (job === undefined) throw notFound("Restore");
  if (auth.agentId !== null) {
    if (job.agentId !== auth.agentId) throw forbidden("Only the restore's destination agent may read its source vault.");
    if (isTerminal(job.state)) throw forbidden(`The restore is ${job.state}: its source vault is no longer readable with this agent's token.`);
  }
  if (job.vaultId === null) throw notFound("Vault");
  return { vaultId: job.vaultId, storage: vaultStorage(ctx, cache, auth.projectId, job.vaultId) };
}

/** The key: the rest of the path after `/vault/objects/` (read from the URL: the params schema strips `*`). */
function keyOf(request: FastifyRequest): string {
  const path = request.url.split("?")[0] ?? "";
  const at = path.indexOf(OBJECTS_SEGMENT);
  let key = at < 0 ? "" : path.slice(at + OBJECTS_SEGMENT.length);
  try {
    key = decodeURIComponent(key);
  } catch {
    key = "";
  }
  if (!isValidKey(key)) throw storageError(400, "invalid_key", `Invalid object key ${JSON.stringify(String(key).slice(0, 80))}: segments of a-z 0-9 . _ - joined by /, none starting with a dot, at most 1024 characters.`);
  return key;
}

/** Maps a backend failure to the wire; anything unexpected is left to the 500 handler. */
function fromStorage(error: unknown): never {
  if (error instanceof ObjectNotFoundError) throw storageError(404, "not_found", "Object not found.");
  if (error instanceof ObjectExistsError) throw storageError(409, "object_exists", "An object is already stored under this key; objects are never overwritten.");
  if (error instanceof KeyConflictError) throw storageError(409, "key_conflict", "This key would be both an object and a directory of other keys.");
  if (error instanceof StorageError && error.retryable) throw new HttpError(503, "The vault store is temporarily unavailable; retry.", undefined, { "retry-after": "1" });
  throw error;
}

/** Parses `bytes=a-b` (one range, both ends given) as [offset, length]. */
function parseRange(header: string): [number, number] {
  const m = /^bytes=(\d{1,16})-(\d{1,16})$/.exec(header.trim());
  if (m === null) throw storageError(400, "invalid_range", "Only single ranges of the form bytes=<first>-<last> are supported.");
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last < first) throw storageError(400, "invalid_range", "Range: last byte before first byte.");
  return [first, last - first + 1];
}

async function readBody(request: FastifyRequest): Promise<Uint8Array> {
  const body = request.body;
  if (body === undefined || body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body;
  throw badRequest("Send the object bytes with Content-Type: application/octet-stream.");
}

interface RawRoute {
  method: "GET" | "PUT" | "DELETE";
  url: string;
  spec: Omit<RouteSpec, "handler" | "path" | "method">;
  access: Access;
  scope: Scope;
  handler(request: FastifyRequest, reply: FastifyReply, vault: VaultTarget): Promise<unknown>;
}

function register(app: FastifyInstance, ctx: AppContext, cache: Map<string, Storage>, route: RawRoute): void {
  const idName = route.scope === "agent" ? "agent_id" : "restore_id";
  const url = `/v2/:project_id/${route.scope === "agent" ? "agents" : "restores"}/:${idName}/vault/objects${route.url}`;
  const required: Requirement = route.spec.role;
  app.route({
    method: route.method,
    url,
    bodyLimit: MAX_VAULT_OBJECT_BYTES,
    schema: { params: { type: "object", required: ["project_id", idName], properties: { project_id: PROJECT_ID_SCHEMA, [idName]: ID_SCHEMA } } },
    config: { cairn: { ...route.spec, method: route.method, path: url } },
    onRequest: async (request) => {
      // Authentication before the body is read: nobody streams 64 MiB at us anonymously.
      request.cairnAuth = await authenticate(ctx, request, required, "own");
      const length = Number(request.headers["content-length"] ?? 0);
      if (length > MAX_VAULT_OBJECT_BYTES) throw new HttpError(413, `Vault objects are limited to ${MAX_VAULT_OBJECT_BYTES} bytes.`);
    },
    handler: async (request, reply) => {
      const auth = request.cairnAuth as Auth;
      const id = (request.params as Record<string, string>)[idName] as string;
      const vault = await resolveVault(ctx, cache, auth, route.scope, id, route.access);
      return route.handler(request, reply, vault);
    },
  });
}

function objectRoutes(scope: Scope, writable: boolean): RawRoute[] {
  const owner = scope === "agent" ? "the agent's vault" : "the restore's source vault";
  const tag = "vault-data";
  const prefix = scope === "agent" ? "AgentVault" : "RestoreVault";
  const routes: RawRoute[] = [
    {
      method: "GET",
      url: "",
      scope,
      access: "read",
      spec: {
        operationId: `list${prefix}Objects`,
        summary: `List the objects of ${owner} whose keys start with prefix, in ascending key order (marker = last key seen)`,
        tag,
        role: "creator",
        agent: "own",
        status: 200,
        querystring: {
          type: "object",
          properties: {
            prefix: { type: "string", maxLength: 1024 },
            marker: { type: "string", maxLength: 1024 },
            limit: { type: "integer", minimum: 1, maximum: LIST_MAX },
          },
        },
      },
      async handler(request, _reply, vault) {
        const q = request.query as { prefix?: string; marker?: string; limit?: number };
        const prefixText = q.prefix ?? "";
        try {
          validatePrefix(prefixText);
        } catch (error) {
          throw storageError(400, "invalid_key", `Invalid prefix: ${(error as Error).message}`);
        }
        const all: { key: string; size: number }[] = [];
        try {
          for await (const info of vault.storage.list(prefixText)) if (q.marker === undefined || info.key > q.marker) all.push({ key: info.key, size: info.size });
        } catch (error) {
          fromStorage(error);
        }
        all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const limit = q.limit ?? LIST_DEFAULT;
        const objects = all.slice(0, limit);
        return { objects, next_marker: all.length > limit ? (objects[objects.length - 1]?.key ?? null) : null };
      },
    },
    {
      method: "GET",
      url: "/*",
      scope,
      access: "read",
      spec: {
        operationId: `get${prefix}Object`,
        summary: `Read an object of ${owner} (application/octet-stream); one Range: bytes=a-b gives 206; HEAD gives its size`,
        tag,
        role: "creator",
        agent: "own",
        status: 200,
        statuses: [206, 416],
      },
      async handler(request, reply, vault) {
        const key = keyOf(request);
        let size: number;
        try {
          size = (await vault.storage.stat(key)).size;
        } catch (error) {
          fromStorage(error);
        }
        void reply.header("accept-ranges", "bytes").type("application/octet-stream");
        if (request.method === "HEAD") {
          void reply.header("content-length", String(size));
          return reply.code(200).send(Readable.from([]));
        }
        const rangeHeader = request.headers.range;
        let bytes: Uint8Array;
        try {
          if (rangeHeader === undefined) {
            bytes = await vault.storage.get(key);
            void reply.code(200);
          } else {
            const [offset, length] = parseRange(rangeHeader);
            if (offset + length > size) throw new RangeNotSatisfiableError(key, size, offset, length);
            bytes = await vault.storage.get(key, { offset, length });
            void reply.code(206).header("content-range", `bytes ${offset}-${offset + length - 1}/${size}`);
          }
        } catch (error) {
          if (error instanceof RangeNotSatisfiableError) {
            throw new HttpError(416, `Range outside the object of ${error.size} bytes.`, undefined, { [ERROR_HEADER]: "range_not_satisfiable", "content-range": `bytes */${error.size}` });
          }
          if (error instanceof HttpError) throw error;
          fromStorage(error);
        }
        return reply.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      },
    },
  ];
  if (!writable) return routes;
  routes.push(
    {
      method: "PUT",
      url: "/*",
      scope,
      access: "write",
      spec: {
        operationId: `put${prefix}Object`,
        summary: `Store an object in ${owner} (body: application/octet-stream, at most 64 MiB); create-only, 409 if the key exists`,
        tag,
        role: "creator",
        agent: "own",
        status: 201,
        statuses: [409, 413, 415],
        bodyType: "application/octet-stream",
      },
      async handler(request, reply, vault) {
        const key = keyOf(request);
        const data = await readBody(request);
        try {
          await vault.storage.put(key, data);
        } catch (error) {
          fromStorage(error);
        }
        return reply.code(201).send();
      },
    },
    {
      method: "DELETE",
      url: "/*",
      scope,
      access: "write",
      spec: {
        operationId: `delete${prefix}Object`,
        summary: `Delete an object of ${owner}; idempotent (204 for a missing key too)`,
        tag,
        role: "creator",
        agent: "own",
        status: 204,
      },
      async handler(request, reply, vault) {
        const key = keyOf(request);
        try {
          await vault.storage.delete(key);
        } catch (error) {
          fromStorage(error);
        }
        return reply.code(204).send();
      },
    },
  );
  return routes;
}

/** Registers the vault data routes (see the header). */
export function registerVaultDataRoutes(app: FastifyInstance, ctx: AppContext): void {
  const cache = new Map<string, Storage>();
  void app.register(async (scope) => {
    // Raw bytes, only in this plugin's scope: the rest of the API stays JSON-only.
    scope.addContentTypeParser("application/octet-stream", { parseAs: "buffer", bodyLimit: MAX_VAULT_OBJECT_BYTES }, (_request, body, done) => done(null, body));
    for (const route of [...objectRoutes("agent", true), ...objectRoutes("restore", false)]) register(scope, ctx, cache, route);
  });
}
