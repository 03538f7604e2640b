// vitest globalSetup: the child processes (fsProcesses.test.ts) and the bare realm
// (realm.test.ts) need JavaScript, and Node 20 cannot run TypeScript. Rather than depend on a
// prior `build` (and risk testing a stale dist/), transpile src/ file by file — what the build
// emits, minus type checking, which `typecheck` does — into a temporary directory, and hand its
// path to the tests through `inject("storageJs")`.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Directory holding src/ transpiled to JavaScript (index.js, fs/index.js, …). */
    storageJs: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const out = await mkdtemp(join(tmpdir(), "cairn-storage-js-"));
  const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  for (const file of files) {
    const { outputText } = ts.transpileModule(await readFile(join(src, file), "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = join(out, file.replace(/\.ts$/, ".js"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  project.provide("storageJs", out);
  return () => rm(out, { recursive: true, force: true });
}
