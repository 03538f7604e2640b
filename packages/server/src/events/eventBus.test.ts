import { describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { EventBus } from "./eventBus.js";

describe("EventBus wake-ups", () => {
  it("a wake between reading the feed and waiting is not lost (mark/since)", async () => {
    const bus = new EventBus(systemClock, 60_000);
    const mark = bus.mark("p", "a");
    bus.wake("p", "a"); // happens after the read, before the wait
    const started = Date.now();
    expect(await bus.wait("p", "a", 10_000, undefined, mark)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(bus.waiting).toBe(0);
  });

  it("project-wide wakes count for every agent's feed; other agents' do not", async () => {
    const bus = new EventBus(systemClock, 60_000);
    const mark = bus.mark("p", "a");
    bus.wake("p", "b");
    expect(bus.mark("p", "a")).toBe(mark);
    bus.wake("p", null);
    expect(bus.mark("p", "a")).not.toBe(mark);
    expect(await bus.wait("p", "a", 10_000, undefined, mark)).toBe(true);
  });

  it("without a wake the wait lasts until the timeout, and a later wake ends it", async () => {
    const bus = new EventBus(systemClock, 60_000);
    const mark = bus.mark("p", "a");
    expect(await bus.wait("p", "a", 20, undefined, mark)).toBe(false);
    const waiting = bus.wait("p", "a", 10_000, undefined, bus.mark("p", "a"));
    expect(bus.waiting).toBe(1);
    bus.wake("p", "a");
    expect(await waiting).toBe(true);
  });
});
