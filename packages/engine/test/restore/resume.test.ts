// A restore killed with SIGKILL in the middle, then run again: what the killed run left is
// consistent (every final name holds a complete file; the rest are temporary files), and the
// rerun finishes the job exactly, without fetching again what was already complete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { openRepository } from "@cairn/repository";
import type { Storage } from "@cairn/storage";
import { FileSystemStorage } from "@cairn/storage/fs";
import { restore } from "../../src/index.js";
import { expectTree, newRepo, noise, PASSWORD, sandbox, saveSnapshot, type Sandbox, type Spec } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
let js: string;

/** src/restore (and the src/internal it uses) as JavaScript, inside the package (so @cairn/* resolve from its node_modules). */
beforeAll(async () => {
  const out = await fs.mkdtemp(join(here, ".js-"));
  for (const part of ["restore", "internal"]) {
    const src = join(here, "../../src", part);
    for (const file of (await fs.readdir(src, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const { outputText } = ts.transpileModule(await fs.readFile(join(src, file), "utf8"), { fileName: file, compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
      await fs.mkdir(dirname(join(out, part, file)), { recursive: true });
      await fs.writeFile(join(out, part, file.replace(/\.ts$/, ".js")), outputText);
    }
  }
  js = join(out, "restore");
});
afterAll(async () => {
  await fs.rm(dirname(js), { recursive: true, force: true });
});

const files: Spec[] = Array.from({ length: 40 }, (_, i) => ({ name: `f${String(i).padStart(2, "0")}`, type: "file", data: [noise(i, 20_000 + i * 500)], chunk: 8_000 }));
const tree: Spec[] = [{ name: "dir", type: "dir", mode: 0o750, children: files }, { name: "big", type: "file", data: [noise(99, 400_000), { hole: 2 << 20 }], chunk: 16_000 }];

function runChild(box: Sandbox, snapshotId: string, delayMs: number, killWhenStarted: boolean): Promise<"killed" | "finished"> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "restoreChild.mjs"), box.repoDir, PASSWORD, snapshotId, box.target, String(delayMs)], { env: { ...process.env, CAIRN_RESTORE_JS: js }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      if (killWhenStarted && d.toString().includes("started")) setTimeout(() => child.kill("SIGKILL"), 150);
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe("an aborted restore", () => {
  it("stops, removes its temporary files, and leaves only complete files", async () => {
    const box = await sandbox();
    try {
      const created = await newRepo(box.repoDir, 32 * 1024);
      const id = await saveSnapshot(created, tree);
      await created.close();
      // Reads take 20 ms each (like a remote store), so the abort lands in the middle.
      const inner = new FileSystemStorage(box.repoDir);
      const slow: Storage = {
        put: (k, d, o) => inner.put(k, d, o),
        get: async (k, r, o) => (k.startsWith("data/") && (await new Promise((done) => setTimeout(done, 20))), inner.get(k, r, o)),
        stat: (k, o) => inner.stat(k, o),
        list: (p, o) => inner.list(p, o),
        delete: (k, o) => inner.delete(k, o),
      };
      const repo = await openRepository(slow, PASSWORD, { locking: false });
      const controller = new AbortController();
      const reason = new Error("stop here");
      let abortedAt = -1;
      const run = restore(repo, id, {
        target: box.target,
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => {
          if (abortedAt < 0 && p.filesDone >= 3) {
            abortedAt = p.filesDone;
            controller.abort(reason);
          }
        },
      });
      await expect(run).rejects.toBe(reason);
      expect(abortedAt).toBeLessThan(files.length);
      const left = await fs.readdir(join(box.target, "dir"));
      expect(left.length).toBeLessThan(files.length);
      expect(left.filter((n) => n.startsWith(".cairn-restore-"))).toEqual([]);
      for (const name of left) expect(Buffer.compare(await fs.readFile(join(box.target, "dir", name)), Buffer.from(files.find((f) => f.name === name)!.data![0] as Uint8Array))).toBe(0);
      await restore(repo, id, { target: box.target });
      await expectTree(box.target, tree);
      await repo.close();
    } finally {
      await box.cleanup();
    }
  });
});

describe("a killed restore", () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(async () => {
    await box.cleanup();
  });

  it("leaves only complete files under final names and resumes to an exact result", async () => {
    const repo = await newRepo(box.repoDir, 32 * 1024);
    const id = await saveSnapshot(repo, tree);
    await repo.flush();
    expect(await runChild(box, id, 40, true)).toBe("killed");

    const left = (await fs.readdir(join(box.target, "dir"))).sort();
    const complete = left.filter((n) => !n.startsWith(".cairn-restore-"));
    expect(complete.length).toBeGreaterThan(0);
    expect(complete.length).toBeLessThan(files.length);
    for (const name of complete) {
      const spec = files.find((f) => f.name === name)!;
      expect(Buffer.compare(await fs.readFile(join(box.target, "dir", name)), Buffer.from(spec.data![0] as Uint8Array)), `${name} is complete`).toBe(0);
    }

    const result = await restore(repo, id, { target: box.target });
    await expectTree(box.target, tree);
    expect(result.filesUnchanged).toBeGreaterThanOrEqual(complete.length);
    expect(result.filesWritten).toBeLessThanOrEqual(files.length + 1 - complete.length);
    await repo.close();
  });
});
