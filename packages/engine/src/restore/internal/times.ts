// Nanosecond times to what Node's utimes family takes: seconds as a number. libuv keeps only
// microseconds (it truncates the fraction), and a double near 1.7e9 s resolves ~240 ns, so we
// aim at the middle of the intended microsecond: truncation then lands exactly on it. The
// planner is told the resolution (1000 ns) so a restored file compares equal on the next run.

export const TIME_RESOLUTION_NS = 1000;

export function utimeSeconds(ns: bigint): number {
  const us = ns >= 0n ? ns / 1000n : -((-ns + 999n) / 1000n); // floor to microseconds
  const sec = us >= 0n ? us / 1_000_000n : -((-us + 999_999n) / 1_000_000n);
  const frac = Number(us - sec * 1_000_000n);
  return Number(sec) + (frac + 0.5) / 1e6;
}
