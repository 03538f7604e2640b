// FileSystemStorage shared by several processes: a writer SIGKILLed mid-put leaves no partial
// object, only a temporary file that list hides and cleanup removes; processes racing to
// create the same keys get exactly one winner per key; what one process wrote, another reads.
// The children (fsChild.mjs) run the package transpiled by vitest's globalSetup (transpile.ts).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { FileSystemStorage } from "../src/fs/index.js";

const child = fileURLToPath(new URL("./fsChild.mjs", import.meta.url));

function start(...args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [child, ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, CAIRN_STORAGE_JS: inject("storageJs") } });
}

/** Resolves with the first stdout line matching `pattern` (rejects if the child exits first). */
function line(proc: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    let stderr = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const found = buffered.split("\n").find((l) => pattern.test(l));
      if (found !== undefined) {
        proc.stdout.off("data", onData);
        resolve(found);
      }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    proc.once("exit", (code) => reject(new Error(`child exited (${code}) before printing ${pattern}: ${stderr}`)));
  });
}

async function temporaryFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.includes(".cairn-tmp-"));
}

describe("FileSystemStorage across processes", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "cairn-procs-"));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("a writer killed mid-put leaves no partial object; list hides its temporary file; cleanup removes it", async () => {
    const size = 24 * 1024 * 1024;
    // Kill while a temporary file exists. A writer is almost always mid-put, but the kill can
    // land in the instant between two puts, so allow a few tries to catch one in the act.
    let leftovers: string[] = [];
    for (let attempt = 0; attempt < 5 && leftovers.length === 0; attempt++) {
      const writer = start("write-forever", root, String(size));
      await line(writer, /^wrote /);
      while ((await temporaryFiles(root)).length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      const exited = new Promise((resolve) => writer.once("exit", resolve));
      writer.kill("SIGKILL");
      await exited;
      leftovers = await temporaryFiles(root);
    }
    expect(leftovers.length, "a temporary file left by the killed writer").toBeGreaterThan(0);

    const storage = new FileSystemStorage(root);
    const listed = [];
    for await (const info of storage.list()) listed.push(info);
    expect(listed.length).toBeGreaterThan(0);
    for (const { key, size: objectSize } of listed) {
      expect(key).toMatch(/^data\/obj-\d{4}$/);
      expect(objectSize, key).toBe(size);
      const i = Number(key.slice(-4));
      const data = await storage.get(key);
      expect(data.every((b) => b === (i & 255)), `${key} holds only its own bytes`).toBe(true);
    }
    expect(await storage.cleanupTemporaryFiles(0)).toBe(leftovers.length);
    expect(await temporaryFiles(root)).toEqual([]);
    const after = [];
    for await (const info of storage.list()) after.push(info);
    expect(after).toHaveLength(listed.length);
  });

  it.each(["link", "claim"] as const)("processes racing to create the same keys (%s): exactly one winner per key", async (createMode) => {
    const writers = 4;
    const keys = Array.from({ length: 12 }, (_, i) => `locks/race-${i}`);
    const procs = Array.from({ length: writers }, (_, w) => start("race", root, createMode, String(w), ...keys));
    await Promise.all(procs.map((p) => line(p, /^ready$/)));
    const reports = procs.map((p) => line(p, /^\{/));
    for (const p of procs) p.stdin.write("go\n");
    const results = (await Promise.all(reports)).map((l) => JSON.parse(l) as Record<string, string>);
    const storage = new FileSystemStorage(root);
    for (const key of keys) {
      const outcomes = results.map((r) => r[key]);
      const winners = outcomes.flatMap((o, w) => (o === "ok" ? [w] : []));
      expect(winners, `${key}: ${JSON.stringify(outcomes)}`).toHaveLength(1);
      expect(outcomes.filter((o) => o === "exists")).toHaveLength(writers - 1);
      const data = await storage.get(key); // written by another process, read by this one
      expect(data.length).toBe(256 * 1024 + winners[0]!);
      expect(data.every((b) => b === winners[0])).toBe(true);
    }
    expect(await temporaryFiles(root)).toEqual([]);
  });
});
