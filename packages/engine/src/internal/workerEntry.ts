// Where a worker thread's entry script is. Built code runs `dist/…/x.js` beside the module that
// starts it; tests run the TypeScript sources (vitest), where `src/…/x.js` does not exist, so the
// built file of the same name under `dist/` is used instead (build first).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The URL of worker script `relative` (e.g. "./worker/backupWorker.js") next to `base`
 * (the caller's `import.meta.url`).
 * @throws {Error} if neither the file nor its built copy exists.
 */
export function workerEntry(relative: string, base: string): URL {
  const here = new URL(relative, base);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = fileURLToPath(here).replace(/\/src\/((?:[^/]+\/)*[^/]+\.js)$/, "/dist/$1");
  if (existsSync(dist)) return pathToFileURL(dist);
  throw new Error(`worker script not found at ${fileURLToPath(here)} (build @cairn/engine first)`);
}
