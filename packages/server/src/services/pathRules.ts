// Inclusion/exclusion rules (spec §2.4), applied on create and on PATCH:
//  1. no two inclusions with the same path; no two exclusions with the same path;
//  2. a path may not be both included and excluded;
//  3. nothing may be included beneath an existing inclusion, nor beneath an existing exclusion;
//  4. nothing may be excluded beneath an existing exclusion;
//  5. every exclusion must lie beneath some inclusion.
// "Beneath" is by path prefix at a separator; `/` and `\` both separate (Windows agents).
import type { PathRule } from "../store/model.js";

const trimSeparators = (p: string): string => p.replace(/[/\\]+$/, "");

/** True when `path` lies strictly beneath `folder`. */
export function isBeneath(path: string, folder: string): boolean {
  const f = trimSeparators(folder);
  const p = trimSeparators(path);
  if (p === f) return false;
  if (f === "") return /^[/\\]/.test(path);
  return p.startsWith(`${f}/`) || p.startsWith(`${f}\\`);
}

const same = (a: string, b: string): boolean => trimSeparators(a) === trimSeparators(b);

/** Every violated rule as a readable line (empty when the lists are valid). */
export function checkPathRules(inclusions: readonly PathRule[], exclusions: readonly PathRule[]): string[] {
  const problems: string[] = [];
  const dupes = (list: readonly PathRule[], what: string): void => {
    list.forEach((r, i) => {
      if (list.findIndex((o) => same(o.path, r.path)) < i) problems.push(`${what} "${r.path}" is listed twice`);
    });
  };
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
