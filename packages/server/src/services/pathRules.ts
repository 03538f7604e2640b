// Inclusion/exclusion rules (spec §2.4), applied on create and on PATCH:
//  1. no two inclusions with the same path; no two exclusions with the same path;
//  2. a path may not be both included and excluded;
//  3. nothing may be included beneath an existing inclusion, nor beneath an existing exclusion;
//  4. nothing may be excluded beneath an existing exclusion;
//  5. every exclusion must lie beneath some inclusion.
// "Beneath" is by path prefix at a separator; `/` and `\` both separate (Windows agents).
import type { PathRule } from "../store/model.js";

const trimSeparators = (p: string): string => p.replace(/[/\\]+$/, "");
const isSeparator = (c: string): boolean => c === "/" || c === "\\";

/** True when `path` lies strictly beneath `folder`. */
export function isBeneath(path: string, folder: string): boolean {
  const f = trimSeparators(folder);
  const p = trimSeparators(path);
  if (p === f) return false;
  if (f === "") return /^[/\\]/.test(path);
  return p.startsWith(`${f}/`) || p.startsWith(`${f}\\`);
}

/**
 * The folders `path` lies strictly beneath, as trimmed paths: every prefix that ends just
 * before a separator (`""` stands for the root). Same relation as {@link isBeneath}, found in
 * O(length) instead of by comparing against every rule — the rule lists may hold thousands of
 * entries (up to the 1 MB document cap), and a quadratic check would stall the server.
 */
function ancestors(path: string): string[] {
  const p = trimSeparators(path);
  const out: string[] = [];
  for (let i = 0; i < p.length; i += 1) if (isSeparator(p[i] as string)) out.push(p.slice(0, i));
  return out;
}

/** Trimmed path → index of its first rule in `list`. */
function firstIndex(list: readonly PathRule[]): Map<string, number> {
  const map = new Map<string, number>();
  list.forEach((r, i) => {
    const key = trimSeparators(r.path);
    if (!map.has(key)) map.set(key, i);
  });
  return map;
}

/** The first rule of `list` (by position) that `path` lies beneath, if any. */
function firstParent(path: string, index: Map<string, number>, list: readonly PathRule[]): PathRule | undefined {
  let best: number | undefined;
  for (const a of ancestors(path)) {
    const i = index.get(a);
    if (i !== undefined && (best === undefined || i < best)) best = i;
  }
  return best === undefined ? undefined : list[best];
}

/** Every violated rule as a readable line (empty when the lists are valid). */
export function checkPathRules(inclusions: readonly PathRule[], exclusions: readonly PathRule[]): string[] {
  const problems: string[] = [];
  const inc = firstIndex(inclusions);
  const exc = firstIndex(exclusions);
  const dupes = (list: readonly PathRule[], index: Map<string, number>, what: string): void => {
    list.forEach((r, i) => {
      if ((index.get(trimSeparators(r.path)) as number) < i) problems.push(`${what} "${r.path}" is listed twice`);
    });
  };
  dupes(inclusions, inc, "inclusion");
  dupes(exclusions, exc, "exclusion");
  for (const rule of inclusions) {
    if (exc.has(trimSeparators(rule.path))) problems.push(`"${rule.path}" is both included and excluded`);
    const parent = firstParent(rule.path, inc, inclusions);
    if (parent !== undefined) problems.push(`inclusion "${rule.path}" lies beneath inclusion "${parent.path}"`);
    const excluded = firstParent(rule.path, exc, exclusions);
    if (excluded !== undefined) problems.push(`inclusion "${rule.path}" lies beneath exclusion "${excluded.path}"`);
  }
  for (const rule of exclusions) {
    const parent = firstParent(rule.path, exc, exclusions);
    if (parent !== undefined) problems.push(`exclusion "${rule.path}" lies beneath exclusion "${parent.path}"`);
    if (firstParent(rule.path, inc, inclusions) === undefined) problems.push(`exclusion "${rule.path}" does not lie beneath any inclusion`);
  }
  return problems;
}
