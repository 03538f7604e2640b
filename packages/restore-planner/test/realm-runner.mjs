// Loads the built package (dist/) and its one dependency (@cairn/manifest's dist/) into a fresh
// V8 realm that has only what a browser page has: the JavaScript built-ins, TextEncoder /
// TextDecoder and console. No process, Buffer, require, fs or node: modules exist there, so a
// code path of the planner that touched one would fail here. The probe plans a small restore
// from plain data and prints the plan as JSON.
// Usage: node --experimental-vm-modules test/realm-runner.mjs
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const bare = { "@cairn/manifest": fileURLToPath(import.meta.resolve("@cairn/manifest")) };
const context = vm.createContext({ TextEncoder, TextDecoder, console: { log: console.log, error: console.error } });

const cache = new Map();
async function load(path) {
  let module = cache.get(path);
  if (module) return module;
  module = new vm.SourceTextModule(await readFile(path, "utf8"), { context, identifier: path });
  cache.set(path, module);
  return module;
}
async function link(specifier, referencing) {
  if (bare[specifier]) return load(bare[specifier]);
  if (!specifier.startsWith(".")) throw new Error(`realm: ${referencing.identifier} imports '${specifier}', which a browser could not resolve`);
  return load(resolve(dirname(referencing.identifier), specifier));
}

const entry = await load(join(dist, "index.js"));
await entry.link(link);
await entry.evaluate();

const probe = new vm.SourceTextModule(
  `
  import * as p from ${JSON.stringify(join(dist, "index.js"))};
  const u = (s) => new TextEncoder().encode(s);
  const id = (n) => "b1" + n.toString(16).padStart(62, "0");
  const base = (name) => ({ name: u(name), mode: 0o644, uid: 1, gid: 2, user: null, group: null, mtimeNs: 5n, ctimeNs: 5n, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] });
  const entries = [
    { path: u("d"), node: { ...base("d"), type: "dir", subtree: id(9) } },
    { path: u("d/f"), node: { ...base("f"), type: "file", size: 300n, content: [{ kind: "data", id: id(1), length: 100 }, { kind: "hole", length: 100 }, { kind: "data", id: id(2), length: 100 }] } },
    { path: u("d/l"), node: { ...base("l"), type: "symlink", linkTarget: u("../x") } },
  ];
  const inventory = [{ path: u("d"), type: "dir", size: 0n, mtimeNs: 1n, mode: 0o700, uid: 1, gid: 2, links: 2 }, { path: u("d/old"), type: "file", size: 3n, mtimeNs: 1n, mode: 0o644, uid: 1, gid: 2, links: 1 }];
  const locate = (blob) => ({ packId: "p".padEnd(64, "0"), offset: 40 + 200 * parseInt(blob.slice(2), 16), length: 116 });
  const plan = p.planRestore({ entries, inventory, locate, options: { delete: true, selection: { exclude: ["*.tmp"] } } });
  const out = { globals: { process: typeof process, Buffer: typeof Buffer, require: typeof require }, plan };
  try { p.planRestore({ entries: [{ path: u("../x"), node: base("x") }], locate }); } catch (e) { out.rejected = e.name + ": " + e.message; }
  globalThis.__result = JSON.stringify(out);
  `,
  { context, identifier: join(dist, "realm-probe.js") },
);
await probe.link(async (specifier) => (specifier === join(dist, "index.js") ? entry : link(specifier, probe)));
await probe.evaluate();
process.stdout.write(context.__result + "\n");
