// Names as text: the lossy display form and the reversible escaped form.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManifestError, escapeName, nameFromString, nameToDisplayString, unescapeName } from "./index.js";

const u = (s: string) => new TextEncoder().encode(s);

describe("escapeName / unescapeName", () => {
  it("round-trips every byte string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(Buffer.from(unescapeName(escapeName(b))).equals(Buffer.from(b))).toBe(true);
      }),
      { seed: 3, numRuns: 5000 },
    );
  });

  it("leaves printable UTF-8 alone and escapes the rest", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }).filter((x) => !/[\\\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(x)), (t) => escapeName(u(t)) === t), { seed: 4, numRuns: 2000 });
    expect(escapeName(u("été.txt"))).toBe("été.txt");
    expect(escapeName(Uint8Array.of(0x61, 0xff, 0x62))).toBe("a\\xffb");
    expect(escapeName(u("a\\b"))).toBe("a\\\\b");
    expect(escapeName(u("tab\there\n"))).toBe("tab\\x09here\\x0a");
    expect(escapeName(u("evil\u202etxt.exe"))).toBe("evil\\xe2\\x80\\xaetxt.exe");
    expect(escapeName(Uint8Array.of(0xed, 0xa0, 0x80))).toBe("\\xed\\xa0\\x80"); // an encoded surrogate is not UTF-8
    expect(escapeName(Uint8Array.of(0xc0, 0xaf))).toBe("\\xc0\\xaf"); // overlong "/"
  });

  it("rejects escapes it did not produce", () => {
    expect(() => unescapeName("a\\n")).toThrow(new ManifestError("invalid-utf8", "text", "invalid escape at character 1: only \\\\ and \\xHH (lowercase hex) are allowed"));
    expect(() => unescapeName("\\xFF")).toThrow(ManifestError);
    expect(() => unescapeName("a\\")).toThrow(ManifestError);
  });
});

describe("nameFromString / nameToDisplayString", () => {
  it("UTF-8 in, lossy text out", () => {
    expect(nameFromString("é")).toEqual(Uint8Array.of(0xc3, 0xa9));
    expect(nameToDisplayString(Uint8Array.of(0x61, 0xff))).toBe("a\ufffd");
    expect(() => nameFromString("a\udc00")).toThrow("name: the string has a lone UTF-16 surrogate, which has no UTF-8 form");
  });
});
