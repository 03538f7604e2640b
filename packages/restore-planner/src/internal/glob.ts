// Glob patterns over byte names, the way restic and rsync users expect them:
//   `*` any run of characters within one name, `?` one character, `[a-z]` / `[!a-z]` a class,
//   `**` as a whole component any number of names (zero included), `\x` the character x
//   literally, and `\xHH` the raw byte HH (for names that are not UTF-8, as `escapeName` writes).
// A pattern starting with `/` is anchored at the snapshot root; any other pattern may match at
// any depth (as if prefixed by `**/`). A pattern matches a path when it matches the path itself
// or one of its ancestors, so `/home/alice` also covers everything below it.
//
// Characters are compared as Unicode code points where the name is valid UTF-8; each byte of an
// invalid sequence is a unit of its own that only `?`, `*` or the same raw byte match.
import { RestorePlanError } from "../errors.js";

/** A name as comparable units: code points (>= 0) or raw invalid bytes (-1 - byte). */
type Units = readonly number[];

type Token =
  | { readonly kind: "unit"; readonly unit: number }
  | { readonly kind: "one" }
  | { readonly kind: "star" }
  | { readonly kind: "class"; readonly negated: boolean; readonly ranges: readonly (readonly [number, number])[] };

type Component = { readonly kind: "globstar" } | { readonly kind: "name"; readonly tokens: readonly Token[] };

export interface Pattern {
  readonly source: string;
  readonly components: readonly Component[];
}

const encoder = new TextEncoder();

/** Decodes bytes into units: shortest-form UTF-8 sequences become code points, other bytes -1 - b. */
export function unitsOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i]!;
    let len = 0;
    let cp = 0;
    let min = 0;
    if (b0 < 0x80) [len, cp, min] = [1, b0, 0];
    else if (b0 >= 0xc2 && b0 <= 0xdf) [len, cp, min] = [2, b0 & 0x1f, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [len, cp, min] = [3, b0 & 0x0f, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [len, cp, min] = [4, b0 & 0x07, 0x10000];
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      out.push(cp);
      i += len;
    } else {
      out.push(-1 - b0);
      i += 1;
    }
  }
  return out;
}

