// fast-check arbitraries for every valid manifest value: all node types, non-UTF-8 names,
// extreme sizes and times, binary xattrs, sparse content, snapshots with every optional field.
import fc from "fast-check";
import {
  INT64_MAX,
  INT64_MIN,
  LIMITS,
  UINT32_MAX,
  UINT64_MAX,
  blobIdFromBytes,
  contentLength,
  createTree,
  holeEntries,
  snapshotIdFromBytes,
  treeIdFromBytes,
  type ContentEntry,
  type Node,
  type Snapshot,
  type Tree,
  type Xattr,
} from "../src/index.js";
import { hex, utf8 } from "./cbor.js";

const compare = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};

/** Any bytes except `/` and NUL, not `.`/`..`: raw (often invalid UTF-8), text, or long. */
export const safeName: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 24 }) },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).map(utf8) },
    { weight: 1, arbitrary: fc.constantFrom(utf8("..."), utf8(".a"), utf8("a."), utf8(" "), utf8("\\"), Uint8Array.of(0xff, 0xfe), utf8("-rf")) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: LIMITS.maxNameBytes }).map((n) => new Uint8Array(n).fill(0x61)) },
  )
  .map((b) => b.map((x) => (x === 0x2f || x === 0 ? 0x5f : x)))
  .filter((b) => !(b.length <= 2 && b.every((x) => x === 0x2e)));

const u32 = fc.oneof(fc.constantFrom(0, 1, 23, 24, 255, 256, 65535, 65536, UINT32_MAX), fc.integer({ min: 0, max: UINT32_MAX }));
const i64 = fc.oneof(fc.constantFrom(INT64_MIN, -1n, 0n, 1n, INT64_MAX, -(1n << 32n), 1_700_000_000_123_456_789n), fc.bigInt({ min: INT64_MIN, max: INT64_MAX }));
const u64 = fc.oneof(fc.constantFrom(0n, 1n, (1n << 32n) - 1n, 1n << 32n, UINT64_MAX), fc.bigInt({ min: 0n, max: UINT64_MAX }));
const label = fc.string({ unit: "grapheme", minLength: 1, maxLength: 16 });
const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

export const blobId = id32.map(blobIdFromBytes);
export const treeId = id32.map(treeIdFromBytes);

const xattrsOf = (big: boolean): fc.Arbitrary<Xattr[]> => fc
  .uniqueArray(
    fc.record({
      name: fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => b.map((x) => x || 1)),
      value: big
        ? fc.oneof({ weight: 30, arbitrary: fc.uint8Array({ maxLength: 64 }) }, { weight: 1, arbitrary: fc.constant(new Uint8Array(LIMITS.maxXattrValueBytes).fill(7)) })
        : fc.uint8Array({ maxLength: 16 }),
    }, { noNullPrototype: true }),
    { selector: (x) => hex(x.name), maxLength: 4 },
  )
  .map((list) => list.sort((a, b) => compare(a.name, b.name)));

/** Canonical content: data blobs and holes, adjacent holes merged (and split at the maximum). */
const content: fc.Arbitrary<ContentEntry[]> = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant("data" as const), id: blobId, length: fc.oneof(fc.constantFrom(1, LIMITS.maxBlobLength), fc.integer({ min: 1, max: 1 << 23 })) }, { noNullPrototype: true }),
      fc.oneof(fc.bigInt({ min: 1n, max: 1n << 40n }), fc.constantFrom(BigInt(LIMITS.maxHoleLength), 1n << 62n)),
    ),
    { maxLength: 6 },
  )
  .map((parts) => {
    const out: ContentEntry[] = [];
    let hole = 0n;
    for (const p of parts) {
      if (typeof p === "bigint") hole += p;
      else {
        out.push(...holeEntries(hole), p);
        hole = 0n;
      }
    }
    out.push(...holeEntries(hole));
    return out;
  })
  .filter((c) => contentLength(c) <= INT64_MAX);

