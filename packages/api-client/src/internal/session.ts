// Authentication state: how to get a token (user password or API key via POST /v2.0/tokens,
// an agent's id/password/fingerprint via POST /agents/tokens, or a given token), the token,
// its expiry and the project's base URL from the service catalog.
import type { Address, HostOs } from "../types.js";
import { send, type TransportSettings } from "./transport.js";

/** How the client authenticates. */
export type Credentials =
  | { username: string; password: string; projectId?: string }
  | { username: string; apiKey: string; projectId?: string }
  | { token: string; projectId: string }
  | { agent: { projectId: string; id: string; password: string; fingerprint: string; name?: string; version?: string; os?: HostOs; addresses?: Address[] } };

interface Access {
  access: {
    token: { id: string; expires: string; tenant?: { id: string } };
    serviceCatalog: { name: string; type: string; endpoints: { tenantId: string; publicURL: string }[] }[];
  };
}

/** Token, expiry and project URL; refreshed on demand. */
export class Session {
  token: string | undefined;
  expiresAt = 0;
  baseUrl: string | undefined;
  projectId: string | undefined;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly credentials: Credentials,
    private readonly settings: TransportSettings,
  ) {
    if ("token" in credentials) {
      this.token = credentials.token;
      this.expiresAt = Number.POSITIVE_INFINITY;
      this.projectId = credentials.projectId;
      this.baseUrl = `${endpoint}/v2/${encodeURIComponent(credentials.projectId)}`;
    }
    if ("agent" in credentials) {
      this.projectId = credentials.agent.projectId;
      this.baseUrl = `${endpoint}/v2/${encodeURIComponent(credentials.agent.projectId)}`;
    }
  }

  /** True when the session can get a new token by itself. */
  get renewable(): boolean {
    return !("token" in this.credentials);
  }

  /** A valid token, authenticating first when there is none or it is about to expire. */
  async ensure(signal?: AbortSignal): Promise<void> {
    if (this.token !== undefined && Date.now() < this.expiresAt - 30_000) return;
    await this.renew(signal);
  }

  /** Authenticates again (concurrent callers share one attempt). */
  renew(signal?: AbortSignal): Promise<void> {
    this.pending ??= this.authenticate(signal).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async authenticate(signal?: AbortSignal): Promise<void> {
    const c = this.credentials;
    const json = { "content-type": "application/json" };
    if ("token" in c) return; // nothing to renew with
    if ("agent" in c) {
      const a = c.agent;
      const body = { project_id: a.projectId, id: a.id, password: a.password, name: a.name, version: a.version, host: { fingerprint: a.fingerprint, os: a.os, addresses: a.addresses } };
      const reply = await send<{ token: { id: string; expires: string } }>(this.settings, "POST", `${this.baseUrl}/agents/tokens`, json, JSON.stringify(body), signal ? { signal } : {});
      this.token = reply.body.token.id;
      this.expiresAt = Date.parse(reply.body.token.expires);
      return;
    }
    const auth = "password" in c ? { passwordCredentials: { username: c.username, password: c.password } } : { "RAX-KSKEY:apiKeyCredentials": { username: c.username, apiKey: c.apiKey } };
    const reply = await send<Access>(this.settings, "POST", `${this.endpoint}/v2.0/tokens`, json, JSON.stringify({ auth: { ...auth, ...(c.projectId ? { tenantId: c.projectId } : {}) } }), signal ? { signal } : {});
    const access = reply.body.access;
    this.token = access.token.id;
    this.expiresAt = Date.parse(access.token.expires);
    const project = c.projectId ?? access.token.tenant?.id;
    const service = access.serviceCatalog.find((s) => s.type === "rax:backup" || s.name === "cloudBackup");
    const endpoint = service?.endpoints.find((e) => project === undefined || e.tenantId === project) ?? service?.endpoints[0];
    if (endpoint === undefined) throw new Error("the service catalog has no cloudBackup endpoint for this user");
    this.projectId = endpoint.tenantId;
    this.baseUrl = endpoint.publicURL.replace(/\/+$/, "");
  }
}
