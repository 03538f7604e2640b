// vitest globalSetup: the child-process tests (test/processes.test.ts) need JavaScript, and
// Node 20 cannot run TypeScript. Rather than depend on a prior `build` (and risk a stale dist/),
// transpile this package's src/ — and @cairn/core's, whose build also compiles WASM — file by
// file into .tmp/ inside this package (so bare imports like "hash-wasm" still resolve through
// node_modules), rewriting "@cairn/core" to the transpiled copy. @cairn/manifest and
// @cairn/storage come from their dist/ as usual.
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Directory holding this package's src/ transpiled to JavaScript (index.js, …). */
    repositoryJs: string;
  }
}

async function transpileTree(src: string, out: string, rewrite: (file: string, code: string) => string): Promise<void> {
  const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  for (const file of files) {
    const { outputText } = ts.transpileModule(await readFile(join(src, file), "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const target = join(out, file.replace(/\.ts$/, ".js"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, rewrite(target, outputText));
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pkg = fileURLToPath(new URL("../", import.meta.url));
  const out = join(pkg, ".tmp", `js-${process.pid}`);
  await rm(out, { recursive: true, force: true });
  await transpileTree(join(pkg, "../core/src"), join(out, "core"), (_f, code) => code);
  await transpileTree(join(pkg, "src"), join(out, "repository"), (file, code) => {
    let rel = relative(dirname(file), join(out, "core", "index.js")).replaceAll("\\", "/");
    if (!rel.startsWith(".")) rel = `./${rel}`;
    return code.replaceAll('"@cairn/core"', JSON.stringify(rel));
  });
  project.provide("repositoryJs", join(out, "repository"));
  return () => rm(out, { recursive: true, force: true });
}
