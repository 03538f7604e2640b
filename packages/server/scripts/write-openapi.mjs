// Writes packages/server/openapi.json from the routes a real server registers.
// Run after a build: `pnpm --filter @cairn/server build && pnpm --filter @cairn/server openapi`.
// test/openapi.test.ts fails when the committed file differs from what the server serves.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "../dist/index.js";

const dataDir = mkdtempSync(join(tmpdir(), "cairn-openapi-"));
const server = await createServer({ dataDir, database: ":memory:", startScheduler: false });
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "openapi.json");
writeFileSync(out, `${JSON.stringify(server.openapi(), null, 2)}\n`);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(`wrote ${out}`);
