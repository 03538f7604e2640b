// Selection patterns, the subtree option and --delete scoping.
import { describe, expect, it } from "vitest";
import { compileSelection, planRestore, RestorePlanError } from "./index.js";
import { b, dir, existing, file, layout } from "../test/fixtures.js";

const names = (p: string) => p.split("/").filter(Boolean).map(b);

describe("compileSelection", () => {
  it("anchors absolute patterns and lets relative ones match at any depth, covering what is below", () => {
    const m = compileSelection({ include: ["/home/alice"], exclude: ["*.tmp", "cache"] });
    expect(m.selects(names("/home/alice/notes.txt"))).toBe(true);
    expect(m.selects(names("/home/alice"))).toBe(true);
    expect(m.selects(names("/home/bob/x"))).toBe(false);
    expect(m.selects(names("/home"))).toBe(false);
    expect(m.mayDescend(names("/home"))).toBe(true);
    expect(m.mayDescend(names("/etc"))).toBe(false);
    expect(m.selects(names("/home/alice/a.tmp"))).toBe(false);
    expect(m.selects(names("/home/alice/cache/x"))).toBe(false);
    expect(m.mayDescend(names("/home/alice/cache"))).toBe(false);
  });

  it("supports ?, classes, negated classes, ** and escapes", () => {
    const sel = (p: string, path: string) => compileSelection({ include: [p] }).selects(names(path));
    expect(sel("/a/?.txt", "/a/x.txt")).toBe(true);
    expect(sel("/a/?.txt", "/a/xy.txt")).toBe(false);
    expect(sel("/a/[0-9]*", "/a/7up")).toBe(true);
    expect(sel("/a/[!0-9]*", "/a/7up")).toBe(false);
    expect(sel("/a/**/z", "/a/z")).toBe(true);
    expect(sel("/a/**/z", "/a/b/c/z")).toBe(true);
    expect(sel("/a/**/z", "/a/b/c/y")).toBe(false);
    expect(sel("/a/\\*", "/a/*")).toBe(true);
    expect(sel("/a/\\*", "/a/b")).toBe(false);
    expect(sel("/é", "/é/x")).toBe(true);
    expect(sel("/?", "/é")).toBe(true);
  });

  it("matches raw non-UTF-8 bytes with \\xHH", () => {
    const m = compileSelection({ include: ["/caf\\xe9"] });
    expect(m.selects([Uint8Array.of(0x63, 0x61, 0x66, 0xe9)])).toBe(true);
    expect(m.selects([b("café")])).toBe(false);
    expect(compileSelection({ include: ["/caf?"] }).selects([Uint8Array.of(0x63, 0x61, 0x66, 0xe9)])).toBe(true);
  });

  it("rejects malformed patterns with a precise error", () => {
    expect(() => compileSelection({ include: ["/a/[b"] })).toThrow(new RestorePlanError("bad-option", 'pattern "/a/[b": has a "[" without a closing "]"'));
    expect(() => compileSelection({ exclude: [""] })).toThrow("a pattern must not be empty");
    expect(() => compileSelection({ exclude: ["a\\"] })).toThrow("ends with a lone \\");
    expect(() => compileSelection({ exclude: ["[z-a]"] })).toThrow("class range whose end comes before its start");
  });
});

describe("planRestore with a selection", () => {
  const entries = [dir("home"), dir("home/alice"), file("home/alice/a.txt", [1]), file("home/alice/b.tmp", [2]), dir("home/bob"), file("home/bob/c.txt", [3]), dir("etc"), file("etc/passwd", [4])];

  it("restores included entries and the directories leading to them", () => {
    const p = planRestore({ entries, locate: layout(), options: { selection: { include: ["/home/alice"], exclude: ["*.tmp"] } } });
    expect(p.directories.map((d) => d.path)).toEqual(["home", "home/alice"]);
    expect(p.files.map((f) => f.path)).toEqual(["home/alice/a.txt"]);
  });

  it("lands a subtree's contents directly in the target", () => {
    const p = planRestore({ entries, locate: layout(), options: { subtree: "/home", selection: { include: ["/home/bob"] } } });
    expect(p.directories.map((d) => d.path)).toEqual(["bob"]);
    expect(p.files.map((f) => f.path)).toEqual(["bob/c.txt"]);
    expect(() => planRestore({ entries, locate: layout(), options: { subtree: "/etc/passwd" } })).toThrow('"etc/passwd": the subtree to restore is a file, not a directory');
    expect(() => planRestore({ entries, locate: layout(), options: { subtree: "home" } })).toThrow("subtree must be a normalised absolute snapshot path");
  });

  it("deletes only selected extraneous entries, deepest first, never below a directory it does not merge into", () => {
    const inventory = [
      existing("home", "dir"),
      existing("home/alice", "dir"),
      existing("home/alice/old", "dir"),
      existing("home/alice/old/x", "file"),
      existing("home/alice/keep.tmp", "file"),
      existing("home/carol", "dir"),
      existing("home/carol/y", "file"),
      existing("etc", "dir"),
      existing("etc/shadow", "file"),
    ];
    const p = planRestore({ entries, inventory, locate: layout(), options: { delete: true, selection: { include: ["/home"], exclude: ["*.tmp"] } } });
    expect(p.removals).toEqual([
      { path: "home/carol/y", type: "file", reason: "extraneous" },
      { path: "home/carol", type: "dir", reason: "extraneous" },
      { path: "home/alice/old/x", type: "file", reason: "extraneous" },
      { path: "home/alice/old", type: "dir", reason: "extraneous" },
    ]);
    const none = planRestore({ entries, inventory, locate: layout(), options: { selection: { include: ["/home"] } } });
    expect(none.removals).toEqual([]);
  });

  it("with delete and a subtree, matches the inventory against snapshot paths", () => {
    const p = planRestore({ entries, inventory: [existing("alice", "dir"), existing("alice/z", "file"), existing("bob", "dir")], locate: layout(), options: { subtree: "/home", delete: true, selection: { exclude: ["/home/bob"] } } });
    expect(p.removals).toEqual([{ path: "alice/z", type: "file", reason: "extraneous" }]);
  });
});
