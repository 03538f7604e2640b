// Which snapshot entries a restore selects. The planner applies it to every entry, and a walker
// uses `mayDescend` to avoid loading subtrees in which nothing can be selected. Paths are given
// as names below the snapshot root (the absolute snapshot path without its leading `/`).
// Pattern syntax: see internal/glob.ts and the README.
import type { Selection } from "./inputs.js";
import { compilePattern, matchesPathOrAncestor, matchPathOf, mayMatchBelow, type Pattern } from "./internal/glob.js";

export interface SelectionMatcher {
  /** True if the entry at `names` is selected (included, or below an included path, and not excluded). */
  selects(names: readonly Uint8Array[]): boolean;
  /**
   * True if the directory at `names` is not excluded and it, or something below it, may be
   * selected: a walker must load its tree. A directory that does not `select` but may descend
   * is restored only to hold selected entries.
   */
  mayDescend(names: readonly Uint8Array[]): boolean;
  /** True if `names` is excluded (it, or an ancestor, matches an exclude pattern). */
  excludes(names: readonly Uint8Array[]): boolean;
}

/**
 * Compiles a selection.
 * @throws {TypeError} if a pattern is not a string.
 * @throws {RestorePlanError} (`bad-option`) for a malformed pattern.
 */
export function compileSelection(selection: Selection = {}): SelectionMatcher {
  const include: Pattern[] = (selection.include ?? []).map(compilePattern);
  const exclude: Pattern[] = (selection.exclude ?? []).map(compilePattern);
  const excludes = (names: readonly Uint8Array[]) => {
    if (exclude.length === 0) return false;
    const path = matchPathOf(names);
    return exclude.some((p) => matchesPathOrAncestor(p, path));
  };
  return {
    excludes,
    selects(names) {
      if (excludes(names)) return false;
      if (include.length === 0) return true;
      const path = matchPathOf(names);
      return include.some((p) => matchesPathOrAncestor(p, path));
    },
    mayDescend(names) {
      if (excludes(names)) return false;
      if (include.length === 0) return true;
      const path = matchPathOf(names);
      return include.some((p) => matchesPathOrAncestor(p, path) || mayMatchBelow(p, path));
    },
  };
}
