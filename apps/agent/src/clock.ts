// The agent's notion of "now". Scheduling, snapshot times and retention all read this clock, so
// tests can move an agent through hours of schedule in seconds: `offsetFileClock` adds the
// number of milliseconds written in a file (re-read on every call), which a test controlling
// an agent in another process can change at will. Production uses `systemClock`.
import { readFileSync } from "node:fs";

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * System time plus the integer in `path` (milliseconds; a missing or unreadable file counts as 0).
 * For tests only: the agent prints a warning when started with it.
 */
export function offsetFileClock(path: string): Clock {
  return {
    now() {
      let offset = 0;
      try {
        const n = Number(readFileSync(path, "utf8").trim());
        if (Number.isSafeInteger(n)) offset = n;
      } catch {
        // no file yet: no offset
      }
      return Date.now() + offset;
    },
  };
}
