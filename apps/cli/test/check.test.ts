// check: a healthy repository passes; one flipped byte in a pack is found by --read-data (and by
// the subset that covers that pack), reported with the file it damages, exit code 1.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, cairnJson, initRepo, openForTest, saveSnapshot, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;

async function largestPack(): Promise<string> {
  let best = { path: "", size: -1 };
  for (const name of await readdir(join(repo, "data"))) {
    const path = join(repo, "data", name);
    const { size } = await stat(path);
    if (size > best.size) best = { path, size };
  }
  return best.path;
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  await initRepo(repo);
  const r = await openForTest(repo);
  await saveSnapshot(r, { data: { "small.txt": "hello", "big.bin": randomBytes(300_000) } }, { time: new Date("2026-03-01T00:00:00Z") });
  await r.close();
});
afterAll(() => dir.cleanup());

describe("cairn check", () => {
  it("passes on a healthy repository, with and without --read-data", async () => {
    const plain = await cairn(["check", "--repo", repo]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toContain("no errors were found");
    const { code, json } = await cairnJson(["check", "--repo", repo, "--read-data"]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ ok: true, problems: [] });
    expect((json as { counts: { packsRead: number } }).counts.packsRead).toBeGreaterThan(0);
  });

  it("rejects a malformed subset", async () => {
    expect((await cairn(["check", "--repo", repo, "--read-data-subset", "3/2"])).code).toBe(2);
    expect((await cairn(["check", "--repo", repo, "--read-data-subset", "150%"])).code).toBe(2);
  });

  it("finds a flipped byte with --read-data and names the damaged file (exit 1)", async () => {
    const pack = await largestPack();
    const bytes = await readFile(pack);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x40;
    await writeFile(pack, bytes);

    const structural = await cairn(["check", "--repo", repo]);
    expect(structural.code).toBe(0); // headers are intact: only reading the data can tell

    const r = await cairn(["check", "--repo", repo, "--read-data"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error: .*blob [0-9a-f]{64}/m);
    expect(r.stdout).toContain("affects /data/big.bin in snapshot");
    expect(r.stdout).not.toContain("affects /data/small.txt");
    expect(r.stdout).toMatch(/1 error found/);

    const { code, json } = await cairnJson(["check", "--repo", repo, "--read-data"]);
    expect(code).toBe(1);
    const report = json as { ok: boolean; problems: { kind: string; affected: { path: string }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(["blob-corrupt"]);
    expect(report.problems[0]!.affected.map((a) => a.path)).toEqual(["/data/big.bin"]);

    // The groups 1/3 … 3/3 partition the packs: exactly one group holds the damaged pack.
    const results = await Promise.all([1, 2, 3].map((n) => cairnJson(["check", "--repo", repo, "--read-data-subset", `${n}/3`])));
    expect(results.map((x) => x.code).sort()).toEqual([0, 0, 1]);
    const read = results.map((x) => (x.json as { counts: { packsRead: number } }).counts.packsRead);
    expect(read.reduce((a, b) => a + b, 0)).toBe((await readdir(join(repo, "data"))).length);
  });
});
