// Trees: explicit rejections (each with its precise message and offset), in both directions,
// plus the builders. Bytes are crafted with test/cbor.ts, written from FORMAT.md alone.
import { describe, expect, it } from "vitest";
import * as c from "../test/cbor.js";
import {
  ManifestError,
  createTree,
  decodeTree,
  encodeTree,
  findNode,
  holeEntries,
  parseBlobId,
  parseTreeId,
  type Node,
  type Tree,
} from "./index.js";

const u = c.utf8;
/** Bytes of a tree whose only node has the given fields. */
const oneNode = (fields: [number, c.Item][]) => c.tree(c.map([[0, c.array([c.map(fields)])]]));
const nodesOf = (...nodes: [number, c.Item][][]) => c.tree(c.map([[0, c.array(nodes.map((f) => c.map(f)))]]));
const withField = (key: number, value: c.Item, name = "a") => [...c.fifoFields(name), [key, value] as [number, c.Item]].sort((x, y) => x[0] - y[0]);
const replace = (fields: [number, c.Item][], key: number, value: c.Item) => fields.map(([k, v]) => [k, k === key ? value : v] as [number, c.Item]);

function decodeError(input: Uint8Array): ManifestError {
  try {
    decodeTree(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error("decodeTree accepted the input");
}
function encodeError(tree: Tree): ManifestError {
  try {
    encodeTree(tree);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return e as ManifestError;
  }
  throw new Error("encodeTree accepted the tree");
}

const fifo = (name: string | Uint8Array, extra: Partial<Node> = {}): Node =>
  ({
    name: typeof name === "string" ? u(name) : name, type: "fifo", mode: 0o644, uid: 1000, gid: 1000, user: null, group: null,
    mtimeNs: 0n, ctimeNs: 0n, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [], ...extra,
  }) as Node;
const ID = "ab".repeat(32);

describe("decodeTree accepts", () => {
  it("the minimal hand-built tree", () => {
    expect(decodeTree(oneNode(c.fifoFields("a"))).nodes[0]).toEqual(fifo("a"));
    expect(decodeTree(c.tree(c.map([])))).toEqual({ nodes: [] });
  });

  it("skips an ignorable (odd) unknown field and reports it", () => {
    const seen: string[] = [];
    const t = decodeTree(oneNode(withField(21, c.map([[1, c.array([c.text("x"), c.int(-5n)])]]))), { onUnknownField: (f) => seen.push(f) });
    expect(t.nodes[0]).toEqual(fifo("a"));
    expect(seen).toEqual(["tree.nodes[0].21"]);
  });
});

describe("decodeTree rejects, with field and offset", () => {
  // Offsets: header 0..4, tree map 5, key 6, node array 7, node map 8, key 0 at 9, name at 10.
  it.each([
    ["..", 'tree.nodes[0].name: a name must not be ".." (at byte 10)'],
    [".", 'tree.nodes[0].name: a name must not be "." (at byte 10)'],
    ["", "tree.nodes[0].name: a name must not be empty (at byte 10)"],
    ["a/b", 'tree.nodes[0].name: a name must not contain "/" (byte 1 of the name) (at byte 10)'],
    ["/", 'tree.nodes[0].name: a name must not contain "/" (byte 0 of the name) (at byte 10)'],
    ["a\0b", "tree.nodes[0].name: a name must not contain a NUL byte (byte 1 of the name) (at byte 10)"],
    ["x".repeat(1025), "tree.nodes[0].name: a name must be at most 1024 bytes, got 1025 (at byte 10)"],
  ])("an unsafe name %j", (name, message) => {
    const e = decodeError(oneNode(c.fifoFields(name)));
    expect(e.code).toBe("unsafe-name");
    expect(e.message).toBe(message);
  });

  it("names out of order, and duplicate names", () => {
    const unsorted = decodeError(nodesOf(c.fifoFields("b"), c.fifoFields("a")));
    expect(unsorted.code).toBe("unsorted");
    expect(unsorted.message).toBe("tree.nodes[1].name: nodes must be in ascending byte order of name, but this one sorts before nodes[0] (at byte 30)");
    const dup = decodeError(nodesOf(c.fifoFields("a"), c.fifoFields("a")));
    expect(dup.code).toBe("duplicate");
    expect(dup.message).toBe("tree.nodes[1].name: repeats the name of nodes[0] (at byte 30)");
    // Bytewise order: "B" (0x42) < "a" (0x61) < "ab" < 0xff, whatever a locale would say.
    expect(decodeTree(nodesOf(c.fifoFields("B"), c.fifoFields("a"), c.fifoFields("ab"), c.fifoFields(Uint8Array.of(0xff)))).nodes).toHaveLength(4);
  });

  it("trailing bytes", () => {
    const good = oneNode(c.fifoFields("a"));
    expect(decodeError(c.concat([good, Uint8Array.of(0)])).message).toBe(`tree: 1 byte follows the end of the tree (at byte ${good.length})`);
    expect(decodeError(c.concat([good, Uint8Array.of(0, 0)])).code).toBe("trailing-bytes");
  });

  it("an unknown, newer or non-existent format version, another kind, or no magic", () => {
    const good = oneNode(c.fifoFields("a"));
    const v2 = good.slice();
    v2[4] = 2;
    expect(decodeError(v2).message).toBe("tree header: format version 2 is newer than this reader, which reads version 1 only; upgrade Cairn to read it (at byte 4)");
    expect(decodeError(v2).code).toBe("unsupported-version");
    v2[4] = 0;
    expect(decodeError(v2).message).toBe("tree header: format version 0 does not exist (at byte 4)");
    const snap = good.slice();
    snap[3] = 0x53;
    expect(decodeError(snap).message).toBe("tree header: expected a tree (kind byte 0x54), got a snapshot (kind byte 0x53) (at byte 3)");
    expect(decodeError(c.unhex("7b2274223a317d")).message).toBe('tree header: not a Cairn manifest: expected magic 43524e ("CRN"), got 7b2274 (at byte 0)');
    expect(decodeError(Uint8Array.of(0x43, 0x52)).message).toBe("tree header: a manifest starts with a 5-byte header, got only 2 bytes (at byte 0)");
  });

  it("every truncation of a valid tree", () => {
    const t: Tree = createTree([fifo("a", { xattrs: [{ name: u("user.x"), value: u("1") }] }), { ...fifo("f"), type: "file", size: 5n, content: [{ kind: "data", id: parseBlobId(ID), length: 5 }] } as Node]);
    const bytes = encodeTree(t);
    for (let n = 0; n < bytes.length; n++) expect(decodeError(bytes.subarray(0, n)).code).toBe("truncated");
    expect(decodeError(bytes.subarray(0, 9)).message).toBe("tree.nodes: declares 2 items but only 1 byte remains (at byte 7)");
    expect(decodeError(bytes.subarray(0, bytes.length - 1)).message).toBe(`tree.nodes[1].content[0].id: the input ended inside bytes of 32 bytes (31 left) (at byte ${bytes.length - 34})`);
  });

  it("an unknown field with an even key (must be understood)", () => {
    const e = decodeError(oneNode(withField(20, c.uint(1))));
    expect(e.code).toBe("unknown-field");
    expect(e.message).toBe("tree.nodes[0]: unknown field 20, which an even key marks as required: written by a newer Cairn that this reader cannot safely ignore (at byte 30)");
  });

  it("field keys out of order or repeated", () => {
    const swapped = c.fifoFields("a");
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(decodeError(oneNode(swapped)).message).toBe("tree.nodes[0]: field keys must be in ascending order, got 2 after 3 (at byte 18)");
    const twice = [...c.fifoFields("a").slice(0, 3), [2, c.uint(1)] as [number, c.Item], ...c.fifoFields("a").slice(3)];
    expect(decodeError(oneNode(twice)).message).toBe("tree.nodes[0]: field 2 appears twice (at byte 18)");
  });

  it("missing required fields, and fields the type does not have", () => {
    const noMode = c.fifoFields("a").filter(([k]) => k !== 2);
    expect(decodeError(oneNode(noMode)).message).toBe("tree.nodes[0].mode: required field 2 (mode) is missing (at byte 8)");
    expect(decodeError(oneNode(withField(19, c.bytes(new Array(32).fill(1))))).message).toBe("tree.nodes[0].subtree: a fifo node has no subtree (field 19) (at byte 30)");
    const dir = replace(c.fifoFields("a"), 1, c.uint(2));
    expect(decodeError(oneNode(dir)).message).toBe("tree.nodes[0].subtree: a dir node requires field 19 (subtree) (at byte 8)");
  });

  it("non-canonical CBOR: long-form integers, indefinite lengths, tags, floats", () => {
    const long = replace(c.fifoFields("a"), 2, Uint8Array.of(0x18, 0x05));
    expect(decodeError(oneNode(long)).message).toBe("tree.nodes[0].mode: the argument 5 is not in its shortest form (at byte 15)");
    expect(decodeError(c.tree(Uint8Array.of(0xbf, 0xff))).message).toBe("tree: indefinite-length items are not allowed (at byte 5)");
    const tagged = replace(c.fifoFields("a"), 7, Uint8Array.of(0xc1, 0x00));
    expect(decodeError(oneNode(tagged)).message).toBe("tree.nodes[0].mtimeNs: CBOR tags are not allowed (at byte 27)");
    const float = replace(c.fifoFields("a"), 2, Uint8Array.of(0xf9, 0x3c, 0x00));
    expect(decodeError(oneNode(float)).message).toBe("tree.nodes[0].mode: floats, booleans, null and other simple values are not allowed (at byte 15)");
    const text = replace(c.fifoFields("a"), 0, c.text("a"));
    expect(decodeError(oneNode(text)).message).toBe("tree.nodes[0].name: expected bytes, got text (at byte 10)");
  });

  it("out-of-range numbers and unknown type codes", () => {
    expect(decodeError(oneNode(replace(c.fifoFields("a"), 2, c.uint(0o10000)))).message).toBe("tree.nodes[0].mode: must be at most 4095, got 4096 (at byte 15)");
    expect(decodeError(oneNode(replace(c.fifoFields("a"), 3, c.uint(2 ** 32)))).message).toBe("tree.nodes[0].uid: must be at most 4294967295, got 4294967296 (at byte 19)");
    expect(decodeError(oneNode(replace(c.fifoFields("a"), 1, c.uint(8)))).message).toBe("tree.nodes[0].type: unknown node type code 8; this version knows 1..7 (at byte 13)");
    expect(decodeError(oneNode(replace(c.fifoFields("a"), 7, c.uint(1n << 63n)))).message).toBe(
      "tree.nodes[0].mtimeNs: must be in -9223372036854775808..9223372036854775807, got 9223372036854775808 (at byte 27)",
    );
    expect(decodeError(oneNode(withField(12, c.uint(0)))).message).toBe("tree.nodes[0].links: must be at least 1, got 0 (at byte 31)");
  });

  it("absurd counts before allocating anything", () => {
    const huge = c.tree(c.concat([c.map([]).subarray(0, 0), Uint8Array.of(0xa1, 0x00, 0x9b, 0, 0, 0, 1, 0, 0, 0, 0)]));
    expect(decodeError(huge).message).toBe("tree.nodes: at most 1048576 items allowed, got 4294967296 (at byte 7)");
    const lying = c.tree(Uint8Array.of(0xa1, 0x00, 0x99, 0x10, 0x00, 0xa0));
    expect(decodeError(lying).message).toBe("tree.nodes: declares 4096 items but only 1 byte remains (at byte 7)");
    const longName = replace(c.fifoFields("a"), 0, Uint8Array.of(0x5a, 0x00, 0x10, 0x00, 0x00));
    expect(decodeError(oneNode(longName)).message).toBe("tree.nodes[0].name: the input ended inside bytes of 1048576 bytes (18 left) (at byte 10)");
  });

  it("file content that is not canonical or does not add up", () => {
    const file = (size: number | bigint, entries: c.Item[]) => oneNode([...replace(c.fifoFields("f"), 1, c.uint(1)), [14, c.uint(size)], ...(entries.length ? [[15, c.array(entries)] as [number, c.Item]] : [])]);
    const data = c.array([c.uint(5), c.bytes(new Array(32).fill(7))]);
    expect(decodeTree(file(5, [data])).nodes[0]).toMatchObject({ type: "file", size: 5n, content: [{ kind: "data", length: 5 }] });
    expect(decodeError(file(6, [data])).message).toBe("tree.nodes[0].size: size is 6 but the content adds up to 5 bytes (at byte 30)");
    expect(decodeTree(file(0, [])).nodes[0]).toMatchObject({ size: 0n, content: [] });
    expect(decodeError(oneNode([...replace(c.fifoFields("f"), 1, c.uint(1)), [14, c.uint(0)], [15, c.array([])]])).message).toBe(
      "tree.nodes[0].content: an empty list must be omitted, not encoded (at byte 33)",
    );
    const holes = decodeError(file(3, [c.array([c.uint(1)]), c.array([c.uint(2)])]));
    expect(holes.code).toBe("not-canonical");
    expect(holes.message).toBe("tree.nodes[0].content[1]: a hole may only follow a hole of the maximum length 9007199254740991; merge adjacent holes (at byte 36)");
    const max = Number.MAX_SAFE_INTEGER;
    expect(decodeTree(file(BigInt(max) + 2n, [c.array([c.uint(max)]), c.array([c.uint(2)])])).nodes[0]).toMatchObject({ content: holeEntries(BigInt(max) + 2n) });
    expect(decodeError(file(5, [c.array([c.uint(5), c.bytes([1, 2])])])).message).toBe("tree.nodes[0].content[0].id: an ID must be 32 bytes, got 2 (at byte 36)");
    expect(decodeError(file(5, [c.array([c.uint(5), c.bytes(new Array(32).fill(7)), c.uint(1)])])).message).toBe(
      "tree.nodes[0].content[0]: a content entry must be [length] (a hole) or [length, id] (data), got 3 items (at byte 34)",
    );
  });

  it("xattrs out of order, repeated, with NUL in a name, or empty", () => {
    const x = (...pairs: [string, string][]) => oneNode(withField(13, c.array(pairs.map(([n, v]) => c.array([c.bytes(u(n)), c.bytes(u(v))])))));
    expect(decodeTree(x(["user.a", "1"], ["user.b", ""])).nodes[0]!.xattrs).toHaveLength(2);
    expect(decodeError(x(["user.b", "1"], ["user.a", "2"])).message).toBe("tree.nodes[0].xattrs[1].name: xattrs must be in ascending byte order of name, but this one sorts before xattrs[0] (at byte 43)");
    expect(decodeError(x(["user.a", "1"], ["user.a", "2"])).message).toBe("tree.nodes[0].xattrs[1].name: repeats the name of xattrs[0] (at byte 43)");
    expect(decodeError(x(["user\0a", "1"])).message).toBe("tree.nodes[0].xattrs[0].name: an xattr name must not contain a NUL byte (byte 4 of the name) (at byte 33)");
    expect(decodeError(oneNode(withField(13, c.array([])))).message).toBe("tree.nodes[0].xattrs: an empty list must be omitted, not encoded (at byte 31)");
  });

  it("an empty node list (must be omitted), a symlink target with NUL", () => {
    expect(decodeError(c.tree(c.map([[0, c.array([])]]))).message).toBe("tree.nodes: an empty list must be omitted, not encoded (at byte 7)");
    const link = [...replace(c.fifoFields("l"), 1, c.uint(3)), [16, c.bytes(u("a\0b"))] as [number, c.Item]];
    expect(decodeError(oneNode(link)).message).toBe("tree.nodes[0].linkTarget: a symlink target must not contain a NUL byte (byte 1) (at byte 31)");
  });

  it("a non-Uint8Array input is misuse: TypeError", () => {
    expect(() => decodeTree("CRNT" as unknown as Uint8Array)).toThrow(new TypeError("input: expected Uint8Array, got string"));
  });
});

describe("encodeTree refuses to write what decodeTree would reject", () => {
  it.each([
    ["..", "unsafe-name", 'tree.nodes[0].name: a name must not be ".."'],
    [".", "unsafe-name", 'tree.nodes[0].name: a name must not be "."'],
    ["", "unsafe-name", "tree.nodes[0].name: a name must not be empty"],
    ["etc/passwd", "unsafe-name", 'tree.nodes[0].name: a name must not contain "/" (byte 3 of the name)'],
    ["a\0", "unsafe-name", "tree.nodes[0].name: a name must not contain a NUL byte (byte 1 of the name)"],
  ])("name %j", (name, code, message) => {
    const e = encodeError({ nodes: [fifo(name)] });
    expect([e.code, e.message, e.offset]).toEqual([code, message, undefined]);
  });

  it("unsorted and duplicate names (createTree sorts; duplicates stay an error)", () => {
    expect(encodeError({ nodes: [fifo("b"), fifo("a")] }).message).toBe("tree.nodes[1].name: nodes must be in ascending byte order of name, but this one sorts before nodes[0]");
    expect(encodeError({ nodes: [fifo("a"), fifo("a")] }).message).toBe("tree.nodes[1].name: repeats the name of nodes[0]");
    expect(createTree([fifo("b"), fifo("a")]).nodes.map((n) => n.name[0])).toEqual([0x61, 0x62]);
    expect(() => createTree([fifo("a"), fifo("a")])).toThrow('nodes: two nodes are named "a"');
    expect(() => createTree([fifo("..")])).toThrow('nodes[0].name: a name must not be ".."');
  });

  it("out-of-range values, inconsistent sizes, stray type fields, unsorted xattrs", () => {
    expect(encodeError({ nodes: [fifo("a", { mode: 0o100644 })] }).message).toBe("tree.nodes[0].mode: must be at most 4095, got 33188");
    expect(encodeError({ nodes: [fifo("a", { uid: -1 })] }).message).toBe("tree.nodes[0].uid: must be at least 0, got -1");
    expect(encodeError({ nodes: [fifo("a", { mtimeNs: 1n << 63n })] }).message).toBe("tree.nodes[0].mtimeNs: must be in -9223372036854775808..9223372036854775807, got 9223372036854775808");
    expect(encodeError({ nodes: [{ ...fifo("a"), type: "file", size: 3n, content: [] } as Node] }).message).toBe("tree.nodes[0].size: size is 3 but the content adds up to 0 bytes");
    expect(encodeError({ nodes: [{ ...fifo("a"), subtree: parseTreeId(ID) } as Node] }).message).toBe("tree.nodes[0].subtree: a fifo node has no subtree (field 19)");
    expect(encodeError({ nodes: [{ ...fifo("a"), type: "door" } as unknown as Node] }).message).toBe(
      'tree.nodes[0].type: unknown node type "door"; expected one of file, dir, symlink, fifo, chardev, blockdev, socket',
    );
    const xattrs = [{ name: u("b"), value: u("") }, { name: u("a"), value: u("") }];
    expect(encodeError({ nodes: [fifo("a", { xattrs })] }).message).toBe("tree.nodes[0].xattrs[1].name: xattrs must be in ascending byte order of name, but this one sorts before xattrs[0]");
    const holes = [{ kind: "hole", length: 1 }, { kind: "hole", length: 1 }] as const;
    expect(encodeError({ nodes: [{ ...fifo("a"), type: "file", size: 2n, content: holes } as Node] }).code).toBe("not-canonical");
    expect(encodeError({ nodes: [{ ...fifo("a"), type: "symlink", linkTarget: new Uint8Array(0) } as Node] }).message).toBe("tree.nodes[0].linkTarget: bytes must not be empty");
  });

  it("wrong JavaScript types are misuse: TypeError", () => {
    expect(() => encodeTree({ nodes: [fifo("a", { name: "a" as unknown as Uint8Array })] })).toThrow(new TypeError("tree.nodes[0].name: expected Uint8Array, got string"));
    expect(() => encodeTree({ nodes: [fifo("a", { mtimeNs: 5 as unknown as bigint })] })).toThrow(new TypeError("tree.nodes[0].mtimeNs: expected a bigint, got number"));
    expect(() => encodeTree({ nodes: [{ ...fifo("d"), type: "dir", subtree: "XYZ" } as unknown as Node] })).toThrow("tree.nodes[0].subtree: expected 64 lowercase hex digits");
  });
});

describe("findNode", () => {
  it("finds by bytes or by string, by binary search", () => {
    const t = createTree(["c", "a", "b", "ä"].map((n) => fifo(n)).concat(fifo(Uint8Array.of(0xff))));
    expect(findNode(t, "b")?.name).toEqual(u("b"));
    expect(findNode(t, "ä")?.name).toEqual(u("ä"));
    expect(findNode(t, Uint8Array.of(0xff))?.name).toEqual(Uint8Array.of(0xff));
    expect(findNode(t, "d")).toBeUndefined();
    expect(findNode({ nodes: [] }, "a")).toBeUndefined();
  });
});
