#!/usr/bin/env node
// Quick throughput check of the WASM AES engine against @noble/ciphers and node:crypto, for
// work on assembly/aes.ts and assembly/ghash.ts without building the whole package. It
// compiles src/aes.ts (and what it imports) with tsc into a temporary directory, checks every
// engine's output against node:crypto, then times 64 MiB in 1 MiB messages (median of 7, MB =
// 10^6 bytes; runs disturbed by other processes are repeated, see benchmarks/lib/harness.mjs).
//   node scripts/build-wasm.mjs && node --expose-gc scripts/bench-aes.mjs [--quick] [--filter RE] [--size BYTES]
import { execFileSync } from "node:child_process";
import { createCipheriv } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ctr as nobleCtr, gcm as nobleGcm } from "@noble/ciphers/aes.js";
import { MiB, assertEqualBytes, parseArgs, runSuite, seededBytes } from "../../../benchmarks/lib/harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = mkdtempSync(join(tmpdir(), "cairn-bench-aes-"));
try {
  execFileSync(
    join(root, "../../node_modules/.bin/tsc"),
    ["--outDir", out, "--rootDir", join(root, "src"), "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--skipLibCheck", "--noCheck", "--lib", "ES2022,DOM", "--types", "node", join(root, "src/aes.ts")],
    { stdio: "inherit" },
  );
  const { createAes } = await import(pathToFileURL(join(out, "aes.js")).href);
  await main(createAes);
} finally {
  rmSync(out, { recursive: true, force: true });
}

async function main(createAes) {
  const options = parseArgs(process.argv.slice(2).filter((a, i, all) => a !== "--size" && all[i - 1] !== "--size"));
  const sizeAt = process.argv.indexOf("--size");
  const size = sizeAt >= 0 ? Number(process.argv[sizeAt + 1]) : MiB;
  const data = seededBytes(options.bytes, 2026);
  const key = seededBytes(32, 7);
  const nonce = seededBytes(12, 8);
  const iv = seededBytes(16, 10);
  const aad = seededBytes(32, 9);
  const messages = Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size));

  const nodeSeal = (m) => {
    const c = createCipheriv("aes-256-gcm", key, nonce);
    c.setAAD(aad);
    const ct = c.update(m);
    c.final();
    return Buffer.concat([ct, c.getAuthTag()]);
  };
  const nodeCtr = (m) => createCipheriv("aes-256-ctr", key, iv).update(m);
  const sealed = messages.map(nodeSeal);
  const wasm = await createAes("wasm");

  const aeadCase = (name, seal, reference = sealed, inputs = messages) => ({
    name,
    bytes: data.length,
    async check() {
      for (let i = 0; i < inputs.length; i += 5) assertEqualBytes(await seal(inputs[i]), reference[i], `${name} message ${i}`);
    },
    async run() {
      for (const m of inputs) await seal(m);
    },
  });

  const cases = [
    aeadCase("gcm-seal.wasm", (m) => wasm.seal(key, nonce, m, aad)),
    aeadCase("gcm-open.wasm", (c) => wasm.open(key, nonce, c, aad), messages, sealed),
    aeadCase("ctr.wasm", (m) => wasm.ctr(key, iv, m), messages.map(nodeCtr)),
    aeadCase("gcm-seal.noble", (m) => nobleGcm(key, nonce, aad).encrypt(m)),
    aeadCase("ctr.noble", (m) => nobleCtr(key, iv).encrypt(m), messages.map(nodeCtr)),
    aeadCase("gcm-seal.node", (m) => nodeSeal(m)),
    aeadCase("ctr.node", (m) => nodeCtr(m), messages.map(nodeCtr)),
  ];
  console.log(`AES-256 throughput, ${options.bytes / MiB} MiB in ${size}-byte messages, median of ${options.runs} (MB = 10^6 bytes), node ${process.version}`);
  await runSuite(cases, options);
}
