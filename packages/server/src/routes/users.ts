// Users of a project ([our choice], a Cairn extension: the v2 guide leaves identity to
// Rackspace's Identity service, which a self-hosted server has to provide itself). A project
// admin lists the project's users, creates users with a role, changes a role or a password,
// removes users, and issues API keys; any user may issue API keys for themself. Users and keys
// then authenticate at `POST /v2.0/tokens` as usual. Usernames are global (as in Keystone).
import type { FastifyInstance } from "fastify";
import type { Auth } from "../auth/authenticate.js";
import type { Member } from "../auth/identityStore.js";
import { parseRole, type Role } from "../auth/roles.js";
import type { AppContext } from "../context.js";
import { conflict, forbidden, notFound } from "../errors.js";
import { newSecret } from "../ids.js";
import { isOneOf, PATCH_BODY_SCHEMA, readPatch, type ValueCheck } from "../http/jsonPatch.js";
import type { Hrefs } from "../http/links.js";
import { defineRoute } from "../http/route.js";
import type { Stores } from "../store/stores.js";

/** A UNIQUE constraint violation (SQLite or PostgreSQL). */
const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
};

const ROLE_NAMES = ["admin", "creator", "observer", "cloudbackup:admin", "cloudbackup:creator", "cloudbackup:observer"];
const usernameSchema = { type: "string", minLength: 1, maxLength: 255, pattern: "^[A-Za-z0-9._@+-]+$" } as const;
const passwordSchema = { type: "string", minLength: 8, maxLength: 1024 } as const;
const isPassword: ValueCheck = (v) => (typeof v === "string" && v.length >= 8 && v.length <= 1024 ? undefined : "must be a string of 8-1024 characters");

const userView = (hrefs: Hrefs, m: Member): Record<string, unknown> => ({ id: m.id, username: m.username, role: m.role, links: [hrefs.link("self", "users", m.id)] });

async function loadMember(stores: Stores, auth: Auth, userId: string): Promise<Member> {
  const m = await stores.identity.member(auth.projectId, userId);
  if (m === undefined) throw notFound("User");
  return m;
}

/** Refuses to leave a project without an admin. @throws HttpError 409 */
async function keepAnAdmin(stores: Stores, auth: Auth, leaving: Member): Promise<void> {
  if (leaving.role !== "admin") return;
  const admins = (await stores.identity.members(auth.projectId)).filter((m) => m.role === "admin");
  if (admins.length <= 1) throw conflict("The project's last admin cannot be removed or demoted.");
}

/** Registers the user-management routes. */
export function registerUserRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "GET",
    path: "/users",
    operationId: "listUsers",
    summary: "The project's users and their roles (Cairn extension)",
    tag: "users",
    role: "admin",
    status: 200,
    response: { type: "object", properties: { users: { type: "array", items: { $ref: "#/components/schemas/User" } }, links: { $ref: "#/components/schemas/Links" } } },
    async handler({ auth, hrefs }) {
      return { users: (await ctx.stores.identity.members(auth.projectId)).map((m) => userView(hrefs, m)), links: [hrefs.link("self", "users")] };
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/users",
    operationId: "createUser",
    summary: "Create a user with a role in this project (no password: one is generated and returned once)",
    tag: "users",
    role: "admin",
    status: 201,
    statuses: [409],
    body: { type: "object", required: ["username", "role"], properties: { username: usernameSchema, password: passwordSchema, role: { type: "string", enum: ROLE_NAMES } } },
    response: { $ref: "#/components/schemas/User" },
    async handler({ auth, body, hrefs, reply }) {
      const b = body as { username: string; password?: string; role: string };
      const role = parseRole(b.role) as Role;
      const generated = b.password === undefined ? newSecret().slice(0, 24) : undefined;
      // Not in a transaction: the scrypt hash must not hold the database lock. A concurrent
      // create of the same name loses on the UNIQUE constraint and gets the same 409.
      const taken = conflict(`The username "${b.username}" is taken.`);
      if (await ctx.stores.identity.usernameTaken(b.username)) throw taken;
      const user = await ctx.stores.identity.createUser(b.username, b.password ?? (generated as string)).catch((error: unknown) => {
        throw isUniqueViolation(error) ? taken : error;
      });
      await ctx.stores.identity.grant(user.id, auth.projectId, role);
      const member: Member = { ...user, role };
      void reply.header("Location", hrefs.project("users", member.id));
      return { ...userView(hrefs, member), ...(generated === undefined ? {} : { password: generated }) };
    },
  });

  defineRoute(app, ctx, {
    method: "GET",
    path: "/users/:user_id",
    operationId: "getUser",
    summary: "One user of the project",
    tag: "users",
    role: "admin",
    status: 200,
    response: { $ref: "#/components/schemas/User" },
    async handler({ auth, params, hrefs }) {
      return userView(hrefs, await loadMember(ctx.stores, auth, params.user_id as string));
    },
  });

  defineRoute(app, ctx, {
    method: "PATCH",
    path: "/users/:user_id",
    operationId: "patchUser",
    summary: "Replace a user's /role or /password (JSON Patch); the last admin cannot be demoted (409)",
    tag: "users",
    role: "admin",
    status: 204,
    statuses: [409],
    body: PATCH_BODY_SCHEMA,
    bodyType: "application/json-patch+json",
    async handler({ auth, params, body }) {
      const changes = readPatch(body, { ops: ["replace"], paths: { "/role": isOneOf(ROLE_NAMES), "/password": isPassword } });
      const role = changes.filter((c) => c.path === "/role").map((c) => parseRole(c.value as string) as Role).at(-1);
      const password = changes.filter((c) => c.path === "/password").map((c) => c.value as string).at(-1);
      const m = await loadMember(ctx.stores, auth, params.user_id as string);
      if (role !== undefined) {
        // The last-admin check and the change are one transaction (two admins demoting each other).
        await ctx.transaction(async (stores) => {
          const current = await loadMember(stores, auth, m.id);
          if (role !== "admin") await keepAnAdmin(stores, auth, current);
          await stores.identity.grant(m.id, auth.projectId, role);
        });
      }
      if (password !== undefined) await ctx.stores.identity.setPassword(m.id, password); // scrypt outside any transaction
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "DELETE",
    path: "/users/:user_id",
    operationId: "deleteUser",
    summary: "Remove a user from the project (a user left without projects is deleted); not the last admin (409)",
    tag: "users",
    role: "admin",
    status: 204,
    statuses: [409],
    async handler({ auth, params }) {
      await ctx.transaction(async (stores) => {
        const m = await loadMember(stores, auth, params.user_id as string);
        await keepAnAdmin(stores, auth, m);
        await stores.identity.removeMember(m.id, auth.projectId);
      });
      return undefined;
    },
  });

  defineRoute(app, ctx, {
    method: "POST",
    path: "/users/:user_id/api-keys",
    operationId: "createApiKey",
    summary: "Issue an API key (shown once) for RAX-KSKEY:apiKeyCredentials; admins for anyone, others for themselves",
    tag: "users",
    role: "observer",
    status: 201,
    response: { $ref: "#/components/schemas/ApiKey" },
    async handler({ auth, params }) {
      const m = await loadMember(ctx.stores, auth, params.user_id as string);
      if (auth.role !== "admin" && auth.userId !== m.id) throw forbidden("Only an admin may issue API keys for another user.");
      return { api_key: await ctx.stores.identity.createApiKey(m.id), user: { id: m.id, username: m.username } };
    },
  });
}
