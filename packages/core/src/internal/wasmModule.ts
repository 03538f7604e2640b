// Loads @cairn/core's WebAssembly modules: each is decoded and compiled once per realm,
// asynchronously, then instantiated as often as callers need their own memory (a chunker per
// stream, one AEAD engine per process). Uses only what every JS realm has: no fs, no fetch,
// no Node globals, so the same code runs in Node, browsers, workers and a bare `vm` context.
import { aeadWasmBase64 } from "./wasm/aead.generated.js";
import { chunkerWasmBase64 } from "./wasm/chunker.generated.js";
import { hashWasmBase64 } from "./wasm/hash.generated.js";
import { decodeBase64 } from "./base64.js";

export type CoreModuleName = "aead" | "chunker" | "hash";

const sources: Record<CoreModuleName, string> = {
  aead: aeadWasmBase64,
  chunker: chunkerWasmBase64,
  hash: hashWasmBase64,
};

const compiled = new Map<CoreModuleName, Promise<WebAssembly.Module>>();

/** Compiles the named module the first time it is asked for; later calls share the result. */
export function compileCoreModule(name: CoreModuleName): Promise<WebAssembly.Module> {
  let module = compiled.get(name);
  if (module === undefined) {
    module = WebAssembly.compile(decodeBase64(sources[name]));
    compiled.set(name, module);
    // A failed compile is not cached, so a later call can retry.
    module.catch(() => compiled.delete(name));
  }
  return module;
}

/**
 * A fresh instance (its own linear memory) of the named module. AssemblyScript's only import
 * is `env.abort`, which we turn into a real Error carrying the message and source position.
 */
export async function instantiateCoreModule<Exports>(name: CoreModuleName): Promise<Exports & { memory: WebAssembly.Memory }> {
  const module = await compileCoreModule(name);
  const state: { memory?: WebAssembly.Memory } = {};
  const imports = {
    env: {
      abort(messagePtr: number, filePtr: number, line: number, column: number): never {
        const text = (ptr: number) => (state.memory && ptr ? readAsString(state.memory, ptr) : "?");
        throw new Error(`@cairn/core ${name}.wasm aborted: ${text(messagePtr)} at ${text(filePtr)}:${line}:${column}`);
      },
    },
  };
  const instance = await WebAssembly.instantiate(module, imports);
  const exports = instance.exports as Exports & { memory: WebAssembly.Memory };
  state.memory = exports.memory;
  return exports;
}

/** Reads an AssemblyScript string (UTF-16, length in bytes stored just before the data). */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  const byteLength = new Uint32Array(memory.buffer, ptr - 4, 1)[0] ?? 0;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, byteLength >>> 1));
}
