// The package-boundary rules of STYLE.md live in the root eslint.config.js. These tests lint
// small snippets as if they were files at given paths, so a config change that silently
// disables a rule fails here.
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("lint boundary rules", () => {
  it.each(["core", "manifest", "repository", "storage", "restore-planner", "api-client"])("%s (browser-safe) may not import Node built-ins or use Node globals", async (pkg) => {
    const found = await problems(
      `packages/${pkg}/src/x.ts`,
      `import { readFile } from "node:fs";\nimport path from "path";\nexport const y = [readFile, path, Buffer.from("a"), process.env];\n`,
    );
    expect(found.filter((p) => p.startsWith("no-restricted-imports"))).toHaveLength(2);
    expect(found.filter((p) => p.startsWith("no-restricted-globals"))).toHaveLength(2);
  });

  it("allows Node built-ins in browser-safe packages' tests and in the storage fs backend", async () => {
    expect(await problems("packages/core/src/x.test.ts", `import { readFile } from "node:fs";\nexport const y = readFile;\n`)).toEqual([]);
    expect(await problems("packages/storage/src/fs/x.ts", `import { readFile } from "node:fs";\nexport const y = readFile;\n`)).toEqual([]);
  });

  it("allows Node built-ins in Node-only packages", async () => {
    expect(await problems("packages/server/src/x.ts", `import { readFile } from "node:fs";\nexport const y = readFile;\n`)).toEqual([]);
  });

  it("forbids deep imports into another package's src/ or internal/", async () => {
    for (const spec of ["@cairn/core/src/aes.js", "@cairn/core/internal/x.js", "../../core/src/aes.js"]) {
      const found = await problems("packages/repository/src/x.ts", `import { x } from "${spec}";\nexport const y = x;\n`);
      expect(found, spec).toHaveLength(1);
      expect(found[0]).toMatch(/public entry/);
    }
  });

  it("forbids packages importing apps", async () => {
    const found = await problems("packages/engine/src/x.ts", `import { x } from "../../../apps/cli/src/main.js";\nexport const y = x;\n`);
    expect(found.some((p) => p.includes("Packages never import apps"))).toBe(true);
  });

  it("accepts a package's own relative imports and other packages' public entries", async () => {
    expect(await problems("packages/repository/src/x.ts", `import { createAes } from "@cairn/core";\nimport { z } from "./internal/z.js";\nexport const y = [createAes, z];\n`)).toEqual([]);
  });
});
