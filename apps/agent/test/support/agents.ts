// Registering agents against a test server through the public API client, as an installer does.
import { createClient, type CairnClient } from "@cairn/api-client";

/** A registered, logged-in agent: its id, vault id and an API client acting as the agent. */
export interface RegisteredAgent {
  id: string;
  vaultId: string;
  client: CairnClient;
  token(): Promise<string>;
}

export const TEST_MODULUS = "C0FFEE".repeat(40);

/** Registers an agent with `user`'s credentials and logs in as it. */
export async function registerTestAgent(url: string, user: { username: string; password: string }, name: string): Promise<RegisteredAgent> {
  const admin = createClient({ endpoint: url, credentials: user });
  const fingerprint = `fp-${name}-${Math.random().toString(16).slice(2)}`;
  const agent = await admin.agents.register({
    name,
    version: "0.0.0-test",
    host: { flavor: "nova", region: null, machine: { id: name }, os: { name: "Linux", version: "6", architecture: "64-bit" }, fingerprint, addresses: [] },
    rsa_public_key: { modulus: TEST_MODULUS, exponent: "10001" },
  });
  const projectId = await admin.projectId();
  const client = createClient({ endpoint: url, credentials: { agent: { projectId, id: agent.id, password: agent.password as string, fingerprint } } });
  return { id: agent.id, vaultId: agent.vault?.id as string, client, token: () => client.token() };
}
