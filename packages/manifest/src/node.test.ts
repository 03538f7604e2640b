// Node helpers: hard-link groups, canonical holes, content length.
import { describe, expect, it } from "vitest";
import { contentLength, decodeTree, encodeTree, hardlinkKey, holeEntries, LIMITS, parseBlobId, parseTreeId, type Node } from "./index.js";

const base = {
  name: new TextEncoder().encode("f"), mode: 0o644, uid: 0, gid: 0, user: null, group: null, mtimeNs: 0n, ctimeNs: 0n,
  atimeNs: null, inode: 42n, deviceId: 7n, links: 2, xattrs: [],
};
const file = { ...base, type: "file", size: 0n, content: [] } as Node;

describe("hardlinkKey", () => {
  it("groups names of one multiply-linked inode, and nothing else", () => {
    expect(hardlinkKey(file)).toBe("7:42");
    expect(hardlinkKey({ ...base, type: "symlink", linkTarget: Uint8Array.of(0x61) })).toBe("7:42");
    expect(hardlinkKey({ ...file, links: 1 })).toBeNull();
    expect(hardlinkKey({ ...file, links: null })).toBeNull();
    expect(hardlinkKey({ ...file, inode: null })).toBeNull();
    expect(hardlinkKey({ ...base, type: "dir", subtree: parseTreeId("00".repeat(32)) })).toBeNull();
  });

  it("every name of a hard-linked file keeps its full content (no path references)", () => {
    const content = [{ kind: "data", id: parseBlobId("ab".repeat(32)), length: 3 }] as const;
    const a = { ...file, name: new TextEncoder().encode("a"), size: 3n, content } as Node;
    const b = { ...a, name: new TextEncoder().encode("b") } as Node;
    const t = decodeTree(encodeTree({ nodes: [a, b] }));
    expect(t.nodes.map(hardlinkKey)).toEqual(["7:42", "7:42"]);
    expect(t.nodes.map((n) => n.type === "file" && n.content.length)).toEqual([1, 1]);
  });
});

describe("holeEntries", () => {
  it("splits only at the maximum hole length, so the list is canonical", () => {
    const max = LIMITS.maxHoleLength;
    expect(holeEntries(0n)).toEqual([]);
    expect(holeEntries(5n)).toEqual([{ kind: "hole", length: 5 }]);
    expect(holeEntries(BigInt(max) * 2n + 1n)).toEqual([{ kind: "hole", length: max }, { kind: "hole", length: max }, { kind: "hole", length: 1 }]);
    expect(contentLength(holeEntries(1n << 62n))).toBe(1n << 62n);
    expect(() => holeEntries(-1n)).toThrow(RangeError);
  });

  it("a sparse file of the largest size round-trips", () => {
    const size = (1n << 63n) - 1n;
    const big = { ...file, size, content: holeEntries(size) } as Node;
    expect(decodeTree(encodeTree({ nodes: [big] })).nodes[0]).toMatchObject({ size, content: holeEntries(size) });
  });
});
