// Loads the built package (dist/) into a fresh V8 realm that has only what a browser page has:
// the JavaScript built-ins (WebAssembly included), TextEncoder/TextDecoder, console and, when
// asked, Web Crypto. No process, Buffer, require, fs or node: modules exist there, so if any
// code path of @cairn/core touched one, this run would fail.
// Usage: node --experimental-vm-modules test/realm-runner.mjs [--with-webcrypto]
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const withWebCrypto = process.argv.includes("--with-webcrypto");

const sandbox = { TextEncoder, TextDecoder, console: { log: console.log, error: console.error } };
if (withWebCrypto) sandbox.crypto = globalThis.crypto;
const context = vm.createContext(sandbox);

const cache = new Map();
async function load(path) {
  let module = cache.get(path);
  if (module) return module;
  module = new vm.SourceTextModule(await readFile(path, "utf8"), { context, identifier: path });
  cache.set(path, module);
  return module;
}
async function link(specifier, referencing) {
  if (!specifier.startsWith(".")) throw new Error(`realm: ${referencing.identifier} imports '${specifier}', which a browser could not resolve`);
  return load(resolve(dirname(referencing.identifier), specifier));
}

const entry = await load(join(dist, "index.js"));
await entry.link(link);
await entry.evaluate();

// The probe runs inside the realm and reports plain data back.
const probe = new vm.SourceTextModule(
  `
  import * as core from ${JSON.stringify(join(dist, "index.js"))};
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  const out = {
    globals: { process: typeof process, Buffer: typeof Buffer, require: typeof require },
    aesEngines: core.availableAesEngines(),
    blobIdEngines: core.availableBlobIdEngines(),
  };
  const key = new Uint8Array(32).map((_, i) => i);
  const nonce = new Uint8Array(12).map((_, i) => 100 + i);
  const data = new Uint8Array(100000).map((_, i) => (i * 7) & 255);
  const aes = await core.createAes("auto");
  out.aesEngine = aes.engine;
  const sealed = await aes.seal(key, nonce, data, new Uint8Array([1, 2, 3]));
  out.sealed = hex(sealed.subarray(sealed.length - 32));
  out.roundTrip = hex(await aes.open(key, nonce, sealed, new Uint8Array([1, 2, 3]))) === hex(data);
  try { sealed[5] ^= 1; await aes.open(key, nonce, sealed, new Uint8Array([1, 2, 3])); out.tamper = "accepted"; }
  catch (e) { out.tamper = e.name; }
  const ids = await core.createBlobIdHasher(key, "auto");
  out.blobIdEngine = ids.engine;
  out.blobId = hex(await ids.digest(data));
  out.cuts = await core.chunkBoundaries(key, core.CHUNKER_PRESETS.small, data);
  globalThis.__result = JSON.stringify(out);
  `,
  { context, identifier: join(dist, "realm-probe.js") },
);
await probe.link(async (specifier) => (specifier === join(dist, "index.js") ? entry : link(specifier, probe)));
await probe.evaluate();
process.stdout.write(context.__result + "\n");
