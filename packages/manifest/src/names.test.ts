// Path safety helpers: names, relative and absolute paths, joinSafe, snapshot path lists.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeName } from "../test/arbitraries.js";
import {
  ManifestError,
  assertSafeName,
  isNormalizedAbsolutePath,
  isSafeName,
  isSafeRelativePath,
  joinSafe,
  pathComponents,
  validateSnapshotPaths,
} from "./index.js";

const u = (s: string) => new TextEncoder().encode(s);
const s = (b: Uint8Array) => Buffer.from(b).toString("latin1");

describe("names", () => {
  it.each([
    ["a", true], ["...", true], [".hidden", true], ["a b", true], ["\\", true], ["C:", true],
    ["", false], [".", false], ["..", false], ["a/b", false], ["/", false], ["a\0", false], ["x".repeat(1025), false], ["x".repeat(1024), true],
  ])("isSafeName(%j) is %s", (name, safe) => {
    expect(isSafeName(u(name))).toBe(safe);
  });

  it("accepts any bytes but / and NUL, including invalid UTF-8", () => {
    fc.assert(fc.property(safeName, (n) => isSafeName(n)), { seed: 1, numRuns: 2000 });
    expect(isSafeName(Uint8Array.of(0xff, 0xc0, 0x80))).toBe(true);
  });

  it("assertSafeName throws ManifestError with the rule and the field", () => {
    expect(() => assertSafeName(u(".."), "entry")).toThrow(new ManifestError("unsafe-name", "entry", 'a name must not be ".."'));
    expect(() => assertSafeName("a" as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe("paths", () => {
  it.each([
    ["a", true], ["a/b/c", true], ["a/.../b", true], ["", false], ["/a", false], ["a/", false], ["a//b", false],
    ["..", false], ["a/../b", false], ["./a", false], ["a/.", false], ["a\0b", false],
  ])("isSafeRelativePath(%j) is %s", (path, safe) => {
    expect(isSafeRelativePath(path)).toBe(safe);
    expect(isSafeRelativePath(u(path))).toBe(safe);
  });

  it.each([
    ["/", true], ["/a", true], ["/a/b", true], ["/C:/Users", true], ["", false], ["a", false], ["/a/", false], ["//a", false],
    ["/a/..", false], ["/./a", false], ["/a\0", false], ["/" + Array(4).fill("a".repeat(1023)).join("/"), true], ["/" + Array(4).fill("a".repeat(1023)).join("/") + "b", false], ["/" + "a".repeat(1025), false],
  ])("isNormalizedAbsolutePath(%j) is %s", (path, ok) => {
    expect(isNormalizedAbsolutePath(path)).toBe(ok);
  });

  it("lone surrogates are not paths (no silent U+FFFD)", () => {
    expect(isSafeRelativePath("a\ud800")).toBe(false);
  });

  it("joinSafe joins safe parts and refuses anything that could climb out", () => {
    expect(s(joinSafe("/restore", u("etc"), "passwd"))).toBe("/restore/etc/passwd");
    expect(s(joinSafe("/restore/", "a/b"))).toBe("/restore/a/b");
    expect(s(joinSafe(u("/"), "x"))).toBe("/x");
    expect(s(joinSafe("rel"))).toBe("rel");
    expect(() => joinSafe("/restore", "..")).toThrow(new ManifestError("unsafe-path", "parts[0]", 'a safe relative path must not contain a ".." component (byte 0)'));
    expect(() => joinSafe("/restore", "a", "/etc")).toThrow(new ManifestError("unsafe-path", "parts[1]", 'a relative path must not start with "/"'));
    expect(() => joinSafe("/restore", "a/../../x")).toThrow('parts[0]: a safe relative path must not contain a ".." component (byte 2)');
    expect(() => joinSafe("", "a")).toThrow("base: the base directory must not be empty");
  });

  it("joinSafe output always stays below the base, for any safe names", () => {
    fc.assert(
      fc.property(fc.array(safeName, { minLength: 1, maxLength: 5 }), (names) => {
        const out = joinSafe("/t", ...names);
        expect(s(out.subarray(0, 3))).toBe("/t/");
        expect(pathComponents(out).slice(1).map(s)).toEqual(names.map(s));
      }),
      { seed: 2, numRuns: 500 },
    );
  });

  it("pathComponents splits absolute normalised paths", () => {
    expect(pathComponents(u("/")).map(s)).toEqual([]);
    expect(pathComponents(u("/a/bc")).map(s)).toEqual(["a", "bc"]);
    expect(() => pathComponents(u("/a/../b"))).toThrow(ManifestError);
  });

  it("validateSnapshotPaths names the offending entry", () => {
    expect(() => validateSnapshotPaths([u("/a"), u("/b")])).not.toThrow();
    expect(() => validateSnapshotPaths([u("/a"), u("/a/../b")])).toThrow('paths[1]: a normalised absolute path must not contain a ".." component (byte 3)');
    expect(() => validateSnapshotPaths([u("/b"), u("/a")])).toThrow("paths[1]: paths must be in ascending byte order, but paths[1] sorts before paths[0]");
    expect(() => validateSnapshotPaths([])).toThrow("paths: a snapshot must list at least one path");
    expect(() => validateSnapshotPaths(["/a"] as unknown as Uint8Array[])).toThrow(new TypeError("paths[0]: expected Uint8Array, got string"));
  });
});
