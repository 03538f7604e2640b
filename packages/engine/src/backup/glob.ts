// Exclude patterns (restic/rsync-style globs) compiled to regular expressions over binary paths
// (one code unit per byte, see internal/binaryPath.ts), so they match non-UTF-8 names too.
//
//   *      any run of characters except "/"          ?      one character except "/"
//   [abc]  [a-z]  [!a-z] / [^a-z]  one ASCII character from (not from) a set
//   **     as a whole path component: zero or more components ("a/**/b", "**/x", "x/**")
//   \c     the character c itself
//
// Where a pattern applies:
//   - no "/" in it (except a trailing one): the entry's name, at any depth ("*.o", "node_modules");
//   - starting with "/": the whole absolute path ("/home/*/.cache");
//   - otherwise: any trailing run of components ("build/*.tmp" matches /src/app/build/x.tmp);
//   - a trailing "/" restricts it to directories ("cache/").
// A matching directory is excluded with everything beneath it. "!" negation is not supported
// and is rejected rather than silently taken literally.
import { LIMITS } from "@cairn/manifest";
import { fromText, type BinaryPath } from "../internal/binaryPath.js";

/** A compiled exclude pattern. */
export interface GlobMatcher {
  /** The pattern as given. */
  readonly pattern: string;
  /** True if `path` (absolute, binary) with final component `name` is excluded by this pattern. */
  matches(path: BinaryPath, name: BinaryPath, isDir: boolean): boolean;
}

/** Why a pattern cannot be compiled, or null. */
export function globProblem(pattern: string): string | null {
  try {
    compileGlob(pattern);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const ANY_CHAR = "(?:[\\x00-\\x2e\\x30-\\x7f]|[\\xc0-\\xff][\\x80-\\xbf]*|[\\x80-\\xbf])";

function escapeRegex(binary: string): string {
  let out = "";
  for (const ch of binary) {
    const c = ch.charCodeAt(0);
    if (/[.*+?^${}()|[\]\\/-]/.test(ch)) out += `\\${ch}`;
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

function fail(pattern: string, why: string): never {
  throw new RangeError(`exclude pattern ${JSON.stringify(pattern)}: ${why}`);
}

/** Translates one glob component sequence (no "**" handling) to regex source. */
function translate(pattern: string, body: string): string {
  let out = "";
  const chars = [...body];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\") {
      const next = chars[++i];
      if (next === undefined) fail(pattern, "ends with a lone backslash");
      out += escapeRegex(fromText(next));
    } else if (ch === "*") {
      while (chars[i + 1] === "*") i++;
      out += "[^/]*";
    } else if (ch === "?") {
      out += ANY_CHAR;
    } else if (ch === "[") {
      let j = i + 1;
      let negate = false;
      if (chars[j] === "!" || chars[j] === "^") {
        negate = true;
        j++;
      }
      let cls = "";
      let first = true;
      for (; j < chars.length && (chars[j] !== "]" || first); j++) {
        first = false;
        let c = chars[j]!;
        if (c === "\\") c = chars[++j] ?? fail(pattern, "ends inside a [...] set");
        if (c.codePointAt(0)! > 0x7f) fail(pattern, "a [...] set may hold only ASCII characters");
        if (c === "/") fail(pattern, 'a [...] set cannot match "/"');
        if (chars[j + 1] === "-" && chars[j + 2] !== undefined && chars[j + 2] !== "]") {
          const hi = chars[j + 2]!;
          if (hi.codePointAt(0)! > 0x7f) fail(pattern, "a [...] set may hold only ASCII characters");
          if (hi < c) fail(pattern, `range ${c}-${hi} is reversed`);
          cls += `${escapeRegex(c)}-${escapeRegex(hi)}`;
          j += 2;
        } else {
          cls += escapeRegex(c);
        }
      }
      if (j >= chars.length) fail(pattern, "has an unclosed [");
      out += negate ? `(?:(?!/)(?![${cls}])${ANY_CHAR})` : `[${cls}]`;
      i = j;
    } else {
      out += escapeRegex(fromText(ch));
    }
  }
  return out;
}

/**
 * Compiles an exclude pattern.
 * @throws {RangeError} if the pattern is empty, too long, contains NUL, starts with "!", or is
 *   malformed (unclosed "[", trailing "\", non-ASCII in a set).
 */
export function compileGlob(pattern: string): GlobMatcher {
  if (typeof pattern !== "string") throw new TypeError(`exclude pattern: expected a string, got ${typeof pattern}`);
  if (pattern.length === 0) fail(pattern, "is empty");
  if (fromText(pattern).length > LIMITS.maxPatternBytes) fail(pattern, `is longer than ${LIMITS.maxPatternBytes} bytes`);
  if (pattern.includes("\0")) fail(pattern, "contains a NUL character");
  if (pattern.startsWith("!")) fail(pattern, 'starts with "!": negated patterns are not supported (write "\\!" for a literal "!")');
  let body = pattern;
  const dirOnly = body.length > 1 && body.endsWith("/");
  if (dirOnly) body = body.replace(/\/+$/, "");
  if (body === "" || body === "/") fail(pattern, "matches nothing but the root");
  const anchored = body.startsWith("/");
  if (anchored) body = body.replace(/^\/+/, "");
  const parts = body.split("/").filter((p, i, all) => p !== "" || i === all.length - 1);
  const nameOnly = !anchored && parts.length === 1;
  // Join components, turning "**" components into "any number of components".
  let source = "";
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === "**") {
      source += last ? (i === 0 ? "[\\s\\S]*" : "[\\s\\S]+") : "(?:[^/]*/)*";
    } else {
      source += translate(pattern, part) + (last ? "" : "/");
    }
  });
  const regex = nameOnly ? new RegExp(`^${source}$`) : anchored ? new RegExp(`^/${source}$`) : new RegExp(`(?:^|/)${source}$`);
  return {
    pattern,
    matches(path, name, isDir) {
      if (dirOnly && !isDir) return false;
      return regex.test(nameOnly ? name : path);
    },
  };
}
