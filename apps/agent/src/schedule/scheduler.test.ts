// The scheduler fires each due time once, only within the grace period, retries while the
// server is away, and remembers what it fired across restarts (a new Scheduler on the same dir).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Scheduler } from "./scheduler.js";

const T0 = Date.parse("2026-06-01T12:00:00Z");
const HOUR = 3_600_000;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cairn-sched-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const config = (times: number[] | null, enabled = true) => ({ id: "c1", name: "c", enabled, vault_id: "v", retention: { days: 0 }, times: times === null ? null : times.map((t) => new Date(t).toISOString()), inclusions: [], exclusions: [] });

describe("Scheduler", () => {
  it("fires a due time once, not early, not past the grace period, and not for disabled or manual configurations", async () => {
    let now = T0;
    const fired: number[] = [];
    let current = [config([T0 + HOUR, T0 + 2 * HOUR])];
    const s = await Scheduler.load(dir, { now: () => now }, { configurations: () => current, fire: async (_c, t) => void fired.push(t) }, 10 * 60_000);
    expect(await s.tick()).toBe(0);
    now = T0 + HOUR + 1000;
    expect(await s.tick()).toBe(1);
    expect(await s.tick()).toBe(0);
    now = T0 + 2 * HOUR + 11 * 60_000; // too late: the server records it as missed
    expect(await s.tick()).toBe(0);
    expect(fired).toEqual([T0 + HOUR]);
    current = [config([now - 1000], false)];
    expect(await s.tick()).toBe(0);
    current = [config(null)];
    expect(await s.tick()).toBe(0);
  });

  it("retries while the server is away and remembers fired times across restarts", async () => {
    const now = T0 + HOUR + 1000;
    let up = false;
    const hooks = { configurations: () => [config([T0 + HOUR])], fire: async () => (up ? undefined : Promise.reject(new Error("down"))) };
    const s = await Scheduler.load(dir, { now: () => now }, hooks);
    expect(await s.tick()).toBe(0);
    up = true;
    expect(await s.tick()).toBe(1);
    const again = await Scheduler.load(dir, { now: () => now }, hooks);
    expect(await again.tick()).toBe(0);
  });
});
