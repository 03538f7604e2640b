// Loads the built package (dist/) into a fresh V8 realm that has only what a browser page has:
// the JavaScript built-ins, TextEncoder/TextDecoder and console. No process, Buffer, require,
// fs or node: modules exist there, so if any code path of @cairn/manifest touched one, this
// run would fail. Usage: node --experimental-vm-modules test/realm-runner.mjs
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
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
  if (!specifier.startsWith(".")) throw new Error(`realm: ${referencing.identifier} imports '${specifier}', which a browser could not resolve`);
  return load(resolve(dirname(referencing.identifier), specifier));
}

const entry = await load(join(dist, "index.js"));
await entry.link(link);
await entry.evaluate();

// The probe runs inside the realm and reports plain data back.
const probe = new vm.SourceTextModule(
  `
  import * as m from ${JSON.stringify(join(dist, "index.js"))};
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  const u = (s) => new TextEncoder().encode(s);
  const id = m.parseTreeId("33".repeat(32));
  const node = { name: Uint8Array.of(0x72, 0xe9, 0x73), type: "file", mode: 0o644, uid: 1, gid: 2, user: "a", group: null, mtimeNs: -5n, ctimeNs: 5n,
    atimeNs: null, inode: 7n, deviceId: null, links: 2, xattrs: [], size: 10n, content: [{ kind: "data", id: m.parseBlobId("11".repeat(32)), length: 4 }, ...m.holeEntries(6n)] };
  const tree = m.encodeTree(m.createTree([node, { ...node, name: u("dir"), type: "dir", size: undefined, content: undefined, subtree: id }]));
  const snapshot = m.encodeSnapshot({ timeNs: 1n, host: "h", agentId: null, configurationId: null, paths: [u("/")], tags: [], parent: null, tree: id, excludes: [],
    programVersion: "p", stats: { filesNew: 0, filesChanged: 0, filesUnmodified: 0, dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0, dataBlobsAdded: 0, treeBlobsAdded: 0,
    bytesAdded: 0n, bytesAddedStored: 0n, filesProcessed: 0, bytesProcessed: 0n }, errorCount: 0, errors: [] });
  const out = {
    globals: { process: typeof process, Buffer: typeof Buffer, require: typeof require },
    tree: hex(tree),
    snapshot: hex(snapshot),
    roundTrip: hex(m.encodeTree(m.decodeTree(tree))) === hex(tree),
    escaped: m.escapeName(Uint8Array.of(0x61, 0xff, 0x5c)),
    joined: hex(m.joinSafe("/t", "a/b")),
  };
  try { m.decodeTree(tree.subarray(0, 20)); out.rejected = "accepted"; } catch (e) { out.rejected = e.name + ": " + e.message; }
  globalThis.__result = JSON.stringify(out);
  `,
  { context, identifier: join(dist, "realm-probe.js") },
);
await probe.link(async (specifier) => (specifier === join(dist, "index.js") ? entry : link(specifier, probe)));
await probe.evaluate();
process.stdout.write(context.__result + "\n");
