import { describe, expect, it } from "vitest";
import { planRestore } from "./index.js";
import { dir, file, layout, symlink } from "../test/fixtures.js";

describe("planRestore: a fresh target", () => {
  it("creates directories parents first, files with their writes, and metadata deepest first", () => {
    const plan = planRestore({
      entries: [file("a/b/f", [1, 2]), dir("a"), dir("a/b"), symlink("a/l", "../x")],
      locate: layout(),
    });
    expect(plan.directories.map((d) => [d.path, d.action])).toEqual([["a", "create"], ["a/b", "create"]]);
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]!.writes.map((w) => [w.offset, w.length, w.source])).toEqual([[0, 100, "pack"], [100, 100, "pack"]]);
    expect(plan.symlinks[0]!.target).toBe("../x");
    expect(plan.metadataOrder).toEqual([{ list: "files", index: 0 }, { list: "symlinks", index: 0 }, { list: "directories", index: 1 }, { list: "directories", index: 0 }]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});