const baseOf = (big: boolean) => fc.record({
  name: safeName,
  mode: fc.oneof(fc.constantFrom(0, 0o644, 0o755, 0o7777), fc.integer({ min: 0, max: 0o7777 })),
  uid: u32,
  gid: u32,
  user: fc.option(label, { nil: null }),
  group: fc.option(label, { nil: null }),
  mtimeNs: i64,
  ctimeNs: i64,
  atimeNs: fc.option(i64, { nil: null }),
  inode: fc.option(u64, { nil: null }),
  deviceId: fc.option(u64, { nil: null }),
  links: fc.option(fc.integer({ min: 1, max: UINT32_MAX }), { nil: null }),
  xattrs: xattrsOf(big),
}, { noNullPrototype: true });

/** Nodes of every type; `big` adds the occasional 64 KiB xattr value. */
export function nodeOf(big: boolean): fc.Arbitrary<Node> {
  const base = baseOf(big);
  return fc.oneof(
  fc.tuple(base, content).map(([b, c]): Node => ({ ...b, type: "file", size: contentLength(c), content: c })),
  fc.tuple(base, treeId).map(([b, subtree]): Node => ({ ...b, type: "dir", subtree })),
  fc.tuple(base, fc.uint8Array({ minLength: 1, maxLength: 64 }).map((t) => t.map((x) => x || 0x2f))).map(([b, linkTarget]): Node => ({ ...b, type: "symlink", linkTarget })),
  fc.tuple(base, fc.constantFrom("chardev" as const, "blockdev" as const), u32, u32).map(([b, type, rdevMajor, rdevMinor]): Node => ({ ...b, type, rdevMajor, rdevMinor })),
  fc.tuple(base, fc.constantFrom("fifo" as const, "socket" as const)).map(([b, type]): Node => ({ ...b, type })),
);

}

export const node = nodeOf(true);
export const tree: fc.Arbitrary<Tree> = fc.uniqueArray(node, { selector: (n) => hex(n.name), maxLength: 8 }).map((nodes) => createTree(nodes));
/** Trees small enough to mutate thousands of times quickly (no 64 KiB values, at most 5 nodes). */
export const smallTree: fc.Arbitrary<Tree> = fc.uniqueArray(nodeOf(false), { selector: (n) => hex(n.name), maxLength: 5 }).map((nodes) => createTree(nodes));

const absolutePath = fc.oneof(
  fc.constant(Uint8Array.of(0x2f)),
  fc.array(safeName.filter((n) => n.length < 100), { minLength: 1, maxLength: 4 }).map((names) => {
    const parts = names.flatMap((n) => [0x2f, ...n]);
    return Uint8Array.from(parts);
  }),
);

const utf8Sorted = (list: string[]) => list.sort((a, b) => compare(utf8(a), utf8(b)));
const count = fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER), fc.maxSafeNat());
const byteTotal = fc.oneof(fc.constantFrom(0n, INT64_MAX), fc.bigInt({ min: 0n, max: INT64_MAX }));

export const snapshot: fc.Arbitrary<Snapshot> = fc
  .record({
    timeNs: i64,
    host: label,
    agentId: fc.option(fc.uuid(), { nil: null }),
    configurationId: fc.option(fc.uuid(), { nil: null }),
    paths: fc.uniqueArray(absolutePath, { selector: hex, minLength: 1, maxLength: 4 }).map((p) => p.sort(compare)),
    tags: fc.uniqueArray(label, { maxLength: 4, selector: (t) => hex(utf8(t)) }).map(utf8Sorted),
    parent: fc.option(id32.map(snapshotIdFromBytes), { nil: null }),
    tree: treeId,
    excludes: fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), { maxLength: 3 }),
    programVersion: fc.constantFrom("cairn 0.1.0", "cairn-agent 1.2.3-rc.1"),
    stats: fc.record({
      filesNew: count, filesChanged: count, filesUnmodified: count, dirsNew: count, dirsChanged: count, dirsUnmodified: count,
      dataBlobsAdded: count, treeBlobsAdded: count, bytesAdded: byteTotal, bytesAddedStored: byteTotal, filesProcessed: count, bytesProcessed: byteTotal,
    }, { noNullPrototype: true }),
    errors: fc.array(fc.record({ path: absolutePath, message: label }, { noNullPrototype: true }), { maxLength: 3 }),
    extraErrors: fc.nat({ max: 5000 }),
  })
  .map(({ extraErrors, ...s }) => ({ ...s, errorCount: s.errors.length + extraErrors }));
