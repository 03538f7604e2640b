// Keystone v2.0-compatible identity (spec §5): `POST /v2.0/tokens` with passwordCredentials or
// RAX-KSKEY:apiKeyCredentials. The service catalog's cloudBackup entry points at this server.
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { isoTime } from "../clock.js";
import { unauthorized } from "../errors.js";
import { rootUrl } from "../http/links.js";
import { defineRoute } from "../http/route.js";

const credentialText = { type: "string", minLength: 1, maxLength: 1024 } as const;

interface TokenRequest {
  auth: {
    passwordCredentials?: { username: string; password: string };
    "RAX-KSKEY:apiKeyCredentials"?: { username: string; apiKey: string };
    tenantId?: string;
    tenantName?: string;
  };
}

/** Registers `POST /v2.0/tokens`. */
export function registerIdentityRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, {
    method: "POST",
    path: "/v2.0/tokens",
    absolute: true,
    operationId: "createToken",
    summary: "Authenticate (Keystone v2.0): returns a token and the service catalog",
    tag: "identity",
    role: "public",
    status: 200,
    statuses: [401],
    body: {
      type: "object",
      required: ["auth"],
      properties: {
        auth: {
          type: "object",
          properties: {
            passwordCredentials: { type: "object", required: ["username", "password"], properties: { username: credentialText, password: credentialText } },
            "RAX-KSKEY:apiKeyCredentials": { type: "object", required: ["username", "apiKey"], properties: { username: credentialText, apiKey: credentialText } },
            tenantId: { type: "string", maxLength: 64 },
            tenantName: { type: "string", maxLength: 64 },
          },
          oneOf: [{ required: ["passwordCredentials"] }, { required: ["RAX-KSKEY:apiKeyCredentials"] }],
        },
      },
    },
    response: { $ref: "#/components/schemas/Access" },
    async handler({ request, body }) {
      const { auth } = body as TokenRequest;
      const identity = ctx.stores.identity;
      const user =
        auth.passwordCredentials !== undefined
          ? await identity.checkPassword(auth.passwordCredentials.username, auth.passwordCredentials.password)
          : await identity.checkApiKey(auth["RAX-KSKEY:apiKeyCredentials"]!.username, auth["RAX-KSKEY:apiKeyCredentials"]!.apiKey);
      if (user === undefined) throw unauthorized("Invalid credentials.");
      const memberships = await identity.memberships(user.id);
      const wanted = auth.tenantId ?? auth.tenantName;
      const tenant = wanted === undefined ? memberships[0] : memberships.find((m) => m.projectId === wanted);
      if (wanted !== undefined && tenant === undefined) throw unauthorized(`You have no role in project ${wanted}.`);
      const { token, expiresAt } = await identity.issueToken({ userId: user.id, agentId: null, projectId: tenant?.projectId ?? null }, ctx.settings.tokenTtlMs);
      const root = rootUrl(request, ctx.settings.publicUrl);
      return {
        access: {
          token: {
            id: token,
            expires: isoTime(expiresAt),
            ...(tenant === undefined ? {} : { tenant: { id: tenant.projectId, name: tenant.projectId } }),
          },
          user: {
            id: user.id,
            name: user.username,
            roles: memberships.map((m) => ({ name: `cloudbackup:${m.role}`, tenantId: m.projectId })),
          },
          serviceCatalog: [
            {
              name: "cloudBackup",
              type: "rax:backup",
              endpoints: memberships.map((m) => ({
                region: ctx.settings.region,
                tenantId: m.projectId,
                publicURL: `${root}/v2/${encodeURIComponent(m.projectId)}`,
                internalURL: `${root}/v2/${encodeURIComponent(m.projectId)}`,
              })),
            },
          ],
        },
      };
    },
  });
}
