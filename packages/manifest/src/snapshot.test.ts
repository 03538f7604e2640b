// Snapshots: explicit rejections with precise messages, in both directions.
import { describe, expect, it } from "vitest";
import * as c from "../test/cbor.js";
import { ManifestError, completedWithErrors, decodeSnapshot, encodeSnapshot, parseSnapshotId, parseTreeId, type Snapshot } from "./index.js";

const u = c.utf8;
const ID = "cd".repeat(32);
const stats = { filesNew: 1, filesChanged: 2, filesUnmodified: 3, dirsNew: 4, dirsChanged: 5, dirsUnmodified: 6, dataBlobsAdded: 7, treeBlobsAdded: 8, bytesAdded: 9n, bytesAddedStored: 10n, filesProcessed: 11, bytesProcessed: 12n };
const base: Snapshot = {
  timeNs: 1_700_000_000_000_000_000n, host: "db-1", agentId: null, configurationId: null, paths: [u("/srv/data")], tags: [],
  parent: null, tree: parseTreeId(ID), excludes: [], programVersion: "cairn 0.1.0", stats, errorCount: 0, errors: [],
};

/** Hand-built fields of `base`, from FORMAT.md §7.6. */
const fields = (): [number, c.Item][] => [
  [0, c.int(base.timeNs)],
  [1, c.text("db-1")],
  [4, c.array([c.bytes(u("/srv/data"))])],
  [7, c.bytes(c.unhex(ID))],
  [9, c.text("cairn 0.1.0")],
  [10, c.map(Object.values(stats).map((v, i) => [i, c.uint(v)] as [number, c.Item]))],
  [11, c.uint(0)],
];
const withField = (key: number, value: c.Item) => [...fields().filter(([k]) => k !== key), [key, value] as [number, c.Item]].sort((a, b) => a[0] - b[0]);
const without = (key: number) => fields().filter(([k]) => k !== key);
const bytesOf = (f: [number, c.Item][]) => c.snapshot(c.map(f));

