// Key and prefix validation: the rules that keep every backend inside its namespace.
import { describe, expect, it } from "vitest";
import { MAX_KEY_LENGTH, MAX_SEGMENT_LENGTH, isValidKey, validateKey, validatePrefix } from "./index.js";

describe("validateKey", () => {
  it("accepts the repository's key shapes", () => {
    for (const key of ["config", "keys/0a1b", "data/0a1b2c", "index/ff", "snapshots/1234", "locks/abcd", "a.b_c-d/e"]) {
      expect(validateKey(key)).toBe(key);
      expect(isValidKey(key)).toBe(true);
    }
  });

  it.each([
    ["", /non-empty/],
    ["../x", /starts with '\.'/],
    ["a/..", /starts with '\.'/],
    ["/abs", /empty segment/],
    ["a//b", /empty segment/],
    ["a/", /empty segment/],
    ["A", /character "A"/],
    ["a\\b", /character "\\\\"/],
    ["a\u0000b", /character "\\u0000"/],
    ["x".repeat(MAX_SEGMENT_LENGTH + 1), /segment longer than 255/],
    [`${"x/".repeat(512)}x`, /longer than 1024/],
  ])("rejects %j, saying why", (key, why) => {
    expect(() => validateKey(key)).toThrow(RangeError);
    expect(() => validateKey(key)).toThrow(why);
    expect(isValidKey(key)).toBe(false);
  });

  it("rejects non-strings with a TypeError", () => {
    expect(() => validateKey(1)).toThrow(TypeError);
    expect(() => validateKey(null)).toThrow(/got null/);
    expect(isValidKey(undefined)).toBe(false);
  });

  it("allows exactly MAX_KEY_LENGTH characters", () => {
    // Five segments (255, 255, 255, 254, 1 characters) and four slashes.
    const key = ["k".repeat(MAX_SEGMENT_LENGTH), "k".repeat(MAX_SEGMENT_LENGTH), "k".repeat(MAX_SEGMENT_LENGTH), "k".repeat(MAX_SEGMENT_LENGTH - 1), "k"].join("/");
    expect(key).toHaveLength(MAX_KEY_LENGTH);
    expect(isValidKey(key)).toBe(true);
    expect(isValidKey(`${key}k`)).toBe(false);
  });
});

describe("validatePrefix", () => {
  it("accepts exactly the strings some valid key starts with", () => {
    for (const prefix of ["", "d", "data", "data/", "data/a", "a/b/", "a-"]) expect(validatePrefix(prefix)).toBe(prefix);
    for (const prefix of ["/", "a//", "../", "./", ".", "data/.", "Data", "a\\", "a b"]) expect(() => validatePrefix(prefix), prefix).toThrow(RangeError);
    expect(() => validatePrefix(`${"a/".repeat(512)}`)).toThrow(RangeError);
    expect(() => validatePrefix(undefined)).toThrow(TypeError);
  });
});
