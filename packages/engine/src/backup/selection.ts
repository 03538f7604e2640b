// What a backup reads: the Cloud Backup v2 inclusions and exclusions of files and folders
// (spec §2.4) with their nesting rules, plus the options restic and borg users expect (glob
// excludes, CACHEDIR.TAG, exclude-if-present, one file system). Pure: no file system access —
// the walker asks `isExcluded` for every entry and applies the marker and device rules with the
// facts it has read (see `markerExcludes` and the README's "Selection" section).
import { LIMITS } from "@cairn/manifest";
import { compileGlob, type GlobMatcher } from "./glob.js";
import { fromText, isBeneath, type BinaryPath } from "../internal/binaryPath.js";

/** One Cloud Backup inclusion or exclusion (spec §2.4). */
export interface SelectionEntry {
  readonly type: "file" | "folder";
  /** Absolute path on the machine backed up. */
  readonly path: string;
}

/** A Cloud Backup configuration's inclusions and exclusions. */
export interface Selection {
  readonly inclusions?: readonly SelectionEntry[];
  readonly exclusions?: readonly SelectionEntry[];
}

/** Which rule a selection breaks: §2.4 rules 1–5, or a malformed entry. */
export type SelectionRule = "duplicate" | "included-and-excluded" | "nested-inclusion" | "nested-exclusion" | "orphan-exclusion" | "malformed";

export interface SelectionProblem {
  readonly rule: SelectionRule;
  /** The offending entry's path as given. */
  readonly path: string;
  readonly message: string;
}

/** A selection or exclude pattern that cannot be used; `problems` lists every reason. */
export class SelectionError extends Error {
  override readonly name = "SelectionError";
  constructor(readonly problems: readonly SelectionProblem[]) {
    super(`invalid selection: ${problems.map((p) => p.message).join("; ")}`);
  }
}

/** The inputs of `compileSelection` (a subset of `BackupOptions`). */
export interface SelectionOptions {
  /** Paths to back up, absolute or relative to `cwd`; nested ones are folded into their ancestor. */
  readonly paths?: readonly string[];
  readonly selection?: Selection;
  readonly excludes?: readonly string[];
  readonly excludeCaches?: boolean;
  readonly excludeIfPresent?: readonly string[];
  readonly oneFileSystem?: boolean;
}

/** One top-level path to back up. */
export interface SelectionRoot {
  /** Absolute, normalised, binary (lexically; the walker resolves symlinked ancestors). */
  readonly path: BinaryPath;
  /** "file": this entry only (a directory is recorded without its contents); "folder": recursively. */
  readonly type: "file" | "folder";
}

export interface CompiledSelection {
  /** Sorted by path bytes, none beneath another. */
  readonly roots: readonly SelectionRoot[];
  readonly excludeCaches: boolean;
  /** Names whose presence in a directory excludes the directory's other contents. */
  readonly markers: readonly BinaryPath[];
  readonly oneFileSystem: boolean;
  /** What the snapshot records as its `excludes`: exclusions as anchored patterns, then the globs. */
  readonly patterns: readonly string[];
  /** True if the entry at `path` (named `name`) is excluded, with everything beneath it. */
  isExcluded(path: BinaryPath, name: BinaryPath, isDir: boolean): boolean;
}

/** The Cache Directory Tagging Specification's signature (first 43 bytes of CACHEDIR.TAG). */
export const CACHEDIR_TAG_NAME = "CACHEDIR.TAG";
export const CACHEDIR_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55";

/**
 * Which entries of a directory survive its marker rules: if the directory holds a valid
 * CACHEDIR.TAG (with `excludeCaches`) or one of the `markers`, only the marker files are kept
 * (so the directory and its tag are recorded, its contents are not); otherwise all are.
 */
export function markerExcludes(names: readonly BinaryPath[], selection: Pick<CompiledSelection, "markers">, hasCacheTag: boolean): Set<BinaryPath> | null {
  const present = selection.markers.filter((m) => names.includes(m));
  if (hasCacheTag) present.push(CACHEDIR_TAG_NAME);
  return present.length > 0 ? new Set(present) : null;
}

/**
 * Normalises an absolute path lexically: collapses "//" and ".", drops a trailing "/".
 * With `allowDotDot`, ".." removes the previous component (as `path.resolve` does); without, it
 * is an error. Returns null if the path is not absolute or has a forbidden "..".
 */
