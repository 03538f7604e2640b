// The server's only source of "now": injectable so tests can move time (token expiry,
// heartbeats, schedules) without sleeping.

/** A source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `start` (epoch ms or an ISO string). */
export function manualClock(start: number | string): ManualClock {
  let t = typeof start === "number" ? start : Date.parse(start);
  if (!Number.isFinite(t)) throw new RangeError(`expected a time, got ${String(start)}`);
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** ISO-8601 UTC with microseconds, the spec's timestamp form (`2014-08-05T18:22:22.238000Z`). */
export function isoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}000Z`; // toISOString always ends in .sssZ
}
