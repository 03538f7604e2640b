// Path safety. Names and paths in a snapshot are untrusted input (ARCHITECTURE.md decision 10):
// a hostile or corrupt snapshot must never make a restore write outside its target. The rules
// live here, beside the codec, and the codec applies them in both directions, so no caller can
// forget them: we never write an unsafe name and never accept one. FORMAT.md §7.7 states them.
//
// Only POSIX rules are checked (`/` separates, NUL ends a C string, `.`/`..` are special). A
// restore onto Windows must additionally map or reject `\`, `:`, reserved device names and
// trailing dots; that is the restore planner's job, as it knows the target.
import { ManifestError, type ManifestErrorCode } from "./errors.js";
import { compareBytes } from "./internal/bytes.js";
import { bytes } from "./internal/validate.js";
import { LIMITS } from "./limits.js";
import { nameFromString } from "./text.js";

const SLASH = 0x2f;
const DOT = 0x2e;

/** A broken rule: the error code and the detail for the message (without field or offset). */
export interface Problem {
  readonly code: ManifestErrorCode;
  readonly detail: string;
}

/** Why `name` is not a safe node name, or null if it is one. */
export function nameProblem(name: Uint8Array): Problem | null {
  if (name.length === 0) return { code: "unsafe-name", detail: "a name must not be empty" };
  if (name.length > LIMITS.maxNameBytes) return { code: "unsafe-name", detail: `a name must be at most ${LIMITS.maxNameBytes} bytes, got ${name.length}` };
  if (name[0] === DOT && (name.length === 1 || (name.length === 2 && name[1] === DOT))) {
    return { code: "unsafe-name", detail: `a name must not be "${name.length === 1 ? "." : ".."}"` };
  }
  for (let i = 0; i < name.length; i++) {
    if (name[i] === SLASH) return { code: "unsafe-name", detail: `a name must not contain "/" (byte ${i} of the name)` };
    if (name[i] === 0) return { code: "unsafe-name", detail: `a name must not contain a NUL byte (byte ${i} of the name)` };
  }
  return null;
}

/**
 * True if `name` may be a node name: 1..1024 bytes, not `.` or `..`, no `/` and no NUL byte.
 * Any other bytes are allowed, including invalid UTF-8, since Linux file names are bytes.
 * @throws {TypeError} if `name` is not a Uint8Array.
 */
export function isSafeName(name: Uint8Array): boolean {
  return nameProblem(bytes("name", name)) === null;
}

/**
 * Throws unless `name` is a safe node name (see {@link isSafeName}).
 * @throws {TypeError} if `name` is not a Uint8Array.
 * @throws {ManifestError} (`unsafe-name`) saying which rule is broken.
 */
export function assertSafeName(name: Uint8Array, field = "name"): void {
  const p = nameProblem(bytes(field, name));
  if (p) throw new ManifestError(p.code, field, p.detail);
}

function componentProblem(c: Uint8Array, path: string, offset: number): Problem | null {
  if (c.length === 0) return { code: "unsafe-path", detail: `a ${path} must not contain an empty component (byte ${offset})` };
  if (c[0] === DOT && (c.length === 1 || (c.length === 2 && c[1] === DOT))) {
    return { code: "unsafe-path", detail: `a ${path} must not contain a "${c.length === 1 ? "." : ".."}" component (byte ${offset})` };
  }
  const nul = c.indexOf(0);
  if (nul >= 0) return { code: "unsafe-path", detail: `a ${path} must not contain a NUL byte (byte ${offset + nul})` };
  if (c.length > LIMITS.maxNameBytes) return { code: "unsafe-path", detail: `a ${path} component must be at most ${LIMITS.maxNameBytes} bytes (byte ${offset})` };
  return null;
}

function componentsProblem(path: Uint8Array, start: number, kind: string): Problem | null {
  let begin = start;
  for (let i = start; i <= path.length; i++) {
    if (i === path.length || path[i] === SLASH) {
      const p = componentProblem(path.subarray(begin, i), kind, begin);
      if (p) return p;
      begin = i + 1;
    }
  }
  return null;
}

/**
 * Why `path` is not an absolute, normalised path, or null if it is one: `/` alone, or `/`
 * followed by safe names joined by single `/` (no empty, `.` or `..` component, no trailing
 * `/`, no NUL), at most 4096 bytes.
 */
export function absolutePathProblem(path: Uint8Array): Problem | null {
  if (path.length === 0) return { code: "unsafe-path", detail: "an absolute path must not be empty" };
  if (path.length > LIMITS.maxPathBytes) return { code: "unsafe-path", detail: `a path must be at most ${LIMITS.maxPathBytes} bytes, got ${path.length}` };
  if (path[0] !== SLASH) return { code: "unsafe-path", detail: 'an absolute path must start with "/"' };
  if (path.length === 1) return null;
  return componentsProblem(path, 1, "normalised absolute path");
}

/** Why `path` is not a safe relative path, or null if it is one (see {@link isSafeRelativePath}). */
export function relativePathProblem(path: Uint8Array): Problem | null {
  if (path.length === 0) return { code: "unsafe-path", detail: "a relative path must not be empty" };
  if (path.length > LIMITS.maxPathBytes) return { code: "unsafe-path", detail: `a path must be at most ${LIMITS.maxPathBytes} bytes, got ${path.length}` };
  if (path[0] === SLASH) return { code: "unsafe-path", detail: 'a relative path must not start with "/"' };
  return componentsProblem(path, 0, "safe relative path");
}