export function normalizeAbsolute(path: string, allowDotDot: boolean): string | null {
  if (!path.startsWith("/")) return null;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (!allowDotDot) return null;
      out.pop();
    } else out.push(part);
  }
  return `/${out.join("/")}`;
}

/** `path` made absolute against `cwd` and normalised ("." and ".." resolved lexically). */
export function resolvePath(path: string, cwd: string): string {
  return normalizeAbsolute(path.startsWith("/") ? path : `${cwd}/${path}`, true)!;
}

function entryProblems(kind: "inclusion" | "exclusion", entries: readonly SelectionEntry[], out: SelectionProblem[]): { type: "file" | "folder"; path: string; given: string }[] {
  const valid: { type: "file" | "folder"; path: string; given: string }[] = [];
  entries.forEach((e, i) => {
    const given = typeof e?.path === "string" ? e.path : String(e?.path);
    if (e === null || typeof e !== "object" || (e.type !== "file" && e.type !== "folder")) {
      out.push({ rule: "malformed", path: given, message: `${kind}s[${i}]: type must be "file" or "folder", got ${JSON.stringify(e?.type)}` });
      return;
    }
    if (typeof e.path !== "string" || e.path.length === 0 || e.path.includes("\0")) {
      out.push({ rule: "malformed", path: given, message: `${kind}s[${i}]: path must be a non-empty string without NUL` });
      return;
    }
    const path = normalizeAbsolute(e.path, false);
    if (path === null) {
      out.push({ rule: "malformed", path: given, message: `${kind} ${JSON.stringify(given)}: path must be absolute, without ".." components` });
      return;
    }
    if (fromText(path).length > LIMITS.maxPathBytes) {
      out.push({ rule: "malformed", path: given, message: `${kind} ${JSON.stringify(given)}: path is longer than ${LIMITS.maxPathBytes} bytes` });
      return;
    }
    valid.push({ type: e.type, path, given });
  });
  return valid;
}

const beneath = (a: string, b: string) => isBeneath(a, b);

/**
 * Every way `selection` breaks the Cloud Backup v2 rules (§2.4), in rule order:
 * 1. no two inclusions (or two exclusions) with the same path;
 * 2. a path may not be both included and excluded;
 * 3. nothing may be included beneath an inclusion, nor beneath an exclusion;
 * 4. nothing may be excluded beneath an exclusion;
 * 5. every exclusion must lie beneath some inclusion (or beneath one of `extraRoots`).
 * Paths must be absolute; "." and "//" are normalised, ".." is rejected.
 */
export function selectionProblems(selection: Selection, extraRoots: readonly string[] = []): SelectionProblem[] {
  const problems: SelectionProblem[] = [];
  if (selection === null || typeof selection !== "object") return [{ rule: "malformed", path: "", message: "selection must be an object with inclusions and exclusions" }];
  for (const key of ["inclusions", "exclusions"] as const) {
    if (selection[key] !== undefined && !Array.isArray(selection[key])) problems.push({ rule: "malformed", path: "", message: `${key} must be an array` });
  }
  if (problems.length > 0) return problems;
  const inc = entryProblems("inclusion", selection.inclusions ?? [], problems);
  const exc = entryProblems("exclusion", selection.exclusions ?? [], problems);
  for (const [kind, list] of [["inclusion", inc], ["exclusion", exc]] as const) {
    const seen = new Set<string>();
    for (const e of list) {
      if (seen.has(e.path)) problems.push({ rule: "duplicate", path: e.given, message: `two ${kind}s name ${JSON.stringify(e.path)}` });
      seen.add(e.path);
    }
  }
  const excluded = new Set(exc.map((e) => e.path));
  for (const e of inc) if (excluded.has(e.path)) problems.push({ rule: "included-and-excluded", path: e.given, message: `${JSON.stringify(e.path)} is both included and excluded` });
  for (const e of inc) {
    const outer = inc.find((o) => beneath(e.path, o.path));
    if (outer) problems.push({ rule: "nested-inclusion", path: e.given, message: `inclusion ${JSON.stringify(e.path)} lies beneath inclusion ${JSON.stringify(outer.path)}` });
    const ex = exc.find((o) => beneath(e.path, o.path));
    if (ex) problems.push({ rule: "nested-inclusion", path: e.given, message: `inclusion ${JSON.stringify(e.path)} lies beneath exclusion ${JSON.stringify(ex.path)}` });
  }
  for (const e of exc) {
    const outer = exc.find((o) => beneath(e.path, o.path));
    if (outer) problems.push({ rule: "nested-exclusion", path: e.given, message: `exclusion ${JSON.stringify(e.path)} lies beneath exclusion ${JSON.stringify(outer.path)}` });
  }
  const roots = [...inc.map((e) => e.path), ...extraRoots];
  for (const e of exc) {
    if (!roots.some((r) => beneath(e.path, r))) problems.push({ rule: "orphan-exclusion", path: e.given, message: `exclusion ${JSON.stringify(e.path)} does not lie beneath any inclusion` });
  }
  return problems;
}

