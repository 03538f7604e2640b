import { describe, expect, it } from "vitest";
import type { PathRule } from "../store/model.js";
import { checkPathRules, isBeneath } from "./pathRules.js";

/** The rules exactly as spec §2.4 states them, by comparing every pair (the reference). */
function reference(inclusions: readonly PathRule[], exclusions: readonly PathRule[]): string[] {
  const trim = (p: string): string => p.replace(/[/\\]+$/, "");
  const same = (a: string, b: string): boolean => trim(a) === trim(b);
  const problems: string[] = [];
  const dupes = (list: readonly PathRule[], what: string): void =>
    list.forEach((r, i) => {
      if (list.findIndex((o) => same(o.path, r.path)) < i) problems.push(`${what} "${r.path}" is listed twice`);
    });
  dupes(inclusions, "inclusion");
  dupes(exclusions, "exclusion");
  for (const inc of inclusions) {
    if (exclusions.some((e) => same(e.path, inc.path))) problems.push(`"${inc.path}" is both included and excluded`);
    const parent = inclusions.find((o) => isBeneath(inc.path, o.path));
    if (parent !== undefined) problems.push(`inclusion "${inc.path}" lies beneath inclusion "${parent.path}"`);
    const excluded = exclusions.find((e) => isBeneath(inc.path, e.path));
    if (excluded !== undefined) problems.push(`inclusion "${inc.path}" lies beneath exclusion "${excluded.path}"`);
  }
  for (const exc of exclusions) {
    const parent = exclusions.find((o) => isBeneath(exc.path, o.path));
    if (parent !== undefined) problems.push(`exclusion "${exc.path}" lies beneath exclusion "${parent.path}"`);
    if (!inclusions.some((i) => isBeneath(exc.path, i.path))) problems.push(`exclusion "${exc.path}" does not lie beneath any inclusion`);
  }
  return problems;
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("path rules (spec §2.4)", () => {
  it("matches the pairwise reference on random rule lists (seeded)", () => {
    const parts = ["a", "b", "ab", "c d", "C:", "x"];
    for (let seed = 1; seed <= 400; seed += 1) {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
      const path = (): string => {
        const sep = r() < 0.3 ? "\\" : "/";
        const segs = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(parts));
        return `${r() < 0.8 ? sep : ""}${segs.join(r() < 0.1 ? "//" : sep)}${r() < 0.3 ? sep : ""}` || "/";
      };
      const list = (n: number): PathRule[] => Array.from({ length: n }, () => ({ type: r() < 0.5 ? "file" : "folder", path: r() < 0.05 ? "/" : path() }));
      const inclusions = list(Math.floor(r() * 6));
      const exclusions = list(Math.floor(r() * 5));
      expect(checkPathRules(inclusions, exclusions), JSON.stringify({ inclusions, exclusions })).toEqual(reference(inclusions, exclusions));
    }
  });

  it("handles thousands of rules (the 1 MB document allows ~10 000) and reports each problem once", () => {
    const inclusions: PathRule[] = Array.from({ length: 10_000 }, (_, i) => ({ type: "file", path: `/data/${i % 5000}/f` }));
    const problems = checkPathRules(inclusions, [{ type: "file", path: "/elsewhere/x" }]);
    expect(problems.filter((p) => p.includes("listed twice"))).toHaveLength(5000);
    expect(problems.at(-1)).toBe('exclusion "/elsewhere/x" does not lie beneath any inclusion');
  });
});
