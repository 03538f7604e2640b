// Selection is pure: the Cloud Backup v2 nesting rules (§2.4), path normalisation, root folding,
// exclusions and glob patterns, checked without touching a disk.
import { describe, expect, it } from "vitest";
import { compileGlob, compileSelection, normalizeAbsolute, selectionProblems, SelectionError, validateSelection } from "../../src/index.js";
import { markerExcludes } from "../../src/backup/selection.js";
import { fromBytes, fromText } from "../../src/internal/binaryPath.js";

const folder = (path: string) => ({ type: "folder" as const, path });
const file = (path: string) => ({ type: "file" as const, path });
const rules = (sel: Parameters<typeof selectionProblems>[0], extra: string[] = []) => selectionProblems(sel, extra).map((p) => p.rule);

describe("Cloud Backup v2 §2.4 selection rules", () => {
  it("accepts a valid configuration", () => {
    expect(rules({ inclusions: [folder("/home"), file("/etc/fstab")], exclusions: [folder("/home/a/.cache"), file("/home/b/big.iso")] })).toEqual([]);
  });
  it("rule 1: no two inclusions or two exclusions with the same path (after normalisation)", () => {
    expect(rules({ inclusions: [folder("/home"), folder("/home/")] })).toEqual(["duplicate"]);
    expect(rules({ inclusions: [folder("/h")], exclusions: [file("/h/x"), folder("/h//x")] })).toContain("duplicate");
  });
  it("rule 2: a path may not be both included and excluded", () => {
    expect(rules({ inclusions: [folder("/data")], exclusions: [folder("/data")] })).toContain("included-and-excluded");
  });
  it("rule 3: nothing included beneath an inclusion, nor beneath an exclusion", () => {
    expect(rules({ inclusions: [folder("/a"), file("/a/b")] })).toEqual(["nested-inclusion"]);
    expect(rules({ inclusions: [folder("/a"), folder("/a/x/y")], exclusions: [folder("/a/x")] })).toEqual(["nested-inclusion", "nested-inclusion"]);
    expect(rules({ inclusions: [folder("/ab"), folder("/a")] })).toEqual([]); // a prefix, not an ancestor
  });
  it("rule 4: nothing excluded beneath an exclusion", () => {
    expect(rules({ inclusions: [folder("/a")], exclusions: [folder("/a/b"), file("/a/b/c")] })).toEqual(["nested-exclusion"]);
  });
  it("rule 5: every exclusion lies beneath some inclusion (or one of the extra roots)", () => {
    expect(rules({ inclusions: [folder("/a")], exclusions: [folder("/b/c")] })).toEqual(["orphan-exclusion"]);
    expect(rules({ exclusions: [folder("/b/c")] }, ["/b"])).toEqual([]);
    expect(rules({ inclusions: [folder("/a")], exclusions: [folder("/a")] })).toContain("included-and-excluded");
  });
  it("rejects malformed entries with a clear problem, and validateSelection throws them all", () => {
    expect(rules({ inclusions: [{ type: "dir" as never, path: "/a" }, folder("relative"), folder("/a/../b"), folder("")] })).toEqual(["malformed", "malformed", "malformed", "malformed"]);
    try {
      validateSelection({ inclusions: [folder("/a"), folder("/a")], exclusions: [folder("/z")] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SelectionError);
      expect((error as SelectionError).problems.map((p) => p.rule)).toEqual(["duplicate", "orphan-exclusion"]);
    }
  });
});

describe("normalisation and roots", () => {
  it("normalises absolute paths lexically", () => {
    expect(normalizeAbsolute("/a//b/./c/", false)).toBe("/a/b/c");
    expect(normalizeAbsolute("/a/../b", false)).toBeNull();
    expect(normalizeAbsolute("/a/../b", true)).toBe("/b");
    expect(normalizeAbsolute("a/b", true)).toBeNull();
    expect(normalizeAbsolute("/", false)).toBe("/");
  });
  it("resolves relative paths against cwd, folds nested roots, keeps file-type inclusions", () => {
    const s = compileSelection({ paths: ["docs", "/srv/a", "/srv/a/b", "../etc"], selection: { inclusions: [file("/var/log/syslog"), folder("/srv/a/c")] } }, "/home/u");
    expect(s.roots).toEqual([
      { path: "/home/etc", type: "folder" },
      { path: "/home/u/docs", type: "folder" },
      { path: "/srv/a", type: "folder" },
      { path: "/var/log/syslog", type: "file" },
    ]);
  });
  it("throws SelectionError when nothing is selected or a pattern is bad", () => {
    expect(() => compileSelection({}, "/")).toThrow(SelectionError);
    expect(() => compileSelection({ paths: ["/a"], excludes: ["!keep"] }, "/")).toThrow(/negated/);
    expect(() => compileSelection({ paths: ["/a"], excludes: ["[abc"] }, "/")).toThrow(/unclosed/);
    expect(() => compileSelection({ paths: ["/a"], excludeIfPresent: ["a/b"] }, "/")).toThrow(SelectionError);
  });
  it("exclusions leave out the entry whatever its type; patterns record them first", () => {
    const s = compileSelection({ selection: { inclusions: [folder("/d")], exclusions: [file("/d/x"), folder("/d/[y]")] }, excludes: ["*.o"] }, "/");
    expect(s.isExcluded("/d/x", "x", true)).toBe(true);
    expect(s.isExcluded("/d/[y]", "[y]", true)).toBe(true);
    expect(s.isExcluded("/d/y", "y", true)).toBe(false);
    expect(s.isExcluded("/d/a.o", "a.o", false)).toBe(true);
    expect(s.patterns).toEqual(["/d/x", "/d/\\[y\\]", "*.o"]);
  });
});

describe("glob patterns", () => {
  const m = (pattern: string, path: string, isDir = false) => compileGlob(pattern).matches(fromText(path), fromText(path.slice(path.lastIndexOf("/") + 1)), isDir);
  it("a pattern without / matches names at any depth", () => {
    expect(m("*.tmp", "/a/b/c.tmp")).toBe(true);
    expect(m("*.tmp", "/a/b.tmp/c")).toBe(false);
    expect(m("node_modules", "/p/node_modules", true)).toBe(true);
    expect(m("?.c", "/x/ab.c")).toBe(false);
    expect(m("?.c", "/x/é.c")).toBe(true); // one character, two bytes
  });
  it("a leading / anchors at the root; * never crosses /", () => {
    expect(m("/home/*/.cache", "/home/u/.cache", true)).toBe(true);
    expect(m("/home/*/.cache", "/home/u/v/.cache", true)).toBe(false);
    expect(m("/home/*/.cache", "/x/home/u/.cache", true)).toBe(false);
  });
  it("other patterns match a trailing run of components", () => {
    expect(m("build/*.o", "/src/app/build/x.o")).toBe(true);
    expect(m("build/*.o", "/src/app/xbuild/x.o")).toBe(false);
  });
  it("** spans components; a trailing / means directories only", () => {
    expect(m("/a/**/z", "/a/z")).toBe(true);
    expect(m("/a/**/z", "/a/b/c/z")).toBe(true);
    expect(m("a/**", "/r/a/b/c")).toBe(true);
    expect(m("a/**", "/r/a")).toBe(false);
    expect(m("cache/", "/x/cache", true)).toBe(true);
    expect(m("cache/", "/x/cache", false)).toBe(false);
  });
  it("sets, negated sets and escapes", () => {
    expect(m("[a-c]x", "/d/bx")).toBe(true);
    expect(m("[!a-c]x", "/d/bx")).toBe(false);
    expect(m("[!a-c]x", "/d/zx")).toBe(true);
    expect(m("\\*", "/d/*")).toBe(true);
    expect(m("\\*", "/d/a")).toBe(false);
  });
  it("matches names that are not UTF-8", () => {
    const name = fromBytes(new Uint8Array([0x66, 0xff, 0x2e, 0x6f])); // "f\xff.o"
    expect(compileGlob("*.o").matches(`/d/${name}`, name, false)).toBe(true);
    expect(compileGlob("f?.o").matches(`/d/${name}`, name, false)).toBe(true);
  });
});

describe("marker rules", () => {
  it("keeps only the marker files of a tagged directory", () => {
    const sel = { markers: [fromText(".nobackup")] };
    expect(markerExcludes(["a", "b"], sel, false)).toBeNull();
    expect([...markerExcludes(["a", ".nobackup"], sel, false)!]).toEqual([".nobackup"]);
    expect([...markerExcludes(["CACHEDIR.TAG", "x"], sel, true)!]).toEqual(["CACHEDIR.TAG"]);
  });
});
