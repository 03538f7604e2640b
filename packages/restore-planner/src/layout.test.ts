// File layout (holes), fetch grouping, hard links, skipped entries.
import { describe, expect, it } from "vitest";
import { planRestore, type BlobSource } from "./index.js";
import { blob, dir, existing, existingLike, file, layout, special, symlink } from "../test/fixtures.js";
import type { BlobId } from "@cairn/manifest";

describe("file layout", () => {
  it("leaves holes out of the writes and counts them in the size", () => {
    const p = planRestore({ entries: [file("s", [{ kind: "hole", length: 4096 }, 1, { kind: "hole", length: 10 }, 2])], locate: layout() });
    expect(p.files[0]!.size).toBe(4096 + 100 + 10 + 100);
    expect(p.files[0]!.writes.map((w) => [w.offset, w.length])).toEqual([[4096, 100], [4206, 100]]);
    expect(p.totals).toMatchObject({ fileBytes: 4306, bytesToWrite: 200 });
  });

  it("plans empty and all-hole files with no writes", () => {
    const p = planRestore({ entries: [file("e"), file("h", [{ kind: "hole", length: 1 << 20 }])], locate: layout() });
    expect(p.files.map((f) => [f.path, f.size, f.writes.length])).toEqual([["e", 0, 0], ["h", 1 << 20, 0]]);
    expect(p.fetches).toEqual([]);
  });
});

describe("fetch grouping", () => {
  it("fetches a blob once for all its uses and merges neighbours of one pack", () => {
    const p = planRestore({ entries: [file("a", [1, 3, 1]), file("b", [3, 5])], locate: layout(2) });
    // Blobs 1, 3, 5 are all in pack p1 at offsets 40, 1040, 2040: one request.
    expect(p.fetches).toHaveLength(1);
    const r = p.fetches[0]!;
    expect([r.offset, r.length]).toEqual([40, 2116]);
    expect(r.blobs.map((x) => [x.id, x.uses])).toEqual([
      [blob(1), [[0, 0], [0, 2]]],
      [blob(3), [[0, 1], [1, 0]]],
      [blob(5), [[1, 1]]],
    ]);
    expect(p.totals).toMatchObject({ blobs: 3, blobWrites: 5, requests: 1, packs: 1, bytesToFetch: 2116 });
  });

  it("splits at large gaps and at the request size limit", () => {
    const entries = [file("a", [1, 3, 5])];
    expect(planRestore({ entries, locate: layout(2), options: { maxGapBytes: 883 } }).fetches.map((r) => r.blobs.length)).toEqual([1, 1, 1]);
    expect(planRestore({ entries, locate: layout(2), options: { maxGapBytes: 884 } }).fetches.map((r) => r.blobs.length)).toEqual([3]);
    expect(planRestore({ entries, locate: layout(2), options: { maxRequestBytes: 1116 } }).fetches.map((r) => r.blobs.length)).toEqual([2, 1]);
    // One blob larger than the limit is still one request.
    const big = (_: BlobId): BlobSource => ({ packId: "p", offset: 40, length: 1 << 24 });
    expect(planRestore({ entries: [file("a", [1])], locate: big, options: { maxRequestBytes: 1024 } }).fetches.map((r) => r.length)).toEqual([1 << 24]);
  });

  it("orders packs by the first file that needs them, so files complete in order", () => {
    // Blob 1 is in pack p1, blob 2 in p0, blob 3 in p1: "a" needs p1 first.
    const p = planRestore({ entries: [file("a", [1]), file("b", [2]), file("c", [3])], locate: layout(2) });
    expect(p.fetches.map((r) => [r.packId[1], r.blobs.map((x) => x.uses)])).toEqual([["1", [[[0, 0]], [[2, 0]]]], ["0", [[[1, 0]]]]]);
  });

  it("skips a file whose blob is not in the index, and nothing else", () => {
    const p = planRestore({ entries: [file("a", [1, 2]), file("b", [3])], locate: layout(2, [2]) });
    expect(p.files.map((f) => f.path)).toEqual(["b"]);
    expect(p.skipped).toEqual([{ path: "a", reason: "missing-blob", detail: `blob ${blob(2)} of the file is not in the repository's index` }]);
  });
});

describe("hard links", () => {
  const linked = { inode: 7n, deviceId: 1n, links: 3 };

  it("writes the first name and links the others when they agree", () => {
    const p = planRestore({ entries: [dir("d"), file("d/a", [1], linked), file("d/b", [1], linked), file("z", [1], linked)], locate: layout() });
    expect(p.files.map((f) => f.path)).toEqual(["d/a"]);
    expect(p.hardlinks).toEqual([
      { path: "d/b", action: "create", linkTo: "d/a" },
      { path: "z", action: "create", linkTo: "d/a" },
    ]);
    expect(p.totals.blobWrites).toBe(1);
  });

  it("restores names that claim one inode but disagree separately, with a warning", () => {
    const p = planRestore({ entries: [file("a", [1], linked), file("b", [2], linked), symlink("c", "x", linked)], locate: layout() });
    expect(p.hardlinks).toEqual([]);
    expect(p.files.map((f) => f.path)).toEqual(["a", "b"]);
    expect(p.warnings.map((w) => w.message)).toEqual([
      'shares inode 1:7 with "a" but its content differs: restored as a separate entry, not a hard link',
      'shares inode 1:7 with "a" but it is a symlink, the other name a file: restored as a separate entry, not a hard link',
    ]);
  });

  it("never links to a name it did not restore (never policy), and keeps links that already exist", () => {
    const a = file("a", [1], linked);
    const never = planRestore({ entries: [a, file("b", [1], linked)], inventory: [existing("a", "file", { size: 5n })], locate: layout(), options: { overwrite: "never" } });
    expect(never.files.map((f) => f.path)).toEqual(["b"]);
    expect(never.hardlinks).toEqual([]);
    const same = { inode: 99n, deviceId: 5n, links: 2 };
    const kept = planRestore({ entries: [a, file("b", [1], linked)], inventory: [existingLike(a, same), existingLike(file("b", [1]), same)], locate: layout() });
    expect(kept.files.map((f) => [f.path, f.action])).toEqual([["a", "keep"]]);
    expect(kept.hardlinks).toEqual([{ path: "b", action: "keep", linkTo: "a" }]);
  });
});

describe("special entries", () => {
  it("plans fifos and devices, skips sockets", () => {
    const p = planRestore({ entries: [special("f", "fifo"), special("c", "chardev"), special("s", "socket")], locate: layout() });
    expect(p.specials.map((s) => [s.path, s.type, s.rdevMajor, s.rdevMinor])).toEqual([["c", "chardev", 1, 3], ["f", "fifo", 0, 0]]);
    expect(p.skipped).toEqual([{ path: "s", reason: "socket", detail: "sockets are not restored (the program that listens on one creates it)" }]);
  });
});
