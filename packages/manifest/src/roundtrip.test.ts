// Laws of the codec, by property: decode(encode(x)) = x, and the same value always gives the
// same bytes (encoding twice, re-encoding a decoded value, or with object keys in any order).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { node, snapshot, tree } from "../test/arbitraries.js";
import { canon } from "../test/canon.js";
import { decodeSnapshot, decodeTree, encodeSnapshot, encodeTree, type Node, type Tree } from "./index.js";

const params = { seed: 0x5eed, numRuns: 500 };
/** Byte equality without vitest's element-by-element diffing (fast on large encodings). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => expect(Buffer.compare(a, b), "bytes differ").toBe(0);

/** A deep copy with every plain object's keys in reversed (or shuffled) order. */
function reorder<T>(value: T, rand: () => number): T {
  if (Array.isArray(value)) return value.map((v) => reorder(v, rand)) as T;
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  const keys = Object.keys(value).sort(() => rand() - 0.5).reverse();
  return Object.fromEntries(keys.map((k) => [k, reorder((value as Record<string, unknown>)[k], rand)])) as T;
}

describe("the generators", () => {
  it("cover what the laws must hold for (else the laws prove little)", () => {
    const nodes = fc.sample(node, { seed: params.seed, numRuns: 3000 });
    const seen = new Set(nodes.map((n) => n.type));
    expect([...seen].sort()).toEqual(["blockdev", "chardev", "dir", "fifo", "file", "socket", "symlink"]);
    const invalidUtf8 = (b: Uint8Array) => { try { new TextDecoder("utf-8", { fatal: true }).decode(b); return false; } catch { return true; } };
    expect(nodes.some((n) => invalidUtf8(n.name))).toBe(true);
    expect(nodes.some((n) => n.name.length >= 1000)).toBe(true);
    expect(nodes.some((n) => n.mtimeNs < 0n)).toBe(true);
    expect(nodes.some((n) => n.type === "file" && n.size > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
    expect(nodes.some((n) => n.type === "file" && n.content.some((e) => e.kind === "hole"))).toBe(true);
    expect(nodes.some((n) => n.type === "file" && n.content.filter((e) => e.kind === "hole").length > 1)).toBe(true);
    expect(nodes.some((n) => n.xattrs.some((x) => x.value.includes(0)))).toBe(true);
    expect(nodes.some((n) => n.xattrs.some((x) => x.value.length === 65536))).toBe(true);
    expect(nodes.some((n) => n.inode === 2n ** 64n - 1n)).toBe(true);
  });
});

describe("tree codec laws", () => {
  it("decode(encode(t)) deep-equals t, for every node type", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(canon(decodeTree(encodeTree(t)))).toEqual(canon(t));
      }),
      params,
    );
  });

  it("is deterministic: encode twice, and re-encode after decode, give identical bytes", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const a = encodeTree(t);
        sameBytes(encodeTree(t), a);
        sameBytes(encodeTree(decodeTree(a)), a);
      }),
      params,
    );
  });

  it("does not depend on the key order of input objects", () => {
    fc.assert(
      fc.property(tree, fc.integer(), (t, seed) => {
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        sameBytes(encodeTree(reorder(t, rand)), encodeTree(t));
      }),
      params,
    );
  });

  it("treats undefined optional fields like null", () => {
    fc.assert(
      fc.property(node, (n) => {
        const loose = { ...n, user: undefined, atimeNs: undefined, links: undefined } as unknown as Node;
        const strict = { ...n, user: null, atimeNs: null, links: null } as Node;
        sameBytes(encodeTree({ nodes: [loose] }), encodeTree({ nodes: [strict] }));
      }),
      { ...params, numRuns: 200 },
    );
  });

  it("different trees encode differently (no two values share bytes)", () => {
    fc.assert(
      fc.property(tree, tree, (a: Tree, b: Tree) => {
        const same = Buffer.from(encodeTree(a)).equals(Buffer.from(encodeTree(b)));
        if (same) expect(canon(a)).toEqual(canon(b));
      }),
      { ...params, numRuns: 300 },
    );
  });
});

describe("snapshot codec laws", () => {
  it("decode(encode(s)) deep-equals s", () => {
    fc.assert(
      fc.property(snapshot, (s) => {
        expect(canon(decodeSnapshot(encodeSnapshot(s)))).toEqual(canon(s));
      }),
      params,
    );
  });

  it("is deterministic and independent of key order", () => {
    fc.assert(
      fc.property(snapshot, fc.integer(), (s, seed) => {
        let x = seed;
        const rand = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        const a = encodeSnapshot(s);
        sameBytes(encodeSnapshot(s), a);
        sameBytes(encodeSnapshot(decodeSnapshot(a)), a);
        sameBytes(encodeSnapshot(reorder(s, rand)), a);
      }),
      params,
    );
  });
});
