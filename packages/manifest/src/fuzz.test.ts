// Fuzzing the decoders: random bytes, random but plausible CBOR, and valid encodings with bit
// flips, overwrites, truncations, insertions, deletions and duplicated ranges. Whatever the
// input, a decoder either returns a value or throws ManifestError with an offset inside the
// input, never anything else. And whatever it accepts is canonical: re-encoding gives the same
// bytes (unless it skipped ignorable unknown fields). Fixed seeds, so every run is the same.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { smallTree, snapshot } from "../test/arbitraries.js";
import { canon } from "../test/canon.js";
import * as c from "../test/cbor.js";
import { ManifestError, decodeSnapshot, decodeTree, encodeSnapshot, encodeTree, type DecodeOptions } from "./index.js";

const SEED = 20261203;

interface Codec {
  decode(input: Uint8Array, options?: DecodeOptions): unknown;
  encode(value: never): Uint8Array;
}
const treeCodec: Codec = { decode: decodeTree, encode: encodeTree };
const snapshotCodec: Codec = { decode: decodeSnapshot, encode: encodeSnapshot };

const outcomes = new Map<string, number>();
function tally(key: string) {
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

/** Decodes `input`; fails the property on any error but ManifestError or on a non-canonical accept. */
function probe(codec: Codec, input: Uint8Array): void {
  let skipped = false;
  let value: unknown;
  try {
    value = codec.decode(input, { onUnknownField: () => (skipped = true) });
  } catch (e) {
    if (!(e instanceof ManifestError)) throw new Error(`decoder threw ${String(e)} instead of ManifestError`, { cause: e });
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(input.length);
    tally(e.code);
    return;
  }
  tally("accepted");
  const again = codec.encode(value as never);
  if (skipped) expect(canon(codec.decode(again))).toEqual(canon(value));
  else expect(Buffer.compare(again, input), "an accepted input must be the canonical encoding").toBe(0);
}

type Mutation =
  | { op: "flip"; at: number; bit: number }
  | { op: "set"; at: number; byte: number }
  | { op: "truncate"; at: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; length: number }
  | { op: "duplicate"; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), byte: fc.oneof(fc.constantFrom(0x00, 0x18, 0x1b, 0x5f, 0x7f, 0x9f, 0xbf, 0xc0, 0xf6, 0xff), fc.nat({ max: 255 })) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input;
  for (const m of mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.op) {
      case "flip":
        b = b.slice();
        b[at]! ^= 1 << m.bit;
        break;
      case "set":
        b = b.slice();
        b[at] = m.byte;
        break;
      case "truncate":
        b = b.subarray(0, at);
        break;
      case "insert":
        b = c.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case "delete":
        b = c.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case "duplicate":
        b = c.concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

// Random CBOR items, mostly inside the subset, so the decoder gets past the syntax.
const { item } = fc.letrec<{ item: Uint8Array }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.nat({ max: 30 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })).map((n) => c.uint(n)),
    fc.bigInt({ min: -(1n << 64n), max: -1n }).map(c.int),
    fc.uint8Array({ maxLength: 40 }).map(c.bytes),
    fc.string({ maxLength: 10 }).map(c.text),
    fc.array(tie("item"), { maxLength: 4 }).map(c.array),
    fc.uniqueArray(fc.tuple(fc.nat({ max: 25 }), tie("item")), { selector: ([k]) => k, maxLength: 4 }).map((e) => c.map(e.sort((a, b) => a[0] - b[0]))),
    fc.constantFrom(Uint8Array.of(0xf6), Uint8Array.of(0xc1, 0x00), Uint8Array.of(0x9f, 0xff), Uint8Array.of(0x18, 0x01)),
  ),
}));

