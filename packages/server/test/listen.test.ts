// Over a real socket: a long-poll whose client goes away is released at once, and closing the
// server releases held long-polls instead of waiting for their timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drivers } from "./support/drivers.js";
import { registerAgent, type TestAgent } from "./support/fixtures.js";
import { startHarness, type Harness } from "./support/harness.js";

describe("long-polling over a real socket", () => {
  let h: Harness;
  let agent: TestAgent;
  let base: string;
  beforeAll(async () => {
    h = await startHarness(drivers()[0]!, { longPollMaxMs: 30_000 });
    agent = await registerAgent(h, h.a);
    base = await h.server.listen(0);
  });
  afterAll(async () => h?.close());

  const poll = (signal?: AbortSignal) =>
    fetch(`${base}/v2/${h.a.id}/agents/${agent.id}/events?marker=999999&wait=30`, { headers: { "x-auth-token": agent.token }, ...(signal ? { signal } : {}) });

  const waitFor = async (predicate: () => boolean): Promise<void> => {
    for (let i = 0; i < 100 && !predicate(); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(predicate()).toBe(true);
  };

  it("releases the waiter when the client disconnects", async () => {
    const controller = new AbortController();
    const pending = poll(controller.signal).catch((e: Error) => e.name);
    await waitFor(() => h.server.context.bus.waiting === 1);
    controller.abort();
    expect(await pending).toBe("AbortError");
    await waitFor(() => h.server.context.bus.waiting === 0);
  });

  it("graceful close answers held long-polls promptly", async () => {
    const pending = poll();
    await waitFor(() => h.server.context.bus.waiting === 1);
    const started = Date.now();
    await h.server.close();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { events: unknown[] }).events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
