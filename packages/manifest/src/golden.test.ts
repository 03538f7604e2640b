// Golden encodings: fixed values and their committed bytes. If one of these fails, the format
// changed. That is only acceptable together with a FORMAT.md change and a version decision
// (FORMAT.md §7.9); never "fix" it by pasting the new hex.
import { describe, expect, it } from "vitest";
import { canon } from "../test/canon.js";
import * as c from "../test/cbor.js";
import { decodeSnapshot, decodeTree, encodeSnapshot, encodeTree, parseBlobId, parseSnapshotId, parseTreeId, type Node, type Snapshot, type Tree } from "./index.js";

const u = c.utf8;
const ID1 = parseBlobId("11".repeat(32));
const ID2 = parseBlobId("22".repeat(32));
const TREE = parseTreeId("33".repeat(32));
const common = { uid: 1000, gid: 100, user: null, group: null, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] };

const TREE_VALUE: Tree = {
  nodes: [
    { ...common, name: u("bin"), type: "dir", mode: 0o755, mtimeNs: 1_700_000_000_000_000_000n, ctimeNs: 1_700_000_000_000_000_000n, subtree: TREE },
    {
      ...common, name: u("data.bin"), type: "file", mode: 0o644, user: "alice", group: "staff", mtimeNs: 1_700_000_000_123_456_789n, ctimeNs: 1_700_000_001_000_000_000n,
      atimeNs: 1_700_000_002_000_000_000n, inode: 123_456_789n, deviceId: 2049n, links: 2, size: 3_145_733n,
      xattrs: [{ name: u("user.mime"), value: u("application/octet-stream") }, { name: u("user.z"), value: Uint8Array.of(0, 255) }],
      content: [{ kind: "data", id: ID1, length: 1_048_576 }, { kind: "hole", length: 2_097_152 }, { kind: "data", id: ID2, length: 5 }],
    },
    { ...common, name: u("null"), type: "chardev", mode: 0o666, uid: 0, gid: 0, mtimeNs: 0n, ctimeNs: 0n, rdevMajor: 1, rdevMinor: 3 },
    { ...common, name: u("old"), type: "fifo", mode: 0o600, mtimeNs: -1_000_000_000n, ctimeNs: -1n },
    { ...common, name: Uint8Array.of(0x72, 0xe9, 0x73), type: "symlink", mode: 0o777, mtimeNs: 1n, ctimeNs: 2n, linkTarget: Uint8Array.of(0x2e, 0x2e, 0x2f, 0xff) },
  ] as Node[],
};

const TREE_HEX = [
  "43524e5401a10085a8004362696e0102021901ed031903e8041864071b17979cfe362a0000081b17979cfe362a0000135820",
  "3333333333333333333333333333333333333333333333333333333333333333b00048646174612e62696e0101021901a403",
  "1903e80418640565616c69636506657374616666071b17979cfe3d85cd15081b17979cfe71c4ca00091b17979cfead5f9400",
  "0a1a075bcd150b1908010c020d828249757365722e6d696d6558186170706c69636174696f6e2f6f637465742d7374726561",
  "6d8246757365722e7a4200ff0e1a003000050f83821a00100000582011111111111111111111111111111111111111111111",
  "11111111111111111111811a0020000082055820222222222222222222222222222222222222222222222222222222222222",
  "2222a900446e756c6c0105021901b6030004000700080011011203a700436f6c64010402190180031903e8041864073a3b9a",
  "c9ff0820a8004372e9730103021901ff031903e80418640701080210442e2e2fff",
].join("");

const SNAPSHOT_VALUE: Snapshot = {
  timeNs: 1_700_000_000_000_000_000n, host: "web-1.example.com", agentId: "8a5f0f4e-6c5b-4f0e-9d2e-0c2f4e6b8a10", configurationId: "c0ffee00-0000-4000-8000-000000000001",
  paths: [u("/etc"), u("/srv/www")], tags: ["daily", "prod"], parent: parseSnapshotId("44".repeat(32)), tree: TREE, excludes: ["*.tmp", "/srv/www/cache"],
  programVersion: "cairn-agent 0.1.0",
  stats: { filesNew: 10, filesChanged: 2, filesUnmodified: 1000, dirsNew: 1, dirsChanged: 3, dirsUnmodified: 99, dataBlobsAdded: 12, treeBlobsAdded: 4, bytesAdded: 12_582_912n, bytesAddedStored: 6_000_000n, filesProcessed: 1012, bytesProcessed: 1_073_741_824n },
  errorCount: 3, errors: [{ path: u("/srv/www/private.key"), message: "EACCES: permission denied" }],
};