function pathBytes(field: string, path: unknown): Uint8Array {
  if (typeof path === "string") return nameFromString(path, field);
  return bytes(field, path);
}

/**
 * True if `path` is absolute and normalised (see {@link absolutePathProblem}).
 * @throws {TypeError} if `path` is neither a Uint8Array nor a string.
 */
export function isNormalizedAbsolutePath(path: Uint8Array | string): boolean {
  try {
    return absolutePathProblem(pathBytes("path", path)) === null;
  } catch (e) {
    if (e instanceof ManifestError) return false;
    throw e;
  }
}

/**
 * True if `path` is a relative path that stays below the directory it is resolved against,
 * lexically: one or more safe names (see {@link isSafeName}) joined by single `/`, no leading or
 * trailing `/`. A restore uses it to check every path it computes before touching the disk.
 * It says nothing about symlinks already on disk: an executor must still refuse to follow a
 * symlink in any parent component (open with O_NOFOLLOW, or check with lstat).
 * @throws {TypeError} if `path` is neither a Uint8Array nor a string.
 */
export function isSafeRelativePath(path: Uint8Array | string): boolean {
  try {
    return relativePathProblem(pathBytes("path", path)) === null;
  } catch (e) {
    if (e instanceof ManifestError) return false;
    throw e;
  }
}

/**
 * `base` joined with each part by `/`, where every part must be a safe relative path, so the
 * result is lexically inside `base` whatever the parts say. `base` is trusted (the restore
 * target) and is not checked beyond being non-empty. Strings are taken as UTF-8.
 * @throws {TypeError} if an argument is neither a Uint8Array nor a string.
 * @throws {ManifestError} (`unsafe-path`) naming the first unsafe part, or if `base` is empty.
 */
export function joinSafe(base: Uint8Array | string, ...parts: readonly (Uint8Array | string)[]): Uint8Array {
  const b = pathBytes("base", base);
  if (b.length === 0) throw new ManifestError("unsafe-path", "base", "the base directory must not be empty");
  const checked = parts.map((part, i) => {
    const p = pathBytes(`parts[${i}]`, part);
    const problem = relativePathProblem(p);
    if (problem) throw new ManifestError(problem.code, `parts[${i}]`, problem.detail);
    return p;
  });
  const trailing = b[b.length - 1] === SLASH;
  let length = b.length;
  for (const p of checked) length += p.length + 1;
  if (trailing && checked.length > 0) length--;
  const out = new Uint8Array(length);
  out.set(b, 0);
  let at = b.length;
  checked.forEach((p, i) => {
    if (!(i === 0 && trailing)) out[at++] = SLASH;
    out.set(p, at);
    at += p.length;
  });
  return out;
}

/**
 * The names along an absolute, normalised path (`/` gives none): how a snapshot path is walked
 * from the root tree.
 * @throws {TypeError} if `path` is not a Uint8Array.
 * @throws {ManifestError} (`unsafe-path`) if it is not absolute and normalised.
 */
export function pathComponents(path: Uint8Array): Uint8Array[] {
  const problem = absolutePathProblem(bytes("path", path));
  if (problem) throw new ManifestError(problem.code, "path", problem.detail);
  const out: Uint8Array[] = [];
  let begin = 1;
  for (let i = 1; i <= path.length && path.length > 1; i++) {
    if (i === path.length || path[i] === SLASH) {
      out.push(path.slice(begin, i));
      begin = i + 1;
    }
  }
  return out;
}

/** Why a snapshot `paths` list is invalid (with the index of the offending entry), or null. */
export function pathListProblem(paths: readonly Uint8Array[]): (Problem & { readonly index: number }) | null {
  if (paths.length === 0) return { code: "missing-field", detail: "a snapshot must list at least one path", index: -1 };
  if (paths.length > LIMITS.maxPaths) return { code: "limit-exceeded", detail: `at most ${LIMITS.maxPaths} paths, got ${paths.length}`, index: -1 };
  for (let i = 0; i < paths.length; i++) {
    const p = absolutePathProblem(paths[i]!);
    if (p) return { ...p, index: i };
    if (i > 0) {
      const order = compareBytes(paths[i - 1]!, paths[i]!);
      if (order === 0) return { code: "duplicate", detail: `paths[${i}] repeats paths[${i - 1}]`, index: i };
      if (order > 0) return { code: "unsorted", detail: `paths must be in ascending byte order, but paths[${i}] sorts before paths[${i - 1}]`, index: i };
    }
  }
  return null;
}

/**
 * Checks a snapshot's `paths`: at least one, each absolute and normalised (no `..`, `.`, empty
 * components or trailing `/`), in strictly ascending byte order (so no duplicates).
 * @throws {TypeError} if `paths` is not an array of Uint8Array.
 * @throws {ManifestError} (`unsafe-path`, `unsorted`, `duplicate`, `missing-field`, `limit-exceeded`) naming the entry.
 */
export function validateSnapshotPaths(paths: readonly Uint8Array[]): void {
  if (!Array.isArray(paths)) throw new TypeError(`paths: expected an array, got ${paths === null ? "null" : typeof paths}`);
  paths.forEach((p, i) => bytes(`paths[${i}]`, p));
  const problem = pathListProblem(paths);
  if (problem) throw new ManifestError(problem.code, problem.index >= 0 ? `paths[${problem.index}]` : "paths", problem.detail);
}
