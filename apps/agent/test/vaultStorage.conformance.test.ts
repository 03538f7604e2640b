// HttpStorage (from @cairn/storage) runs the Storage conformance suite against a real
// cairn-server process: the vault-data routes on the agent's own vault, then the same wrapped
// in withRetry(withFaults(…)) to show that its errors compose with retry.
import { HttpStorage, withRetry, type Storage } from "@cairn/storage";
import { describeStorageConformance, withFaults } from "@cairn/storage/testing";
import { afterAll, beforeAll } from "vitest";
import { registerTestAgent, type RegisteredAgent } from "./support/agents.js";
import { startServerProcess, type ServerProcess } from "./support/serverProcess.js";

let server: ServerProcess;
let agent: RegisteredAgent;

beforeAll(async () => {
  server = await startServerProcess();
  agent = await registerTestAgent(server.url, server.admin, "conformance");
}, 60_000);
afterAll(async () => server?.stop());

function vault(): HttpStorage {
  return new HttpStorage({
    baseUrl: `${server.url}/v2/${server.projectId}/agents/${agent.id}/vault`,
    headers: async () => ({ "x-auth-token": await agent.token() }),
    listPageSize: 500,
  });
}

/** Empties the vault with a fresh client (the test may have closed its own). */
async function emptyVault(): Promise<void> {
  const storage = vault();
  const keys: string[] = [];
  for await (const info of storage.list()) keys.push(info.key);
  for (const key of keys) await storage.delete(key);
}

async function fixture(wrap: (s: Storage) => Storage = (s) => s) {
  await emptyVault();
  return { storage: wrap(vault()), cleanup: emptyVault };
}

describeStorageConformance("HttpStorage against cairn-server", () => fixture(), { manyObjects: 1100 });
describeStorageConformance(
  "withRetry(withFaults(HttpStorage))",
  () =>
    fixture((s) =>
      withRetry(withFaults(s, { seed: 7, rules: [{ fault: { kind: "fail-before" }, probability: 0.1 }, { fault: { kind: "fail-after" }, probability: 0.1 }] }), { attempts: 12, baseDelayMs: 1, maxDelayMs: 4 }),
    ),
  { manyObjects: 300 },
);