const SNAPSHOT_HEX = [
  "43524e5301ad001b17979cfe362a000001717765622d312e6578616d706c652e636f6d02782438613566306634652d366335",
  "622d346630652d396432652d30633266346536623861313003782463306666656530302d303030302d343030302d38303030",
  "2d3030303030303030303030310482442f657463482f7372762f7777770582656461696c796470726f640658204444444444",
  "4444444444444444444444444444444444444444444444444444440758203333333333333333333333333333333333333333",
  "3333333333333333333333330882652a2e746d706e2f7372762f7777772f63616368650971636169726e2d6167656e742030",
  "2e312e300aac000a0102021903e803010403051863060c0704081a00c00000091a005b8d800a1903f40b1a400000000b030c",
  "8182542f7372762f7777772f707269766174652e6b657978194541434345533a207065726d697373696f6e2064656e696564",
].join("");

describe("golden encodings (format version 1)", () => {
  it("an empty tree", () => {
    expect(c.hex(encodeTree({ nodes: [] }))).toBe("43524e5401a0");
    expect(decodeTree(c.unhex("43524e5401a0"))).toEqual({ nodes: [] });
  });

  it("a tree with every kind of field", () => {
    expect(c.hex(encodeTree(TREE_VALUE))).toBe(TREE_HEX);
    expect(canon(decodeTree(c.unhex(TREE_HEX)))).toEqual(canon(TREE_VALUE));
  });

  it("the tree's bytes are what FORMAT.md describes (built independently with test/cbor.ts)", () => {
    const base = (name: Uint8Array, type: number, mode: number, uid = 1000, gid = 100): [number, c.Item][] => [[0, c.bytes(name)], [1, c.uint(type)], [2, c.uint(mode)], [3, c.uint(uid)], [4, c.uint(gid)]];
    const t = (n: bigint) => c.int(n);
    const id = (x: string) => c.bytes(c.unhex(x));
    const nodes = [
      c.map([...base(u("bin"), 2, 0o755), [7, t(1_700_000_000_000_000_000n)], [8, t(1_700_000_000_000_000_000n)], [19, id(TREE)]]),
      c.map([
        ...base(u("data.bin"), 1, 0o644), [5, c.text("alice")], [6, c.text("staff")], [7, t(1_700_000_000_123_456_789n)], [8, t(1_700_000_001_000_000_000n)],
        [9, t(1_700_000_002_000_000_000n)], [10, c.uint(123_456_789)], [11, c.uint(2049)], [12, c.uint(2)],
        [13, c.array([c.array([c.bytes(u("user.mime")), c.bytes(u("application/octet-stream"))]), c.array([c.bytes(u("user.z")), c.bytes([0, 255])])])],
        [14, c.uint(3_145_733)], [15, c.array([c.array([c.uint(1_048_576), id(ID1)]), c.array([c.uint(2_097_152)]), c.array([c.uint(5), id(ID2)])])],
      ]),
      c.map([...base(u("null"), 5, 0o666, 0, 0), [7, t(0n)], [8, t(0n)], [17, c.uint(1)], [18, c.uint(3)]]),
      c.map([...base(u("old"), 4, 0o600), [7, t(-1_000_000_000n)], [8, t(-1n)]]),
      c.map([...base(Uint8Array.of(0x72, 0xe9, 0x73), 3, 0o777), [7, t(1n)], [8, t(2n)], [16, c.bytes([0x2e, 0x2e, 0x2f, 0xff])]]),
    ];
    expect(c.hex(c.tree(c.map([[0, c.array(nodes)]])))).toBe(TREE_HEX);
  });

  it("a snapshot with every field", () => {
    expect(c.hex(encodeSnapshot(SNAPSHOT_VALUE))).toBe(SNAPSHOT_HEX);
    expect(canon(decodeSnapshot(c.unhex(SNAPSHOT_HEX)))).toEqual(canon(SNAPSHOT_VALUE));
  });
});