const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(c.bytes);
const plausible: Record<number, fc.Arbitrary<Uint8Array>> = {
  0: fc.oneof(fc.constantFrom("a", "b", "..", ".", "x/y", "", "z\0").map((s) => c.bytes(c.utf8(s))), fc.uint8Array({ minLength: 1, maxLength: 6 }).map(c.bytes)),
  1: fc.nat({ max: 8 }).map(c.uint),
  2: fc.nat({ max: 5000 }).map(c.uint),
  3: fc.nat().map(c.uint),
  4: fc.nat().map(c.uint),
  7: fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }).map(c.int),
  8: fc.bigInt({ min: -(1n << 63n), max: 1n << 63n }).map(c.int),
  12: fc.nat({ max: 3 }).map(c.uint),
  13: fc.array(fc.tuple(fc.uint8Array({ maxLength: 4 }), fc.uint8Array({ maxLength: 4 })).map(([n, v]) => c.array([c.bytes(n), c.bytes(v)])), { maxLength: 3 }).map(c.array),
  14: fc.nat({ max: 20 }).map(c.uint),
  15: fc.array(fc.oneof(fc.nat({ max: 12 }).map((n) => c.array([c.uint(n)])), fc.tuple(fc.nat({ max: 12 }), id32).map(([n, id]) => c.array([c.uint(n), id]))), { maxLength: 3 }).map(c.array),
  16: fc.uint8Array({ maxLength: 6 }).map(c.bytes),
  17: fc.nat({ max: 300 }).map(c.uint),
  18: fc.nat({ max: 300 }).map(c.uint),
  19: id32,
};
const REQUIRED_KEYS = [0, 1, 2, 3, 4, 7, 8];
const plausibleNode = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: 0, max: 22 }), fc.boolean(), item), { maxLength: 6 }),
    fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), item), { minLength: REQUIRED_KEYS.length, maxLength: REQUIRED_KEYS.length }),
  )
  .map(([extra, required]) => [
    ...REQUIRED_KEYS.flatMap((k, i) => (required[i]![0] < 0.95 ? [[k, required[i]![1] || required[i]![0] < 0.9, required[i]![2]] as [number, boolean, Uint8Array]] : [])),
    ...extra,
  ])
  .chain((picks) => {
    const keys = [...new Map(picks.map(([k, p, v]) => [k, [p, v] as const])).entries()].sort((a, b) => a[0] - b[0]);
    return fc.tuple(...keys.map(([k, [p, v]]) => (p && plausible[k] ? plausible[k] : fc.constant(v)).map((x) => [k, x] as [number, Uint8Array])));
  })
  .map((entries) => c.map(entries));
const plausibleTree = fc.array(plausibleNode, { maxLength: 3 }).map((nodes) => c.tree(c.map([[0, c.array(nodes)]])));

describe("fuzz: decoders throw only ManifestError", () => {
  it("random bytes (3000 trees, 3000 snapshots)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => probe(treeCodec, b)), { seed: SEED, numRuns: 3000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => probe(snapshotCodec, b)), { seed: SEED + 1, numRuns: 3000 });
  });

  it("a valid header followed by random bytes or random CBOR (6000)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => probe(treeCodec, c.tree(b))), { seed: SEED + 2, numRuns: 1500 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => probe(snapshotCodec, c.snapshot(b))), { seed: SEED + 3, numRuns: 1500 });
    fc.assert(fc.property(item, (b) => probe(treeCodec, c.tree(b))), { seed: SEED + 4, numRuns: 1500 });
    fc.assert(fc.property(item, (b) => probe(snapshotCodec, c.snapshot(b))), { seed: SEED + 5, numRuns: 1500 });
  });

  it("plausible trees built field by field (4000)", () => {
    fc.assert(fc.property(plausibleTree, (b) => probe(treeCodec, b)), { seed: SEED + 6, numRuns: 4000 });
  });

  it("mutated valid trees (6000) and snapshots (4000)", () => {
    fc.assert(
      fc.property(smallTree, fc.array(mutation, { minLength: 1, maxLength: 4 }), (t, ms) => probe(treeCodec, mutate(encodeTree(t), ms))),
      { seed: SEED + 7, numRuns: 6000 },
    );
    fc.assert(
      fc.property(snapshot, fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, ms) => probe(snapshotCodec, mutate(encodeSnapshot(s), ms))),
      { seed: SEED + 8, numRuns: 4000 },
    );
  });

  it("reached deep into the decoder: many different rejections, and some acceptances", () => {
    // Guards the fuzzer itself: if inputs stopped reaching the field rules, this would say so.
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(26000);
    for (const code of ["truncated", "trailing-bytes", "bad-header", "unsupported-version", "malformed", "wrong-type", "out-of-range", "unknown-field", "missing-field", "field-not-allowed", "unsorted", "duplicate", "unsafe-name", "inconsistent", "not-canonical", "invalid-utf8"]) {
      expect(outcomes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
    expect(outcomes.get("accepted") ?? 0).toBeGreaterThan(20);
    console.log(`fuzz outcomes over ${total} inputs: ${JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])))}`);
  });
});
