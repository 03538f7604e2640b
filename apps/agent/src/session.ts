// The agent's authenticated connection to the server: an API client logged in with the agent's
// id, password and fingerprint (POST /agents/tokens). `renew` starts a fresh login (after a 401,
// e.g. when the server lost its tokens); both job code and vault storage go through here.
import { createClient, type CairnClient } from "@cairn/api-client";
import type { AgentIdentity } from "./identity/agentIdentity.js";
import { hostFacts } from "./identity/hostInfo.js";
import type { TokenSource } from "./vault/vaultStorage.js";

export class AgentSession implements TokenSource {
  #client: CairnClient;

  constructor(
    readonly identity: AgentIdentity,
    private readonly version: string,
    private readonly fetchImpl?: typeof fetch,
  ) {
    this.#client = this.#newClient();
  }

  get client(): CairnClient {
    return this.#client;
  }

  get agentId(): string {
    return this.identity.agentId;
  }

  token(): Promise<string> {
    return this.#client.token();
  }

  async renew(): Promise<void> {
    this.#client = this.#newClient();
    await this.#client.token();
  }

  #newClient(): CairnClient {
    const facts = hostFacts();
    const i = this.identity;
    return createClient({
      endpoint: i.serverUrl,
      credentials: { agent: { projectId: i.projectId, id: i.agentId, password: i.password, fingerprint: i.fingerprint, version: this.version, os: facts.os, addresses: facts.addresses } },
      retries: 2,
      ...(this.fetchImpl ? { fetch: this.fetchImpl } : {}),
    });
  }
}
