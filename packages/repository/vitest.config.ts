import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // @cairn/core is resolved to its sources, not its dist/: its build also compiles WASM, and
    // testing against the sources keeps these tests independent of whether that build ran.
    alias: { "@cairn/core": fileURLToPath(new URL("../core/src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Child-process tests (concurrent writers, killed writers and prunes) run src/ transpiled to
    // JavaScript (see test/transpile.ts).
    globalSetup: ["test/transpile.ts"],
    testTimeout: 120_000,
    pool: "forks",
  },
});
