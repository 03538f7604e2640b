// Object keys: the one naming scheme every backend understands. A key is a slash-separated
// path of lowercase segments such as `config`, `keys/<id>` or `data/<id>`. The rules are narrow
// on purpose, so that a key means the same object on every backend and no key can escape a
// backend's namespace:
//   - characters `a-z 0-9 . _ - /` only: no uppercase (case-insensitive filesystems would fold
//     `A` and `a` into one object), no backslash, NUL, space or non-ASCII;
//   - segments are non-empty (no leading, trailing or doubled `/`, so no absolute paths) and
//     never start with `.` (which rules out `.` and `..`, and leaves dot-names to backends
//     for temporary files that can never collide with an object);
//   - at most 255 characters per segment (a filename on common filesystems) and 1024 in all
//     (the S3 and Swift limit).

/** Longest key accepted, in characters (all key characters are ASCII, so also bytes). */
export const MAX_KEY_LENGTH = 1024;
/** Longest segment (the text between two `/`) accepted. */
export const MAX_SEGMENT_LENGTH = 255;

const KEY_CHARS = /^[a-z0-9._\-/]*$/;

function show(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return JSON.stringify(shown);
}

// Returns why `text` is not a valid key (or, when `partial`, not the start of one), or null.
function problem(text: string, partial: boolean): string | null {
  if (text.length > MAX_KEY_LENGTH) return `longer than ${MAX_KEY_LENGTH} characters (${text.length})`;
  if (!KEY_CHARS.test(text)) {
    const bad = [...text].find((c) => !/[a-z0-9._\-/]/.test(c)) ?? "";
    return `character ${JSON.stringify(bad)} is not one of a-z 0-9 . _ - /`;
  }
  const segments = text.split("/");
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === "") {
      if (partial && last) continue; // "data/" is a fine prefix
      return "empty segment (leading, trailing or doubled '/')";
    }
    if (segment.startsWith(".")) return `segment ${show(segment)} starts with '.'`;
    if (segment.length > MAX_SEGMENT_LENGTH) return `segment longer than ${MAX_SEGMENT_LENGTH} characters (${segment.length})`;
  }
  return null;
}

/**
 * Checks that `key` is a valid object key and returns it.
 * @throws {TypeError} if `key` is not a string.
 * @throws {RangeError} if it breaks a rule above; the message says which.
 */
export function validateKey(key: unknown): string {
  if (typeof key !== "string") throw new TypeError(`key: expected a string, got ${key === null ? "null" : typeof key}`);
  if (key === "") throw new RangeError("key: expected a non-empty key, got \"\"");
  const why = problem(key, false);
  if (why !== null) throw new RangeError(`key: invalid key ${show(key)}: ${why}`);
  return key;
}

/** True when `key` is a valid object key (see `validateKey`). */
export function isValidKey(key: unknown): key is string {
  return typeof key === "string" && key !== "" && problem(key, false) === null;
}

/**
 * Checks a `list` prefix: valid exactly when some valid key starts with it (so `""`, `data/`
 * and `data/ab` are valid; `/`, `../` and `Data` are not). Returns it.
 * @throws {TypeError} if `prefix` is not a string.
 * @throws {RangeError} if no valid key could start with it.
 */
export function validatePrefix(prefix: unknown): string {
  if (typeof prefix !== "string") throw new TypeError(`prefix: expected a string, got ${prefix === null ? "null" : typeof prefix}`);
  if (prefix === "") return prefix;
  const why = prefix.endsWith("/") && prefix.length >= MAX_KEY_LENGTH ? "no key of at most 1024 characters can extend it" : problem(prefix, true);
  if (why !== null) throw new RangeError(`prefix: invalid prefix ${show(prefix)}: ${why}`);
  return prefix;
}
