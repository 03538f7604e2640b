// The keyed chunker (cairn-gear-v1, CHUNKING.md) against: committed golden tables, an
// independent BigInt reference written from the specification, and the laws of chunking
// (fast-check). Everything is seeded, so runs are deterministic.
//
// Regenerate the golden tables after an intended format change (which also needs a new
// algorithm name in CHUNKING.md, since it changes every repository's chunk boundaries):
//   UPDATE_GOLDEN=1 npx vitest run src/chunker.test.ts
import { createCipheriv, createHash, hkdfSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHUNKER_PRESETS, chunkBoundaries, createChunker, type ChunkerParams } from "./index.js";
import { instantiateCoreModule } from "./internal/wasmModule.js";

const KiB = 1024;
const MiB = 1024 * KiB;
const INPUT_CAPACITY = MiB; // assembly/chunker.ts INPUT_SIZE
const SECRET = new Uint8Array(32).map((_, i) => i); // 00 01 .. 1f
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** `length` bytes of AES-256-CTR keystream: key SHA-256(label), counter block zero. */
function keystream(label: string, length: number): Uint8Array {
  const key = createHash("sha256").update(label).digest();
  return new Uint8Array(createCipheriv("aes-256-ctr", key, Buffer.alloc(16)).update(Buffer.alloc(length)));
}

/** Chunk lengths from cut points, checking that the cuts tile [0, length). */
function lengthsOf(cuts: number[], length: number): number[] {
  const lengths: number[] = [];
  let start = 0;
  for (const end of cuts) {
    lengths.push(end - start);
    start = end;
  }
  expect(start).toBe(length);
  return lengths;
}

/**
 * The reference chunker, written from CHUNKING.md and not from the AssemblyScript: BigInt
 * arithmetic, the gear table from node's HKDF, every byte of a chunk hashed from its start
 * (the spec's "skip before min - 64" is an optimisation that must not change any cut).
 */
function referenceCuts(secret: Uint8Array, params: ChunkerParams, data: Uint8Array): number[] {
  const table = new DataView(hkdfSync("sha256", secret, new Uint8Array(0), "cairn/chunker/gear/v1", 2048));
  const gear = Array.from({ length: 256 }, (_, i) => table.getBigUint64(8 * i, true));
  const { maskS, maskL } = referenceMasks(params.avgSize);
  const cuts: number[] = [];
  let fp = 0n;
  let length = 0;
  for (let i = 0; i < data.length; i++) {
    fp = BigInt.asUintN(64, (fp << 1n) + gear[data[i]!]!);
    length++;
    const mask = length < params.avgSize ? maskS : maskL;
    if ((length >= params.minSize && (fp & mask) === 0n) || length === params.maxSize) {
      cuts.push(i + 1);
      fp = 0n;
      length = 0;
    }
  }
  if (length > 0) cuts.push(data.length);
  return cuts;
}

function referenceMasks(avgSize: number): { maskS: bigint; maskL: bigint } {
  const spread = (n: number) => {
    let mask = 0n;
    for (let k = 0; k < n; k++) mask |= 1n << BigInt(63 - Math.floor((k * 48) / n));
    return mask;
  };
  const bits = Math.log2(avgSize);
  return { maskS: spread(bits + 2), maskL: spread(bits - 2) };
}

/** Cut points of `data` pushed in pieces whose sizes cycle through `sizes`. */
async function streamedCuts(secret: Uint8Array, params: ChunkerParams, data: Uint8Array, sizes: number[], zeroCopy = false): Promise<number[]> {
  const chunker = await createChunker(secret, params);
  const cuts: number[] = [];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const piece = data.subarray(offset, offset + sizes[i % sizes.length]!);
    if (zeroCopy && piece.length <= chunker.inputBuffer.length) {
      chunker.inputBuffer.set(piece);
      cuts.push(...chunker.pushInputBuffer(piece.length));
    } else {
      cuts.push(...chunker.push(piece));
    }
    offset += piece.length;
    expect(chunker.position).toBe(offset);
  }
  cuts.push(...chunker.finish());
  return cuts;
}

// ---------------------------------------------------------------------------------------------

