// The one error @cairn/manifest throws for bad data, whether it is found while encoding (we never
// write it) or while decoding (we never accept it). Callers catch it by type and read `code`.

/** What kind of rule a value broke. Stable: callers may switch on it. */
export type ManifestErrorCode =
  /** The input ended in the middle of an item. */
  | "truncated"
  /** Bytes follow the end of the object. */
  | "trailing-bytes"
  /** The first bytes are not a Cairn manifest header, or name another kind of object. */
  | "bad-header"
  /** The format version is not one this reader knows. */
  | "unsupported-version"
  /** The bytes are not in the canonical CBOR subset (non-minimal head, indefinite length, tag, float…). */
  | "malformed"
  /** A field holds the wrong kind of item (e.g. text where bytes are required). */
  | "wrong-type"
  /** A number or length is outside the range allowed for the field. */
  | "out-of-range"
  /** A size limit (items, bytes, depth) is exceeded. */
  | "limit-exceeded"
  /** Text is not valid UTF-8, or a string has a lone surrogate. */
  | "invalid-utf8"
  /** A required field is absent. */
  | "missing-field"
  /** A field is present that the node type does not allow. */
  | "field-not-allowed"
  /** An unknown field whose key says it must be understood (an even key). */
  | "unknown-field"
  /** Map keys, names, paths or tags are not in strictly ascending order. */
  | "unsorted"
  /** The same name, path, tag or xattr appears twice. */
  | "duplicate"
  /** A value is not in its one canonical form (e.g. an empty list that must be omitted). */
  | "not-canonical"
  /** A node name breaks the path-safety rules (empty, `.`, `..`, `/`, NUL, too long). */
  | "unsafe-name"
  /** A path breaks the path-safety rules (not absolute/relative as required, `..`, empty component…). */
  | "unsafe-path"
  /** Fields contradict each other (e.g. a file's size is not the sum of its content). */
  | "inconsistent";

/**
 * Bad manifest data. `field` is a path into the value (`tree.nodes[3].name`), `offset` the byte
 * offset in the decoded input where the offending item starts (undefined while encoding).
 * The message repeats both, so a log line alone locates the problem.
 */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
  readonly code: ManifestErrorCode;
  readonly field: string;
  readonly offset: number | undefined;
  /** The rule that was broken, without the field and offset. */
  readonly detail: string;

  constructor(code: ManifestErrorCode, field: string, detail: string, offset?: number) {
    super(`${field}: ${detail}${offset === undefined ? "" : ` (at byte ${offset})`}`);
    this.code = code;
    this.field = field;
    this.detail = detail;
    this.offset = offset;
  }
}
