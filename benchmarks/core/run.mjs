#!/usr/bin/env node
// The @cairn/core throughput suite (issue 2). Every case processes the same seeded input
// (64 MiB, 16 MiB with --quick) and checks its result against an independent implementation
// before it is timed. Run: pnpm bench:core [--json] [--quick] [--filter REGEX]
import { createCipheriv, createHash, createHmac } from "node:crypto";
import { gcm } from "@noble/ciphers/aes.js";
import { createBLAKE3 } from "hash-wasm";
import { CHUNKER_PRESETS, chunkBoundaries, createAes, createBlobIdHasher, createChunker } from "@cairn/core";
import { MiB, assertEqualBytes, parseArgs, printRatios, runSuite, seededBytes } from "../lib/harness.mjs";

const options = parseArgs();
const data = seededBytes(options.bytes, 2026);
const key = seededBytes(32, 7);
const nonce = seededBytes(12, 8);
const aad = seededBytes(32, 9);

/** The input cut into messages of `size` bytes (views, no copies). */
const messages = (size) => Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));
const oneMiB = messages(MiB);
const eightKiB = messages(8 * 1024);

function nodeSeal(m) {
  const c = createCipheriv("aes-256-gcm", key, nonce);
  c.setAAD(aad);
  const ct = c.update(m);
  c.final();
  return [ct, c.getAuthTag()];
}
const reference = oneMiB.map((m) => Buffer.concat(nodeSeal(m)));

async function aeadCase(name, seal) {
  return {
    name,
    bytes: data.length,
    async check() {
      for (let i = 0; i < oneMiB.length; i += 7) assertEqualBytes(await seal(oneMiB[i]), reference[i], `${name} message ${i}`);
    },
    async run() {
      for (const m of oneMiB) await seal(m);
    },
  };
}

function chunkerCase(name, params) {
  let expected;
  return {
    name,
    bytes: data.length,
    async check() {
      expected = await chunkBoundaries(key, params, data);
      const got = await streamCuts();
      if (got.length !== expected.length || got.some((c, i) => c !== expected[i])) throw new Error(`${name}: streaming cuts differ from one-shot`);
      let prev = 0;
      for (const [i, c] of expected.entries()) {
        const len = c - prev;
        if (len > params.maxSize || (len < params.minSize && i < expected.length - 1)) throw new Error(`${name}: chunk ${i} has length ${len}`);
        prev = c;
      }
    },
    run: streamCuts,
  };
  async function streamCuts() {
    const chunker = chunkerFor.get(params);
    const cuts = [];
    for (const m of oneMiB) cuts.push(...chunker.push(m));
    cuts.push(...chunker.finish());
    return cuts;
  }
}
const chunkerFor = new Map();
for (const p of [CHUNKER_PRESETS.large, CHUNKER_PRESETS.small]) chunkerFor.set(p, await createChunker(key, p));

function blobIdCase(name, hasher, pieces) {
  return {
    name,
    bytes: data.length,
    async check() {
      for (let i = 0; i < pieces.length; i += Math.max(1, pieces.length >> 6)) {
        assertEqualBytes(await hasher.digest(pieces[i]), createHmac("sha256", key).update(pieces[i]).digest(), `${name} piece ${i}`);
      }
    },
    async run() {
      for (const p of pieces) await hasher.digest(p);
    },
  };
}

const cases = [
  chunkerCase("chunker.wasm.large", CHUNKER_PRESETS.large),
  chunkerCase("chunker.wasm.small", CHUNKER_PRESETS.small),
  {
    name: "sha256.node",
    bytes: data.length,
    check() {
      const h = createHash("sha256");
      for (const m of oneMiB) h.update(m);
      assertEqualBytes(h.digest(), createHash("sha256").update(data).digest(), "sha256.node");
    },
    run() {
      const h = createHash("sha256");
      for (const m of oneMiB) h.update(m);
      h.digest();
    },
  },
  await aeadCase("aesgcm.wasm", ((aes) => (m) => aes.seal(key, nonce, m, aad))(await createAes("wasm"))),
  {
    name: "aesgcm.node",
    bytes: data.length,
    check() {
      for (let i = 0; i < oneMiB.length; i += 7) assertEqualBytes(Buffer.concat(nodeSeal(oneMiB[i])), reference[i], `aesgcm.node message ${i}`);
    },
    run() {
      for (const m of oneMiB) nodeSeal(m);
    },
  },
  // As the pack writer calls it: into a reused output buffer (D2 in docs/decisions.md).
  await aeadCase("aesgcm.auto", ((aes, out) => (m) => aes.seal(key, nonce, m, aad, out))(await createAes("auto"), new Uint8Array(MiB + 16))),
  // A fresh result per call (the convenience form): the allocation is what costs here.
  await aeadCase("aesgcm.auto.alloc", ((aes) => (m) => aes.seal(key, nonce, m, aad))(await createAes("auto"))),
  await aeadCase("aesgcm.webcrypto", ((aes) => (m) => aes.seal(key, nonce, m, aad))(await createAes("webcrypto"))),
  await aeadCase("aesgcm.noble", (m) => gcm(key, nonce, aad).encrypt(m)),
  blobIdCase("blobid.auto", await createBlobIdHasher(key, "auto"), oneMiB),
  blobIdCase("blobid.auto.8k", await createBlobIdHasher(key, "auto"), eightKiB),
  blobIdCase("blobid.wasm", await createBlobIdHasher(key, "wasm"), oneMiB),
  blobIdCase("blobid.webcrypto", await createBlobIdHasher(key, "webcrypto"), oneMiB),
  await (async () => {
    // Keyed BLAKE3 (hash-wasm, the fastest BLAKE3 available to JS), the alternative blob-ID hash.
    const blake3 = await createBLAKE3(256, key);
    return {
      name: "blobid.blake3-wasm",
      bytes: data.length,
      check() {
        blake3.init();
        blake3.update(oneMiB[0]);
        const a = blake3.digest("binary");
        blake3.init();
        blake3.update(oneMiB[0]);
        assertEqualBytes(blake3.digest("binary"), a, "blake3 determinism");
      },
      run() {
        for (const m of oneMiB) {
          blake3.init();
          blake3.update(m);
          blake3.digest("binary");
        }
      },
    };
  })(),
];

if (!options.json) console.log(`@cairn/core throughput, ${options.bytes / MiB} MiB seeded input, median of ${options.runs} runs (MB = 10^6 bytes), node ${process.version}`);
const results = await runSuite(cases, options);
if (!options.json) printRatios(
  results,
  [
    ["chunker.wasm.large", "sha256.node", 1.2],
    ["aesgcm.wasm", "aesgcm.noble", 1.5],
    ["aesgcm.auto", "aesgcm.node", 0.9],
  ],
);