/**
 * Throws unless `selection` satisfies the Cloud Backup v2 rules (see `selectionProblems`).
 * @throws {SelectionError} listing every problem.
 */
export function validateSelection(selection: Selection, extraRoots: readonly string[] = []): void {
  const problems = selectionProblems(selection, extraRoots);
  if (problems.length > 0) throw new SelectionError(problems);
}

function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/**
 * Compiles paths, a Cloud Backup selection and exclude options into the rules the walker
 * applies. Relative `paths` are resolved against `cwd`.
 * @throws {SelectionError} if the selection breaks §2.4, a pattern is malformed, or nothing is
 *   selected at all.
 */
export function compileSelection(options: SelectionOptions, cwd: string): CompiledSelection {
  const problems: SelectionProblem[] = [];
  const paths = (options.paths ?? []).map((p) => {
    if (typeof p !== "string" || p.length === 0 || p.includes("\0")) {
      problems.push({ rule: "malformed", path: String(p), message: `path ${JSON.stringify(p)} must be a non-empty string without NUL` });
      return "/";
    }
    return resolvePath(p, cwd);
  });
  const selection = options.selection ?? {};
  problems.push(...selectionProblems(selection, paths));
  const globs: GlobMatcher[] = [];
  for (const pattern of options.excludes ?? []) {
    try {
      globs.push(compileGlob(pattern));
    } catch (error) {
      problems.push({ rule: "malformed", path: String(pattern), message: (error as Error).message });
    }
  }
  const markers = (options.excludeIfPresent ?? []).map((m) => {
    if (typeof m !== "string" || m.length === 0 || m.includes("/") || m === "." || m === ".." || m.includes("\0")) {
      problems.push({ rule: "malformed", path: String(m), message: `exclude-if-present ${JSON.stringify(m)} must be a file name (no "/")` });
    }
    return fromText(String(m));
  });
  if (problems.length > 0) throw new SelectionError(problems);

  const candidates: SelectionRoot[] = [
    ...paths.map((p) => ({ path: fromText(p), type: "folder" as const })),
    ...(selection.inclusions ?? []).map((e) => ({ path: fromText(normalizeAbsolute(e.path, false)!), type: e.type })),
  ];
  if (candidates.length === 0) throw new SelectionError([{ rule: "malformed", path: "", message: "nothing to back up: give at least one path or inclusion" }]);
  // Sort, then drop every root that lies within an earlier one (a folder covers its contents).
  candidates.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.type === "folder" ? -1 : 1));
  const roots: SelectionRoot[] = [];
  for (const c of candidates) {
    const last = roots[roots.length - 1];
    if (last && (last.path === c.path || (last.type === "folder" && isBeneath(c.path, last.path)))) continue;
    roots.push(c);
  }
  const exclusions = (selection.exclusions ?? []).map((e) => normalizeAbsolute(e.path, false)!);
  const excludedPaths = new Set(exclusions.map(fromText));
  return {
    roots,
    excludeCaches: options.excludeCaches === true,
    markers,
    oneFileSystem: options.oneFileSystem === true,
    patterns: [...exclusions.map(escapeGlob), ...globs.map((g) => g.pattern)],
    isExcluded(path, name, isDir) {
      if (excludedPaths.size > 0 && excludedPaths.has(path)) return true;
      for (const g of globs) if (g.matches(path, name, isDir)) return true;
      return false;
    },
  };
}