describe("golden chunk tables (secret 00..1f, 32 MiB inputs)", () => {
  const GOLDEN_LENGTH = 32 * MiB;
  const inputs = {
    // AES-256-CTR keystream under the all-zero key from the all-zero counter block: the
    // encryption of zeros, reproducible with any AES implementation.
    random: () => new Uint8Array(createCipheriv("aes-256-ctr", Buffer.alloc(32), Buffer.alloc(16)).update(Buffer.alloc(GOLDEN_LENGTH))),
    zeros: () => new Uint8Array(GOLDEN_LENGTH),
  };
  const describeInput = {
    random: "AES-256-CTR keystream, key = 32 zero bytes, initial counter block = 16 zero bytes (the encryption of zeros)",
    zeros: "all zero bytes",
  };

  for (const preset of ["small", "large"] as const) {
    for (const input of ["random", "zeros"] as const) {
      it(`${preset} preset, ${input} input`, async () => {
        const params = CHUNKER_PRESETS[preset];
        const data = inputs[input]();
        const cuts = await chunkBoundaries(SECRET, params, data);
        const lines = [
          "# Cairn chunker golden table: cairn-gear-v1 (packages/core/CHUNKING.md); see README.md here",
          `# params: ${preset} preset, minSize ${params.minSize}, avgSize ${params.avgSize}, maxSize ${params.maxSize}`,
          `# secret: ${hex(SECRET)}`,
          `# input: ${GOLDEN_LENGTH} bytes, ${describeInput[input]}`,
          "# columns: offset length sha256(chunk)[0..16) in hex",
        ];
        let start = 0;
        for (const end of cuts) {
          const digest = createHash("sha256").update(data.subarray(start, end)).digest().subarray(0, 16);
          lines.push(`${start} ${end - start} ${hex(digest)}`);
          start = end;
        }
        const table = lines.join("\n") + "\n";
        const file = new URL(`../test/golden/chunker-${preset}-${input}.txt`, import.meta.url);
        if (process.env.UPDATE_GOLDEN) writeFileSync(file, table);
        const golden = readFileSync(file, "utf8");
        expect(table.split("\n")).toEqual(golden.split("\n"));
        // The committed table is the specification's, not just this build's.
        expect(referenceCuts(SECRET, params, data)).toEqual(cuts);
      });
    }
  }
});

