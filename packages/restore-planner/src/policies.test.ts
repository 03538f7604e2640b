// Overwrite policies and type conflicts, against hand-written target inventories.
import { describe, expect, it } from "vitest";
import { planRestore, type TargetEntry } from "./index.js";
import { dir, existing, existingLike, file, layout, special, symlink } from "../test/fixtures.js";

const plan = (entries: Parameters<typeof planRestore>[0]["entries"], inventory: TargetEntry[], overwrite: "never" | "if-changed" | "always", extra = {}) =>
  planRestore({ entries, inventory, locate: layout(), options: { overwrite, ...extra } });

describe("overwrite never", () => {
  it("skips what exists, merges into existing directories without touching their metadata", () => {
    const f = file("d/f", [1]);
    const p = plan([dir("d"), f, file("d/new", [2])], [existing("d", "dir", { mode: 0o700 }), existingLike(f, { size: 5n })], "never");
    expect(p.directories).toEqual([expect.objectContaining({ path: "d", action: "existing", applyMetadata: false })]);
    expect(p.files.map((x) => [x.path, x.action])).toEqual([["d/new", "create"]]);
    expect(p.skipped).toEqual([{ path: "d/f", reason: "exists", detail: 'a file is already there (overwrite policy "never")' }]);
    expect(p.metadataOrder).toEqual([{ list: "files", index: 0 }]);
  });

  it("skips a directory whose place is taken, with everything below it", () => {
    const p = plan([dir("d"), file("d/a", [1]), dir("d/e"), file("d/e/b", [2])], [existing("d", "symlink", { linkTarget: new TextEncoder().encode("/etc") })], "never");
    expect(p.files).toEqual([]);
    expect(p.directories).toEqual([]);
    expect(p.skipped).toEqual([{ path: "d", reason: "exists", detail: 'a symlink is in the way of the directory (overwrite policy "never"); nothing below it is restored (3 entries below it skipped too)' }]);
    expect(p.fetches).toEqual([]);
  });
});

describe("overwrite if-changed", () => {
  const f = file("f", [1, 2]);

  it("keeps a file with the same size and mtime (quick check) and the same metadata", () => {
    const p = plan([f], [existingLike(f)], "if-changed");
    expect(p.files.map((x) => x.action)).toEqual(["keep"]);
    expect(p.metadataOrder).toEqual([]);
    expect(p.fetches).toEqual([]);
    expect(p.totals.unchanged).toBe(1);
  });

  it("applies metadata in place when only metadata differs", () => {
    const p = plan([f], [existingLike(f, { mode: 0o600 })], "if-changed");
    expect(p.files.map((x) => [x.action, x.writes.length])).toEqual([["metadata", 0]]);
    expect(p.metadataOrder).toEqual([{ list: "files", index: 0 }]);
  });

  it("replaces instead of changing metadata of an inode with other names (maybe outside the target)", () => {
    const p = plan([f], [existingLike(f, { mode: 0o600, links: 2 })], "if-changed");
    expect(p.files.map((x) => x.action)).toEqual(["replace"]);
    expect(p.totals.bytesToWrite).toBe(200);
  });

  it("replaces a file whose size or mtime differs", () => {
    expect(plan([f], [existingLike(f, { size: 199n })], "if-changed").files[0]!.action).toBe("replace");
    expect(plan([f], [existingLike(f, { mtimeNs: 1n })], "if-changed").files[0]!.action).toBe("replace");
  });

  it("compares times at the executor's resolution", () => {
    const off = existingLike(f, { mtimeNs: 1_700_000_000_123_456_000n });
    expect(plan([f], [off], "if-changed").files[0]!.action).toBe("replace");
    expect(plan([f], [off], "if-changed", { timeResolutionNs: 1000 }).files[0]!.action).toBe("keep");
  });

  it("ignores owners when they are not restored", () => {
    const other = existingLike(f, { uid: 0, gid: 0 });
    expect(plan([f], [other], "if-changed").files[0]!.action).toBe("metadata");
    expect(plan([f], [other], "if-changed", { restoreOwners: false }).files[0]!.action).toBe("keep");
  });

  it("with content matches, decides by content and copies the matching ranges locally", () => {
    const stale = existingLike(f, { contentMatches: [true, false] });
    const p = plan([f], [stale], "if-changed");
    expect(p.files[0]!.action).toBe("replace");
    expect(p.files[0]!.writes.map((w) => w.source)).toEqual(["local", "pack"]);
    expect(p.fetches.flatMap((r) => r.blobs.map((x) => x.uses))).toEqual([[[0, 1]]]);
    expect(p.totals.bytesFromLocal).toBe(100);
    // All ranges match: kept even though the mtime differs (content decides, metadata is re-applied).
    expect(plan([f], [existingLike(f, { mtimeNs: 5n, contentMatches: [true, true] })], "if-changed").files[0]!.action).toBe("metadata");
  });

  it("keeps symlinks with the same target and specials with the same device numbers", () => {
    const l = symlink("l", "t");
    const c = special("c", "chardev");
    const p = plan([l, c], [existingLike(l), existing("c", "chardev", { rdevMajor: 1, rdevMinor: 3 })], "if-changed");
    expect(p.symlinks[0]!.action).toBe("keep");
    expect(p.specials[0]!.action).toBe("keep");
    const q = plan([l, c], [existingLike(l, { linkTarget: new TextEncoder().encode("u") }), existing("c", "chardev", { rdevMajor: 1, rdevMinor: 5 })], "if-changed");
    expect(q.symlinks[0]!.action).toBe("replace");
    expect(q.specials[0]!.action).toBe("replace");
  });
});

describe("overwrite always", () => {
  it("replaces matching files too, still merging into directories", () => {
    const f = file("d/f", [1]);
    const p = plan([dir("d"), f], [existing("d", "dir"), existingLike(f)], "always");
    expect(p.directories[0]!.action).toBe("existing");
    expect(p.directories[0]!.applyMetadata).toBe(true);
    expect(p.files[0]!.action).toBe("replace");
  });
});

describe("type conflicts", () => {
  it("removes a directory in the way of a file first", () => {
    const p = plan([file("x", [1])], [existing("x", "dir"), existing("x/inner", "file")], "if-changed");
    expect(p.removals).toEqual([{ path: "x", type: "dir", reason: "replace" }]);
    expect(p.files[0]!.action).toBe("replace");
  });

  it("replaces a symlink in the way of a directory and ignores what the inventory says lies below it", () => {
    const p = plan(
      [dir("d"), file("d/f", [1])],
      [existing("d", "symlink", { linkTarget: new TextEncoder().encode("/etc") }), existing("d/f", "file", { size: 100n })],
      "if-changed",
      { delete: true },
    );
    expect(p.removals).toEqual([{ path: "d", type: "symlink", reason: "replace" }]);
    expect(p.directories).toEqual([expect.objectContaining({ path: "d", action: "create" })]);
    expect(p.files).toEqual([expect.objectContaining({ path: "d/f", action: "create" })]);
  });

  it("renames over a symlink in the way of a file (no removal needed)", () => {
    const p = plan([file("f", [1])], [existing("f", "symlink", { linkTarget: new TextEncoder().encode("/etc/passwd") })], "always");
    expect(p.removals).toEqual([]);
    expect(p.files[0]!.action).toBe("replace");
  });
});
