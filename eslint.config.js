// Lint: typescript-eslint's recommended rules plus Cairn's package-boundary rules (STYLE.md):
//  - browser-safe packages import no Node built-ins and use no Node globals;
//  - nobody reaches into another package's src/ or internal/ (use its public entry);
//  - packages never import apps.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const browserSafe = ["core", "manifest", "repository", "storage", "restore-planner", "api-client"];
// Node-only corners of otherwise browser-safe packages (documented in each package README).
const nodeOnlyCorners = ["packages/storage/src/fs/**"];

const nodeBuiltins = [
  "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "crypto", "dgram", "diagnostics_channel",
  "dns", "events", "fs", "fs/promises", "http", "http2", "https", "inspector", "module", "net", "os", "path",
  "perf_hooks", "process", "querystring", "readline", "stream", "stream/promises", "string_decoder", "timers",
  "tls", "tty", "url", "util", "v8", "vm", "worker_threads", "zlib",
];

const deepImportPatterns = [
  { group: ["@cairn/*/src", "@cairn/*/src/**", "@cairn/*/internal", "@cairn/*/internal/**", "@cairn/*/dist/**"], message: "Import another package through its public entry (@cairn/<name>), never its src/, internal/ or dist/." },
  { group: ["**/packages/*/src/**", "../../*/src/**", "../../../*/src/**"], message: "Import another package through its public entry (@cairn/<name>), not by a relative path into its sources." },
  { group: ["**/apps/**"], message: "Packages never import apps." },
];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/build/**", "**/*.generated.ts", "**/assembly/**", "**/.turbo/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": ["error", { patterns: deepImportPatterns }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js", "**/scripts/**", "benchmarks/**", "**/*.test.ts", "**/test/**"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: browserSafe.map((p) => `packages/${p}/src/**/*.ts`),
    ignores: ["**/*.test.ts", ...nodeOnlyCorners],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: nodeBuiltins.map((name) => ({ name, message: "Browser-safe package: no Node built-ins (use Uint8Array, TextEncoder, Web Crypto, an injected fetch)." })),
          patterns: [...deepImportPatterns, { group: ["node:*"], message: "Browser-safe package: no Node built-ins (use Uint8Array, TextEncoder, Web Crypto, an injected fetch)." }],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "Buffer", message: "Browser-safe package: use Uint8Array." },
        { name: "process", message: "Browser-safe package: no Node globals (see core/src/internal/platform.ts for run-time detection)." },
        { name: "require", message: "Browser-safe package: ESM imports only." },
        { name: "__dirname", message: "Browser-safe package: no Node globals." },
        { name: "__filename", message: "Browser-safe package: no Node globals." },
        { name: "global", message: "Use globalThis." },
      ],
    },
  },
);