describe("agreement with the independent reference chunker", () => {
  it("derives the gear table with HKDF-SHA-256 inside WASM and wipes the secret", async () => {
    const wasm = await instantiateCoreModule<{ inputPtr(): number; gearPtr(): number; setKey(): void }>("chunker");
    for (const secret of [SECRET, keystream("gear secret", 32)]) {
      const memory = new Uint8Array(wasm.memory.buffer);
      memory.set(secret, wasm.inputPtr());
      wasm.setKey();
      const want = Buffer.from(hkdfSync("sha256", secret, new Uint8Array(0), "cairn/chunker/gear/v1", 2048));
      expect(hex(memory.subarray(wasm.gearPtr(), wasm.gearPtr() + 2048))).toBe(want.toString("hex"));
      expect(memory.subarray(wasm.inputPtr(), wasm.inputPtr() + 32).every((b) => b === 0)).toBe(true);
    }
    // The entries CHUNKING.md quotes for the golden secret.
    const table = new DataView(hkdfSync("sha256", SECRET, new Uint8Array(0), "cairn/chunker/gear/v1", 2048));
    expect([0, 1, 2, 255].map((i) => table.getBigUint64(8 * i, true))).toEqual([0xb08b6f5df42ccbc1n, 0xc2128c534916a571n, 0xa11fff6c4e99c933n, 0x55414e8618c9443cn]);
  });

  it("uses the masks of the specification", async () => {
    const wasm = await instantiateCoreModule<{ configure(a: number, b: number, c: number): void; maskSmall(): bigint; maskLarge(): bigint }>("chunker");
    for (let bits = 7; bits <= 25; bits++) {
      wasm.configure(64, 2 ** bits, 64 * MiB);
      const { maskS, maskL } = referenceMasks(2 ** bits);
      expect(BigInt.asUintN(64, wasm.maskSmall()), `avg 2^${bits}`).toBe(maskS);
      expect(BigInt.asUintN(64, wasm.maskLarge()), `avg 2^${bits}`).toBe(maskL);
      expect(maskS.toString(2).replace(/0/g, "").length).toBe(bits + 2);
      expect(maskL.toString(2).replace(/0/g, "").length).toBe(bits - 2);
    }
    // The presets' masks, as tabulated in CHUNKING.md.
    expect(referenceMasks(8 * KiB)).toEqual({ maskS: 0x9248924892480000n, maskL: 0x8884442221100000n });
    expect(referenceMasks(MiB)).toEqual({ maskS: 0xaaa554aaa5540000n, maskL: 0xa4a4a4a4a4a40000n });
  });

  const random = keystream("reference", 4 * MiB + 12_345);
  // Random data with long zero runs, so that cuts forced at maxSize happen too.
  const mixed = new Uint8Array(3 * MiB);
  mixed.set(random.subarray(0, MiB), 0);
  mixed.set(random.subarray(MiB, 1.5 * MiB), 2 * MiB);
  const cases: [string, ChunkerParams, Uint8Array][] = [
    ["small preset, 4 MiB random", CHUNKER_PRESETS.small, random],
    ["small preset, zero runs", CHUNKER_PRESETS.small, mixed],
    ["64/128/256 (hashing from offset 0)", { minSize: 64, avgSize: 128, maxSize: 256 }, random.subarray(0, MiB)],
    ["100/512/700 (unaligned sizes)", { minSize: 100, avgSize: 512, maxSize: 700 }, mixed.subarray(MiB - 5000, 2 * MiB + 5000)],
    ["65/128/4096 (skips exactly one byte)", { minSize: 65, avgSize: 128, maxSize: 4096 }, random.subarray(0, MiB)],
    ["192/256/2048", { minSize: 192, avgSize: 256, maxSize: 2048 }, mixed.subarray(MiB - 100_000, 2 * MiB + 100_000)],
    ["1000/1024/1025 (almost fixed-size)", { minSize: 1000, avgSize: 1024, maxSize: 1025 }, random.subarray(0, MiB)],
    ["4 KiB/16 KiB/1 MiB", { minSize: 4 * KiB, avgSize: 16 * KiB, maxSize: MiB }, mixed],
  ];
  for (const [name, params, data] of cases) {
    it(name, async () => {
      const want = referenceCuts(SECRET, params, data);
      expect(await chunkBoundaries(SECRET, params, data)).toEqual(want);
      expect(await streamedCuts(SECRET, params, data, [65_537, 1, 333_331])).toEqual(want);
    });
  }

  it("large preset on 12 MiB of random data, zeros and random again", async () => {
    const data = new Uint8Array(12 * MiB + 7);
    data.set(random.subarray(0, 2 * MiB), 0);
    data.set(random.subarray(2 * MiB, 4 * MiB), 10 * MiB); // 8 MiB of zeros between: a forced cut
    const want = referenceCuts(SECRET, CHUNKER_PRESETS.large, data);
    expect(want.length).toBeGreaterThan(3);
    expect(await chunkBoundaries(SECRET, CHUNKER_PRESETS.large, data)).toEqual(want);
    expect(await streamedCuts(SECRET, CHUNKER_PRESETS.large, data, [MiB])).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------------

/** Parameters with many chunks per input: avg 128 B .. 4 KiB, min and max anywhere legal. */
const anyParams = fc.integer({ min: 7, max: 12 }).chain((bits) =>
  fc.record({
    minSize: fc.integer({ min: 64, max: 2 ** bits - 1 }),
    avgSize: fc.constant(2 ** bits),
    maxSize: fc.integer({ min: 2 ** bits + 1, max: 2 ** bits * 16 }),
  }),
);

/** Pseudo-random data of a given length, with optional zero runs (forced cuts at max). */
const anyData = fc
  .record({ seed: fc.nat(), length: fc.integer({ min: 0, max: 300_000 }), zeroRuns: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 70_000 })), { maxLength: 3 }) })
  .map(({ seed, length, zeroRuns }) => {
    const data = keystream(`property ${seed}`, length);
    for (const [at, run] of zeroRuns) if (length > 0) data.fill(0, at % length, (at % length) + run);
    return data;
  });

const runs = (numRuns: number) => ({ seed: 0x63a1e, numRuns });

