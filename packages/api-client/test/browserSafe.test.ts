// The built client must not touch Node: no node: imports, no process/Buffer/require.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const dist = new URL("../dist/", import.meta.url).pathname;

describe("browser safety of the build", () => {
  it("has no Node built-ins or globals in dist", () => {
    const files = readdirSync(dist, { recursive: true }).map(String).filter((f) => f.endsWith(".js"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const code = readFileSync(join(dist, f), "utf8").replace(/\/\/.*$/gm, "");
      expect(code, f).not.toMatch(/from\s+["']node:|require\(|\bprocess\.|\bBuffer\b|__dirname/);
    }
  });
});
