// Hostile and contradictory input: every unsafe name or structure is refused with a precise
// error before anything is planned.
import { describe, expect, it } from "vitest";
import { planRestore, RestorePlanError, type SnapshotEntry } from "./index.js";
import { b, dir, existing, file, layout, symlink } from "../test/fixtures.js";

const attempt = (entries: SnapshotEntry[], inventory = [] as ReturnType<typeof existing>[]) => () => planRestore({ entries, inventory, locate: layout() });
const raw = (path: Uint8Array, name: Uint8Array): SnapshotEntry => ({ path, node: { ...file("x", [1]).node, name } });

describe("unsafe names", () => {
  it.each([
    ["a ..", b(".."), b(".."), 'has a ".." component at byte 0'],
    ["a .. inside", b("d/../x"), b("x"), 'has a ".." component at byte 2'],
    ["a .", b("./x"), b("x"), 'has a "." component at byte 0'],
    ["a leading slash", b("/etc/passwd"), b("passwd"), "has an empty name"],
    ["a doubled slash", b("a//b"), b("b"), "has an empty name"],
    ["a trailing slash", b("a/"), b("a"), "has an empty name"],
    ["a NUL", b("a\0b"), b("a\0b"), "has a NUL byte at byte 0"],
  ])("refuses a path with %s", (_, path, name, message) => {
    const run = attempt([raw(path, name)]);
    expect(run).toThrow(RestorePlanError);
    expect(run).toThrow(message);
  });

  it("refuses a node name with a slash even when the path looks fine", () => {
    expect(attempt([raw(b("x"), b("../x"))])).toThrow('"x": the node\'s name is unsafe: a "/" inside a name');
    expect(attempt([raw(b("x"), b("y"))])).toThrow('"x": the path does not end in the node\'s name "y"');
    expect(attempt([raw(b("a"), new Uint8Array(1025).fill(0x61))])).toThrow('"a": the node\'s name is unsafe: a name longer than 1024 bytes');
  });

  it("refuses an empty path and an empty name", () => {
    expect(attempt([raw(new Uint8Array(0), b("x"))])).toThrow("an entry's path must not be empty");
    expect(attempt([raw(b("x"), new Uint8Array(0))])).toThrow('"x": the node\'s name is unsafe: an empty name');
  });

  it("refuses unsafe inventory paths", () => {
    expect(attempt([], [existing("../etc", "dir")])).toThrow('"../etc": an inventory path has a ".." component at byte 0');
  });
});

describe("contradictory structure", () => {
  it("refuses an entry below a symlink (a symlink followed by a file under the same name)", () => {
    const run = attempt([symlink("a", "/etc"), file("a/passwd", [1])]);
    expect(run).toThrow(new RestorePlanError("bad-parent", 'its parent "a" is a symlink: restoring it would write through the link', "a/passwd"));
  });

  it("refuses an entry below a file, an orphan, and a duplicate", () => {
    expect(attempt([file("a", [1]), file("a/b", [2])])).toThrow('"a/b": its parent "a" is a file, not a directory');
    expect(attempt([file("a/b", [2])])).toThrow('"a/b": its parent "a" is not among the entries');
    expect(attempt([dir("a"), symlink("a", "x")])).toThrow('"a": the path is listed twice');
    expect(attempt([dir("a")], [existing("a", "dir"), existing("a", "file")])).toThrow('"a": the inventory lists the path twice');
  });

  it("refuses a file whose size is not the sum of its content", () => {
    const f = file("a", [1]);
    expect(attempt([{ ...f, node: { ...f.node, size: 5n } as typeof f.node }])).toThrow('"a": the file\'s size 5 is not the sum of its content lengths');
  });

  it("refuses bad options", () => {
    expect(() => planRestore({ entries: [], locate: layout(), options: { overwrite: "sometimes" as never } })).toThrow('overwrite must be one of never, if-changed, always, got "sometimes"');
    expect(() => planRestore({ entries: [], locate: layout(), options: { maxRequestBytes: 0 } })).toThrow("maxRequestBytes must be an integer >= 1, got 0");
  });
});