describe("chunking laws (fast-check)", () => {
  it("chunks tile the input and lie within [min, max], except a shorter last one", async () => {
    await fc.assert(
      fc.asyncProperty(anyParams, anyData, async (params, data) => {
        const cuts = await chunkBoundaries(SECRET, params, data);
        const lengths = lengthsOf(cuts, data.length);
        lengths.forEach((n, i) => {
          expect(n).toBeLessThanOrEqual(params.maxSize);
          if (i < lengths.length - 1) expect(n).toBeGreaterThanOrEqual(params.minSize);
          else expect(n).toBeGreaterThan(0);
        });
        const pieces = cuts.map((end, i) => data.subarray(i === 0 ? 0 : cuts[i - 1], end));
        expect(Buffer.concat(pieces).equals(data)).toBe(true);
      }),
      runs(60),
    );
  });

  it("streaming at random splits (copied or zero-copy) gives the one-shot cuts", async () => {
    const sizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 100_000 })), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(anyParams, anyData, sizes, fc.boolean(), async (params, data, pieceSizes, zeroCopy) => {
        const oneShot = await chunkBoundaries(SECRET, params, data);
        expect(await streamedCuts(SECRET, params, data, pieceSizes, zeroCopy)).toEqual(oneShot);
      }),
      runs(60),
    );
  });

  it("an insert, delete or overwrite moves only the boundaries near it", async () => {
    // Sensible parameters (min <= avg / 2, max >= 4 avg), as with real presets: with min and
    // max squeezed around avg, most cuts are forced by length and cannot resynchronise.
    const params = fc.integer({ min: 7, max: 11 }).chain((bits) =>
      fc.record({
        minSize: fc.integer({ min: 64, max: 2 ** (bits - 1) }),
        avgSize: fc.constant(2 ** bits),
        maxSize: fc.integer({ min: 2 ** (bits + 2), max: 2 ** (bits + 3) }),
      }),
    );
    const edit = fc.record({
      seed: fc.nat(),
      at: fc.integer({ min: 96 * KiB, max: 192 * KiB }),
      kind: fc.constantFrom("insert", "delete", "overwrite"),
      size: fc.integer({ min: 1, max: 512 }),
    });
    await fc.assert(
      fc.asyncProperty(params, edit, async (p, { seed, at, kind, size }) => {
        const data = keystream(`edit ${seed}`, 384 * KiB);
        const patch = keystream(`patch ${seed}`, size);
        const removed = kind === "insert" ? 0 : size;
        const inserted = kind === "delete" ? 0 : size;
        const edited = Buffer.concat([data.subarray(0, at), patch.subarray(0, inserted), data.subarray(at + removed)]);
        const before = await chunkBoundaries(SECRET, p, data);
        const after = await chunkBoundaries(SECRET, p, edited);
        // Chunking is causal: nothing at or before the edit can change.
        expect(after.filter((c) => c <= at)).toEqual(before.filter((c) => c <= at));
        // Past the edit, the chunkers resynchronise at the first shared content-defined cut;
        // a margin of 4 max is generous for random data.
        const margin = 4 * p.maxSize;
        const delta = inserted - removed;
        const farBefore = before.filter((c) => c > at + removed + margin).map((c) => c + delta);
        const farAfter = after.filter((c) => c > at + inserted + margin);
        expect(farAfter).toEqual(farBefore);
        expect(farAfter.length).toBeGreaterThan(0);
      }),
      runs(40),
    );
  });

  it("different secrets give different boundaries", async () => {
    const secret = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const params = { minSize: 256, avgSize: 1024, maxSize: 8192 };
    const data = keystream("secrets", 256 * KiB);
    await fc.assert(
      fc.asyncProperty(secret, secret, async (a, b) => {
        fc.pre(hex(a) !== hex(b));
        const cutsA = await chunkBoundaries(a, params, data);
        const cutsB = await chunkBoundaries(b, params, data);
        expect(cutsA).not.toEqual(cutsB);
        // Not just shifted: most boundaries differ.
        const shared = cutsB.filter((c) => cutsA.includes(c)).length;
        expect(shared).toBeLessThan(cutsA.length / 4);
      }),
      runs(20),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("streaming edge cases", () => {
  it("one byte at a time gives the one-shot cuts", async () => {
    for (const [params, length] of [
      [{ minSize: 64, avgSize: 128, maxSize: 1024 }, 48 * KiB],
      [CHUNKER_PRESETS.small, 160 * KiB],
    ] as const) {
      const data = keystream("bytewise", length);
      const want = await chunkBoundaries(SECRET, params, data);
      expect(want.length).toBeGreaterThan(10);
      expect(await streamedCuts(SECRET, params, data, [1])).toEqual(want);
    }
  });

  it("pieces larger than the 1 MiB input buffer, primes, and the whole input agree", async () => {
    const data = keystream("big pieces", 5 * MiB + 3);
    for (const params of [CHUNKER_PRESETS.small, CHUNKER_PRESETS.large]) {
      const whole = await chunkBoundaries(SECRET, params, data);
      expect(whole).toEqual(referenceCuts(SECRET, params, data));
      for (const sizes of [[1.5 * MiB], [3 * MiB, 7], [INPUT_CAPACITY], [INPUT_CAPACITY + 1, INPUT_CAPACITY - 1], [999_983, 65_521, 257]]) {
        expect(await streamedCuts(SECRET, params, data, sizes), `${sizes}`).toEqual(whole);
      }
    }
  });

  it("finish ends the stream and starts a new one; reset forgets it", async () => {
    const params = { minSize: 64, avgSize: 256, maxSize: 1024 };
    const chunker = await createChunker(SECRET, params);
    expect(chunker.params).toEqual(params);
    expect(chunker.finish()).toEqual([]);
    const data = keystream("finish", 10_000);
    const want = await chunkBoundaries(SECRET, params, data);
    for (let round = 0; round < 2; round++) {
      const cuts = [...chunker.push(data), ...chunker.finish()];
      expect(cuts).toEqual(want);
      expect(chunker.position).toBe(0);
    }
    chunker.push(data.subarray(0, 5000));
    chunker.reset();
    expect(chunker.position).toBe(0);
    expect([...chunker.push(data), ...chunker.finish()]).toEqual(want);
    // Data ending exactly on a cut leaves nothing pending.
    const exact = data.subarray(0, want[3]);
    expect(chunker.push(exact).at(-1)).toBe(want[3]);
    expect(chunker.finish()).toEqual([]);
    expect(chunker.push(new Uint8Array(0))).toEqual([]);
    expect(chunker.pushInputBuffer(0)).toEqual([]);
  });

  it("short streams: empty, shorter than min, exactly max", async () => {
    const params = { minSize: 1000, avgSize: 2048, maxSize: 3000 };
    expect(await chunkBoundaries(SECRET, params, new Uint8Array(0))).toEqual([]);
    expect(await chunkBoundaries(SECRET, params, new Uint8Array(999))).toEqual([999]);
    expect(await chunkBoundaries(SECRET, params, new Uint8Array(3000))).toEqual([3000]);
    expect(await chunkBoundaries(SECRET, params, new Uint8Array(3001))).toEqual([3000, 3001]);
  });

  it("keeps its input buffer view valid: WASM memory never grows", async () => {
    const chunker = await createChunker(SECRET, CHUNKER_PRESETS.small);
    const view = chunker.inputBuffer;
    expect(view.length).toBe(INPUT_CAPACITY);
    chunker.push(keystream("growth", 3 * MiB));
    chunker.finish();
    expect(view.byteLength).toBe(INPUT_CAPACITY); // a grown memory would have detached it
    expect(chunker.inputBuffer).toBe(view);
  });

  it("chunkers are independent instances", async () => {
    const params = CHUNKER_PRESETS.small;
    const [a, b] = await Promise.all([createChunker(SECRET, params), createChunker(keystream("other", 32), params)]);
    const data = keystream("independent", 256 * KiB);
    const cutsA: number[] = [];
    const cutsB: number[] = [];
    for (let offset = 0; offset < data.length; offset += 10_000) {
      cutsA.push(...a.push(data.subarray(offset, offset + 10_000)));
      cutsB.push(...b.push(data.subarray(offset, offset + 10_000)));
    }
    cutsA.push(...a.finish());
    cutsB.push(...b.finish());
    expect(cutsA).toEqual(await chunkBoundaries(SECRET, params, data));
    expect(cutsB).toEqual(await chunkBoundaries(keystream("other", 32), params, data));
  });
});

describe("parameters and misuse", () => {
  it("has the documented presets", () => {
    expect(CHUNKER_PRESETS.small).toEqual({ minSize: 2 * KiB, avgSize: 8 * KiB, maxSize: 64 * KiB });
    expect(CHUNKER_PRESETS.large).toEqual({ minSize: 512 * KiB, avgSize: MiB, maxSize: 8 * MiB });
    expect(Object.isFrozen(CHUNKER_PRESETS) && Object.isFrozen(CHUNKER_PRESETS.small)).toBe(true);
  });

  it("copies the parameters", async () => {
    const params = { minSize: 64, avgSize: 128, maxSize: 256 };
    const chunker = await createChunker(SECRET, params);
    params.maxSize = 1;
    expect(chunker.params).toEqual({ minSize: 64, avgSize: 128, maxSize: 256 });
    expect(Object.isFrozen(chunker.params)).toBe(true);
  });

  it("accepts the extremes of the allowed range", async () => {
    await expect(createChunker(SECRET, { minSize: 64, avgSize: 128, maxSize: 129 })).resolves.toBeDefined();
    await expect(createChunker(SECRET, { minSize: 32 * MiB - 1, avgSize: 32 * MiB, maxSize: 64 * MiB })).resolves.toBeDefined();
  });

  it("rejects bad secrets, parameters and inputs with 'expected …, got …'", async () => {
    const p = CHUNKER_PRESETS.small;
    const bad = (v: unknown) => v as never;
    await expect(createChunker(new Uint8Array(31), p)).rejects.toThrow(new RangeError("secret: expected 32 bytes, got 31"));
    await expect(createChunker(bad("x".repeat(32)), p)).rejects.toThrow(new TypeError("secret: expected Uint8Array, got string"));
    await expect(createChunker(SECRET, bad(null))).rejects.toThrow(new TypeError("params: expected an object with minSize, avgSize and maxSize, got null"));
    const cases: [Record<string, unknown>, ErrorConstructor, string][] = [
      [{ minSize: 63, avgSize: 128, maxSize: 256 }, RangeError, "params.minSize: expected 64..67108864, got 63"],
      [{ minSize: 64.5, avgSize: 128, maxSize: 256 }, TypeError, "params.minSize: expected an integer, got number"],
      [{ minSize: "64", avgSize: 128, maxSize: 256 }, TypeError, "params.minSize: expected an integer, got string"],
      [{ avgSize: 128, maxSize: 256 }, TypeError, "params.minSize: expected an integer, got undefined"],
      [{ minSize: 64, avgSize: 100, maxSize: 256 }, RangeError, "params.avgSize: expected a power of two, got 100"],
      [{ minSize: 128, avgSize: 128, maxSize: 256 }, RangeError, "params.avgSize: expected more than minSize (128), got 128"],
      [{ minSize: 64, avgSize: 128, maxSize: 128 }, RangeError, "params.maxSize: expected more than avgSize (128), got 128"],
      [{ minSize: 64, avgSize: 128, maxSize: 64 * MiB + 1 }, RangeError, "params.maxSize: expected 64..67108864, got 67108865"],
      [{ minSize: 64, avgSize: 64 * MiB, maxSize: 64 * MiB }, RangeError, "params.maxSize: expected more than avgSize (67108864), got 67108864"],
    ];
    for (const [params, type, message] of cases) {
      await expect(createChunker(SECRET, bad(params)), message).rejects.toThrow(new type(message));
    }
    const chunker = await createChunker(SECRET, p);
    expect(() => chunker.push(bad([1, 2, 3]))).toThrow(new TypeError("data: expected Uint8Array, got object"));
    expect(() => chunker.pushInputBuffer(INPUT_CAPACITY + 1)).toThrow(new RangeError(`length: expected 0..${INPUT_CAPACITY}, got ${INPUT_CAPACITY + 1}`));
    expect(() => chunker.pushInputBuffer(-1)).toThrow(RangeError);
    await expect(chunkBoundaries(SECRET, p, bad("abc"))).rejects.toThrow(TypeError);
  });
});
