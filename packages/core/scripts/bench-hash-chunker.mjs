#!/usr/bin/env node
// Quick throughput check of the WASM chunker and SHA-256/HMAC engine, for work on
// assembly/chunker.ts and assembly/sha256.ts without building the whole package. It compiles
// src/chunker.ts and src/internal/sha256Wasm.ts with tsc into a temporary directory, checks
// every result (streamed cuts = one-shot cuts; digests = node:crypto), then times a seeded
// 64 MiB input (median of 7, MB = 10^6 bytes; runs disturbed by other processes are repeated,
// see benchmarks/lib/harness.mjs). hash-wasm, the comparison, comes from @cairn/benchmarks.
//   node scripts/build-wasm.mjs && node --expose-gc scripts/bench-hash-chunker.mjs [--quick] [--filter RE]
import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MiB, assertEqualBytes, parseArgs, printRatios, runSuite, seededBytes } from "../../../benchmarks/lib/harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "cairn-bench-hash-chunker-"));
try {
  execFileSync(
    join(root, "../../node_modules/.bin/tsc"),
    ["--outDir", out, "--rootDir", join(root, "src"), "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--skipLibCheck", "--noCheck", "--lib", "ES2022,DOM", "--types", "node", join(root, "src/chunker.ts"), join(root, "src/internal/sha256Wasm.ts")],
    { stdio: "inherit" },
  );
  const core = await import(pathToFileURL(join(out, "chunker.js")).href);
  const { loadWasmSha256 } = await import(pathToFileURL(join(out, "internal/sha256Wasm.js")).href);
  const hashWasm = await import(createRequire(join(root, "../../benchmarks/package.json")).resolve("hash-wasm")).catch(() => null);
  await main(core, await loadWasmSha256(), hashWasm);
} finally {
  rmSync(out, { recursive: true, force: true });
}

async function main({ CHUNKER_PRESETS, chunkBoundaries, createChunker }, wasm, hashWasm) {
  const options = parseArgs();
  const data = seededBytes(options.bytes, 2026);
  const secret = seededBytes(32, 7);
  const pieces = (size) => Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));
  const oneMiB = pieces(MiB);
  const eightKiB = pieces(8192);

  const chunkerCase = async (name, params, zeroCopy) => {
    const chunker = await createChunker(secret, params);
    const stream = () => {
      const cuts = [];
      for (const p of oneMiB) {
        if (zeroCopy) {
          chunker.inputBuffer.set(p); // stands in for fs.read into the buffer
          cuts.push(...chunker.pushInputBuffer(p.length));
        } else {
          cuts.push(...chunker.push(p));
        }
      }
      cuts.push(...chunker.finish());
      return cuts;
    };
    return {
      name,
      bytes: data.length,
      async check() {
        const want = await chunkBoundaries(secret, params, data);
        const got = stream();
        if (got.join() !== want.join()) throw new Error(`${name}: streamed cuts differ from one-shot`);
      },
      run: stream,
    };
  };
  const digestCase = (name, digest, inputs, reference) => ({
    name,
    bytes: data.length,
    check() {
      for (let i = 0; i < inputs.length; i += Math.max(1, inputs.length >> 5)) assertEqualBytes(digest(inputs[i]), reference(inputs[i]), `${name} input ${i}`);
    },
    run() {
      for (const m of inputs) digest(m);
    },
  });
  const nodeSha256 = (m) => createHash("sha256").update(m).digest();
  const hmac = wasm.createHmacSha256(secret);
  const nodeHmac = (m) => createHmac("sha256", secret).update(m).digest();

  const cases = [
    await chunkerCase("chunker.large", CHUNKER_PRESETS.large, false),
    await chunkerCase("chunker.large.zero-copy", CHUNKER_PRESETS.large, true),
    await chunkerCase("chunker.small", CHUNKER_PRESETS.small, false),
    await chunkerCase("chunker.small.zero-copy", CHUNKER_PRESETS.small, true),
    {
      name: "sha256.node",
      bytes: data.length,
      check() {
        const h = createHash("sha256");
        for (const m of oneMiB) h.update(m);
        assertEqualBytes(h.digest(), nodeSha256(data), "sha256.node");
      },
      run() {
        const h = createHash("sha256");
        for (const m of oneMiB) h.update(m);
        h.digest();
      },
    },
    digestCase("sha256.wasm", (m) => wasm.sha256(m), [data], nodeSha256),
    digestCase("sha256.wasm.8k", (m) => wasm.sha256(m), eightKiB, nodeSha256),
    digestCase("hmac.wasm.8k", (m) => hmac.digest(m), eightKiB, nodeHmac),
    digestCase("hmac.node.8k", nodeHmac, eightKiB, nodeHmac),
  ];
  if (hashWasm) {
    const h = await hashWasm.createSHA256();
    const digest = (m) => {
      h.init();
      h.update(m);
      return h.digest("binary");
    };
    cases.push(digestCase("sha256.hash-wasm", digest, [data], nodeSha256), digestCase("sha256.hash-wasm.8k", digest, eightKiB, nodeSha256));
  }

  console.log(`chunker and SHA-256 throughput, ${options.bytes / MiB} MiB seeded input, median of ${options.runs} (MB = 10^6 bytes), node ${process.version}`);
  const results = await runSuite(cases, options);
  printRatios(results, [
    ["chunker.large", "sha256.node", 1.2],
    ["sha256.wasm", "sha256.hash-wasm", 1.0],
    ["sha256.wasm.8k", "sha256.hash-wasm.8k", 1.0],
  ]);
}