function decodeError(input: Uint8Array): ManifestError {
  try {
    decodeSnapshot(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error("decodeSnapshot accepted the input");
}
function encodeError(s: Snapshot): ManifestError {
  try {
    encodeSnapshot(s);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error("encodeSnapshot accepted the snapshot");
}

describe("snapshots", () => {
  it("the hand-built bytes decode to the value, and the value encodes to those bytes", () => {
    expect(decodeSnapshot(bytesOf(fields()))).toEqual(base);
    expect(c.hex(encodeSnapshot(base))).toBe(c.hex(bytesOf(fields())));
  });

  it("completedWithErrors follows errorCount", () => {
    expect(completedWithErrors(base)).toBe(false);
    const s = { ...base, errorCount: 2, errors: [{ path: u("/srv/data/locked"), message: "EACCES: permission denied" }] };
    expect(completedWithErrors(decodeSnapshot(encodeSnapshot(s)))).toBe(true);
  });

  it.each([
    ["relative", "srv", 'snapshot.paths[0]: an absolute path must start with "/"'],
    ["dot-dot", "/srv/../etc", 'snapshot.paths[0]: a normalised absolute path must not contain a ".." component (byte 5)'],
    ["dot", "/srv/./x", 'snapshot.paths[0]: a normalised absolute path must not contain a "." component (byte 5)'],
    ["double slash", "/srv//x", "snapshot.paths[0]: a normalised absolute path must not contain an empty component (byte 5)"],
    ["trailing slash", "/srv/", "snapshot.paths[0]: a normalised absolute path must not contain an empty component (byte 5)"],
    ["NUL", "/srv\0", "snapshot.paths[0]: a normalised absolute path must not contain a NUL byte (byte 4)"],
  ])("rejects a %s path in both directions", (_, path, message) => {
    const e = encodeError({ ...base, paths: [u(path)] });
    expect([e.code, e.message]).toEqual(["unsafe-path", message]);
    const d = decodeError(bytesOf(withField(4, c.array([c.bytes(u(path))]))));
    expect([d.code, d.message]).toEqual(["unsafe-path", `${message} (at byte 24)`]);
  });

  it("rejects unsorted, duplicate or no paths", () => {
    expect(encodeError({ ...base, paths: [u("/b"), u("/a")] }).message).toBe("snapshot.paths[1]: paths must be in ascending byte order, but paths[1] sorts before paths[0]");
    expect(encodeError({ ...base, paths: [u("/a"), u("/a")] }).message).toBe("snapshot.paths[1]: paths[1] repeats paths[0]");
    expect(encodeError({ ...base, paths: [] }).message).toBe("snapshot.paths: a snapshot must list at least one path");
    expect(decodeError(bytesOf(withField(4, c.array([c.bytes(u("/b")), c.bytes(u("/a"))])))).message).toBe(
      "snapshot.paths[1]: paths must be in ascending byte order, but paths[1] sorts before paths[0] (at byte 27)",
    );
    expect(decodeError(bytesOf(without(4))).message).toBe("snapshot.paths: required field 4 (paths) is missing (at byte 5)");
    expect(decodeError(bytesOf(withField(4, c.array([])))).message).toBe("snapshot.paths: a snapshot must list at least one path (at byte 23)");
  });

  it("rejects unsorted or duplicate tags, and more listed errors than counted", () => {
    expect(encodeError({ ...base, tags: ["b", "a"] }).message).toBe("snapshot.tags[1]: tags must be in ascending order of their UTF-8 bytes, but this one sorts before tags[0]");
    expect(encodeError({ ...base, tags: ["a", "a"] }).message).toBe("snapshot.tags[1]: repeats tags[0]");
    // UTF-8 byte order, not UTF-16: U+FF5E (ef bd 9e) sorts before U+1F600 (f0 9f 98 80), though its UTF-16 unit is larger.
    expect(encodeSnapshot({ ...base, tags: ["～", "😀"] })).toBeInstanceOf(Uint8Array);
    expect(encodeError({ ...base, tags: ["😀", "～"] }).code).toBe("unsorted");
    expect(decodeError(bytesOf(withField(5, c.array([c.text("b"), c.text("a")])))).message).toBe(
      "snapshot.tags[1]: tags must be in ascending order of their UTF-8 bytes, but this one sorts before tags[0] (at byte 38)",
    );
    const errors = [{ path: u("/x"), message: "EIO" }];
    expect(encodeError({ ...base, errors }).message).toBe("snapshot.errors: 1 errors are listed but errorCount is 0");
    expect(encodeError({ ...base, errorCount: 1, errors: [{ path: u("x"), message: "EIO" }] }).message).toBe('snapshot.errors[0].path: an absolute path must start with "/"');
  });

  it("rejects missing required fields, unknown even fields, trailing bytes and unknown versions", () => {
    expect(decodeError(bytesOf(without(7))).message).toBe("snapshot.tree: required field 7 (tree) is missing (at byte 5)");
    const statsMissing = withField(10, c.map([[0, c.uint(1)]]));
    expect(decodeError(bytesOf(statsMissing)).message).toBe("snapshot.stats.filesChanged: required field 1 (filesChanged) is missing (at byte 83)");
    expect(decodeError(bytesOf(withField(14, c.uint(0)))).message).toBe(
      "snapshot: unknown field 14, which an even key marks as required: written by a newer Cairn that this reader cannot safely ignore (at byte 110)",
    );
    const seen: string[] = [];
    expect(decodeSnapshot(bytesOf(withField(13, c.text("future"))), { onUnknownField: (f) => seen.push(f) })).toEqual(base);
    expect(seen).toEqual(["snapshot.13"]);
    const good = bytesOf(fields());
    expect(decodeError(c.concat([good, Uint8Array.of(1, 2)])).message).toBe(`snapshot: 2 bytes follow the end of the snapshot (at byte ${good.length})`);
    const v9 = good.slice();
    v9[4] = 9;
    expect(decodeError(v9).message).toBe("snapshot header: format version 9 is newer than this reader, which reads version 1 only; upgrade Cairn to read it (at byte 4)");
    for (let n = 0; n < good.length; n++) expect(decodeError(good.subarray(0, n)).code).toBe("truncated");
  });

  it("rejects bad IDs, empty text and invalid UTF-8", () => {
    expect(decodeError(bytesOf(withField(6, c.bytes([1, 2, 3])))).message).toBe("snapshot.parent: an ID must be 32 bytes, got 3 (at byte 35)");
    expect(decodeError(bytesOf(withField(1, c.text("")))).message).toBe("snapshot.host: text must not be empty (at byte 17)");
    expect(decodeError(bytesOf(withField(1, Uint8Array.of(0x62, 0xc3, 0x28)))).message).toBe("snapshot.host: text is not valid UTF-8 (at byte 17)");
    expect(encodeError({ ...base, host: "" }).message).toBe("snapshot.host: text must not be empty");
    expect(encodeError({ ...base, host: "\ud800" }).message).toBe("snapshot.host: the string has a lone UTF-16 surrogate, which has no UTF-8 form");
    expect(() => encodeSnapshot({ ...base, parent: "nope" as never })).toThrow('snapshot.parent: expected 64 lowercase hex digits, got "nope" (4 characters)');
    expect(decodeSnapshot(encodeSnapshot({ ...base, parent: parseSnapshotId(ID) })).parent).toBe(ID);
  });
});
