// Paths inside the planner: raw bytes (names joined by `/`), validated in place, ordered in tree
// order, and identified by their escaped text (reversible, unique per byte string), which is also
// how the plan writes them. Work is done on whole path buffers rather than arrays of names: a
// restore plans hundreds of thousands of entries, and small typed arrays are costly to allocate.
import { escapeName, LIMITS } from "@cairn/manifest";
import { RestorePlanError } from "../errors.js";

const SLASH = 0x2f;
const DOT = 0x2e;

/** A Uint8Array, also one made in another realm (an iframe, a worker's transfer, a vm context). */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor?.name === "Uint8Array");
}

/** Why the name at `bytes[begin..end)` is unsafe (for messages), or null. */
function nameProblem(bytes: Uint8Array, begin: number, end: number): string | null {
  const length = end - begin;
  if (length === 0) return 'an empty name (a leading, trailing or doubled "/")';
  if (length === 1 && bytes[begin] === DOT) return 'a "." component';
  if (length === 2 && bytes[begin] === DOT && bytes[begin + 1] === DOT) return 'a ".." component';
  for (let i = begin; i < end; i++) if (bytes[i] === 0) return "a NUL byte";
  if (length > LIMITS.maxNameBytes) return `a name longer than ${LIMITS.maxNameBytes} bytes`;
  return null;
}

/**
 * Checks that `bytes` is a relative path of safe names (non-empty, not `.`/`..`, no NUL, at most
 * 1024 bytes each) joined by single `/`; the empty path is the root.
 * @throws {TypeError} if `bytes` is not a Uint8Array.
 * @throws {RestorePlanError} (`unsafe-name`) naming the path and the rule.
 */
export function checkRelPath(bytes: Uint8Array, what: string): void {
  if (!isBytes(bytes)) throw new TypeError(`${what}: expected a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length === 0) return;
  let begin = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === SLASH) {
      const problem = nameProblem(bytes, begin, i);
      if (problem) throw new RestorePlanError("unsafe-name", `${what} has ${problem} at byte ${begin}; names from a snapshot must stay inside the target`, escapeName(bytes));
      begin = i + 1;
    }
  }
}

/** Checks one node name the same way (a `/` inside it is refused too). @throws {RestorePlanError} (`unsafe-name`). */
export function checkName(name: Uint8Array, path: () => string): void {
  if (!isBytes(name)) throw new TypeError(`${JSON.stringify(path())}: the node's name: expected a Uint8Array, got ${typeof name}`);
  const problem = name.includes(SLASH) ? 'a "/" inside a name' : nameProblem(name, 0, name.length);
  if (problem) throw new RestorePlanError("unsafe-name", `the node's name is unsafe: ${problem}`, path());
}

/** The names of a (valid) path, as views into it. */
export function namesOf(bytes: Uint8Array, from = 0): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (bytes.length <= from) return out;
  let begin = from;
  for (let i = from; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === SLASH) {
      out.push(bytes.subarray(begin, i));
      begin = i + 1;
    }
  }
  return out;
}

/** The escaped key of the parent of the path with escaped key `key` ("" for the root). */
export function parentKey(key: string): string {
  const i = key.lastIndexOf("/");
  return i < 0 ? "" : key.slice(0, i);
}

/**
 * Tree order on whole paths: a directory before everything in it, siblings by name bytes. That is
 * byte order with `/` ranked below every byte (a name that is a prefix of another ends first).
 */
export function comparePathBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return (x === SLASH ? -1 : x) - (y === SLASH ? -1 : y);
  }
  return a.length - b.length;
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

/** True if `path` is `prefix`, or lies below it (`prefix` + `/` + …); the empty prefix is the root. */
export function hasPrefix(path: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length === 0) return true;
  if (path.length < prefix.length || (path.length > prefix.length && path[prefix.length] !== SLASH)) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** Offset of the last name in `path`. */
export function lastNameStart(path: Uint8Array): number {
  return path.lastIndexOf(SLASH) + 1;
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
