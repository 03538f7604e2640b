import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Child-process and bare-realm tests run src/ transpiled to JavaScript (see test/transpile.ts).
    globalSetup: ["test/transpile.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