class PatternParser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  fail(detail: string): never {
    throw new RestorePlanError("bad-option", `pattern ${JSON.stringify(this.source)}: ${detail}`);
  }

  get done(): boolean {
    return this.i >= this.text.length;
  }

  /** Reads one escape (after the `\`): a raw byte or a literal character, as bytes. */
  private escape(): Uint8Array {
    const next = this.text[this.i];
    if (next === undefined) this.fail("ends with a lone \\");
    if (next === "x" && /^[0-9a-fA-F]{2}$/.test(this.text.slice(this.i + 1, this.i + 3))) {
      const byte = parseInt(this.text.slice(this.i + 1, this.i + 3), 16);
      this.i += 3;
      return Uint8Array.of(byte);
    }
    const cp = this.text.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return encoder.encode(String.fromCodePoint(cp));
  }

  /** One class member: a single unit (a character, or an escaped raw byte). */
  private classUnit(): number {
    const ch = this.text[this.i];
    if (ch === "\\") {
      this.i++;
      const units = unitsOf(this.escape());
      if (units.length !== 1) this.fail("an escape in a class must stand for one character");
      return units[0]!;
    }
    const cp = this.text.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private klass(): Token {
    const negated = this.text[this.i] === "!" || this.text[this.i] === "^";
    if (negated) this.i++;
    const ranges: [number, number][] = [];
    let first = true;
    for (;;) {
      if (this.done) this.fail('has a "[" without a closing "]"');
      if (this.text[this.i] === "]" && !first) {
        this.i++;
        break;
      }
      first = false;
      const lo = this.classUnit();
      if (this.text[this.i] === "-" && this.text[this.i + 1] !== "]" && this.i + 1 < this.text.length) {
        this.i++;
        const hi = this.classUnit();
        if (hi < lo) this.fail("has a class range whose end comes before its start");
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    return { kind: "class", negated, ranges };
  }

  /** Tokens of one component (the text between slashes, escapes already kept intact). */
  tokens(): Token[] {
    const out: Token[] = [];
    let literal: number[] = [];
    const flush = () => {
      if (literal.length === 0) return;
      for (const unit of unitsOf(Uint8Array.from(literal))) out.push({ kind: "unit", unit });
      literal = [];
    };
    while (!this.done) {
      const ch = this.text[this.i]!;
      if (ch === "\\") {
        this.i++;
        literal.push(...this.escape());
      } else if (ch === "*" || ch === "?" || ch === "[") {
        flush();
        this.i++;
        if (ch === "*") {
          if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" });
        } else if (ch === "?") out.push({ kind: "one" });
        else out.push(this.klass());
      } else {
        const cp = this.text.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        literal.push(...encoder.encode(String.fromCodePoint(cp)));
      }
    }
    flush();
    return out;
  }
}

/** Splits at unescaped `/` (a `\/` stays a literal slash, which no name contains). */
function splitComponents(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      current += ch + text[i + 1]!;
      i++;
    } else if (ch === "/") {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

/**
 * Compiles a pattern.
 * @throws {RestorePlanError} (`bad-option`) for an empty pattern, an unclosed class, a lone `\`.
 */
export function compilePattern(source: string): Pattern {
  if (typeof source !== "string") throw new TypeError(`pattern: expected a string, got ${typeof source}`);
  if (source.length === 0) throw new RestorePlanError("bad-option", "a pattern must not be empty");
  const anchored = source.startsWith("/");
  const components: Component[] = anchored ? [] : [{ kind: "globstar" }];
  for (const part of splitComponents(anchored ? source.slice(1) : source)) {
    if (part === "") continue;
    if (part === "**") {
      if (components[components.length - 1]?.kind !== "globstar") components.push({ kind: "globstar" });
      continue;
    }
    components.push({ kind: "name", tokens: new PatternParser(part, source).tokens() });
  }
  return { source, components };
}

function inClass(token: Extract<Token, { kind: "class" }>, unit: number): boolean {
  const hit = token.ranges.some(([lo, hi]) => unit >= lo && unit <= hi);
  return token.negated ? !hit : hit;
}

/** Wildcard match of one name, with the usual single-backtrack-point algorithm (linear-ish). */
function matchName(tokens: readonly Token[], units: Units): boolean {
  let t = 0;
  let u = 0;
  let starT = -1;
  let starU = 0;
  while (u < units.length) {
    const token = tokens[t];
    if (token?.kind === "star") {
      starT = t++;
      starU = u;
      continue;
    }
    if (token && (token.kind === "one" || (token.kind === "unit" && token.unit === units[u]) || (token.kind === "class" && inClass(token, units[u]!)))) {
      t++;
      u++;
      continue;
    }
    if (starT < 0) return false;
    t = starT + 1;
    u = ++starU;
  }
  while (tokens[t]?.kind === "star") t++;
  return t === tokens.length;
}

/** A path prepared for matching: its names as units, computed once. */
export type MatchPath = readonly Units[];

export function matchPathOf(names: readonly Uint8Array[]): MatchPath {
  return names.map(unitsOf);
}

/** True if `pattern` matches the path or one of its ancestors. */
export function matchesPathOrAncestor(pattern: Pattern, path: MatchPath): boolean {
  const P = pattern.components;
  const memo = new Map<number, boolean>();
  const m = (i: number, j: number): boolean => {
    if (i === P.length) return true;
    const key = i * (path.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const c = P[i]!;
    const result = c.kind === "globstar" ? m(i + 1, j) || (j < path.length && m(i, j + 1)) : j < path.length && matchName(c.tokens, path[j]!) && m(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return m(0, 0);
}

/** True if `pattern` could match some path strictly below `path` (so a walker must look inside). */
export function mayMatchBelow(pattern: Pattern, path: MatchPath): boolean {
  const P = pattern.components;
  const memo = new Map<number, boolean>();
  const m = (i: number, j: number): boolean => {
    if (i === P.length) return true;
    if (j === path.length) return true; // the rest of the pattern may match names yet to come
    const key = i * (path.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const c = P[i]!;
    const result = c.kind === "globstar" ? m(i + 1, j) || m(i, j + 1) : matchName(c.tokens, path[j]!) && m(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return m(0, 0);
}
