// Loads the main entry (index.js) and the fault-injection module into a fresh V8
// realm that has only what a browser page has: the JavaScript built-ins, TextEncoder/Decoder,
// timers and console. No process, Buffer, require, fs or node: modules exist there, and only
// relative imports resolve, so if the browser-safe entry reached for any of them (including
// by importing the ./fs entry), this run would fail. Prints one JSON line of results.
// Usage: node --experimental-vm-modules test/realm-runner.mjs <directory of the package's JavaScript>
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import vm from "node:vm";

const dist = process.argv[2];
const sandbox = { TextEncoder, TextDecoder, setTimeout, clearTimeout, console: { log: console.log, error: console.error } };
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

const entries = { storage: join(dist, "index.js"), faults: join(dist, "testing", "faults.js") };
for (const path of Object.values(entries)) {
  const module = await load(path);
  await module.link(link);
  await module.evaluate();
}

const probe = new vm.SourceTextModule(
  `
  import * as storage from ${JSON.stringify(entries.storage)};
  import { withFaults } from ${JSON.stringify(entries.faults)};
  const out = { globals: { process: typeof process, Buffer: typeof Buffer, require: typeof require } };
  const memory = new storage.MemoryStorage();
  const text = new TextEncoder().encode("hello, browser");
  await memory.put("snapshots/s1", text);
  out.roundTrip = new TextDecoder().decode(await memory.get("snapshots/s1"));
  out.range = new TextDecoder().decode(await memory.get("snapshots/s1", { offset: 7, length: 7 }));
  out.errors = [];
  for (const attempt of [() => memory.put("snapshots/s1", text), () => memory.get("missing"), () => memory.get("snapshots/s1", { offset: 10, length: 10 }), () => memory.get("../up")]) {
    out.errors.push(await attempt().then(() => "resolved", (e) => e.name));
  }
  const faulty = withFaults(memory, { seed: 3, rules: [{ fault: { kind: "fail-before" }, probability: 0.5 }] });
  const retrying = storage.withRetry(faulty, { attempts: 30, baseDelayMs: 0, maxDelayMs: 1 });
  for (let i = 0; i < 20; i++) await retrying.put("data/" + String(i).padStart(2, "0"), new Uint8Array([i]));
  const keys = [];
  for await (const info of retrying.list("data/")) keys.push(info.key);
  out.listed = keys.length;
  out.injected = faulty.injected.length;
  globalThis.__result = JSON.stringify(out);
  `,
  { context, identifier: join(dist, "realm-probe.js") },
);
await probe.link(async (specifier) => cache.get(specifier) ?? link(specifier, probe));
await probe.evaluate();
process.stdout.write(context.__result + "\n");
