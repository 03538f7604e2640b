// Paths inside the planner: validated component lists, with the escaped text form (reversible,
// unique per byte string) as their identity in maps and in the plan.
import { escapeName, isSafeName } from "@cairn/manifest";
import { RestorePlanError } from "../errors.js";

const SLASH = 0x2f;

/** A validated relative path: its names, and its escaped text (`a/b`). */
export interface RelPath {
  readonly names: readonly Uint8Array[];
  readonly key: string;
}

export const ROOT: RelPath = { names: [], key: "" };

/** Describes why one name is unsafe (for messages), or null. */
function nameProblem(name: Uint8Array): string | null {
  if (name.length === 0) return "an empty name (a leading, trailing or doubled \"/\")";
  if (name.length === 1 && name[0] === 0x2e) return 'a "." component';
  if (name.length === 2 && name[0] === 0x2e && name[1] === 0x2e) return 'a ".." component';
  if (name.includes(0)) return "a NUL byte";
  if (name.includes(SLASH)) return 'a "/" inside a name';
  if (!isSafeName(name)) return "a name longer than 1024 bytes";
  return null;
}

/**
 * Splits relative path bytes at `/` and checks every name (non-empty, not `.`/`..`, no NUL,
 * ≤ 1024 bytes). The empty path is the root.
 * @throws {RestorePlanError} (`unsafe-name`) naming the path and the rule.
 */
export function parseRelPath(bytes: Uint8Array, what: string): RelPath {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length === 0) return ROOT;
  const names: Uint8Array[] = [];
  let begin = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === SLASH) {
      const name = bytes.slice(begin, i);
      const problem = nameProblem(name);
      if (problem) throw new RestorePlanError("unsafe-name", `${what} has ${problem} at byte ${begin}; names from a snapshot must stay inside the target`, escapeName(bytes));
      names.push(name);
      begin = i + 1;
    }
  }
  return { names, key: escapeName(bytes) };
}

/** Checks one node name the same way. @throws {RestorePlanError} (`unsafe-name`). */
export function checkName(name: Uint8Array, path: string): void {
  const problem = nameProblem(name);
  if (problem) throw new RestorePlanError("unsafe-name", `the node's name is unsafe: ${problem}`, path);
}

export function joinNames(names: readonly Uint8Array[]): Uint8Array {
  let length = Math.max(0, names.length - 1);
  for (const n of names) length += n.length;
  const out = new Uint8Array(length);
  let at = 0;
  names.forEach((n, i) => {
    if (i > 0) out[at++] = SLASH;
    out.set(n, at);
    at += n.length;
  });
  return out;
}

export function relPathOf(names: readonly Uint8Array[]): RelPath {
  return { names, key: escapeName(joinNames(names)) };
}

export function parentOf(path: RelPath): RelPath {
  return relPathOf(path.names.slice(0, -1));
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function equalBytes(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** Tree order: a directory before everything in it, siblings by name bytes. */
export function comparePaths(a: readonly Uint8Array[], b: readonly Uint8Array[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareBytes(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** True if `prefix` is `path` or one of its ancestors. */
export function isPrefix(prefix: readonly Uint8Array[], path: readonly Uint8Array[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (compareBytes(prefix[i]!, path[i]!) !== 0) return false;
  return true;
}
