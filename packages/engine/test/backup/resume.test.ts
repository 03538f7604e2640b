// A backup killed mid-way (SIGKILL, in a child process, at a deterministic point: once it has
// stored a third of the data) and then run again does not upload again what had landed and
// been indexed at a checkpoint before the kill; the resumed snapshot is complete and correct.
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BlobId, FileNode, TreeId } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backup } from "../../src/index.js";
import { bytesOf, contentOf, nodeAt, PASSWORD, reopen, sandbox, TEST_CHUNKER, type Sandbox } from "./helpers.js";

const child = fileURLToPath(new URL("./backupChild.mjs", import.meta.url));
const FILES = 12;
const FILE_BYTES = 2_000_000;

async function dataBlobs(repo: Repository, tree: TreeId, out = new Set<BlobId>()): Promise<Set<BlobId>> {
  for (const n of (await repo.loadTree(tree)).nodes) {
    if (n.type === "dir") await dataBlobs(repo, n.subtree, out);
    if (n.type === "file") for (const c of n.content) if (c.kind === "data") out.add(c.id);
  }
  return out;
}

describe("a killed backup resumes", () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
    mkdirSync(join(box.src, "d"), { recursive: true });
    for (let i = 0; i < FILES; i++) writeFileSync(join(box.src, "d", `f${String(i).padStart(2, "0")}`), bytesOf(100 + i, FILE_BYTES));
  });
  afterEach(() => box.cleanup());

  it("without re-uploading the data indexed before the kill", async () => {
    const args = {
      repoDir: box.repoDir,
      init: true,
      password: PASSWORD,
      chunker: TEST_CHUNKER,
      packSize: 512 * 1024,
      options: { paths: [box.src], workers: 1, checkpointIntervalMs: 20, xattrs: false },
      killAtStoredBytes: (FILES * FILE_BYTES) / 3,
    };
    const r = spawnSync(process.execPath, [child, JSON.stringify(args)], { encoding: "utf8" });
    expect(r.signal).toBe("SIGKILL");

    // What had landed and been indexed at the kill: a frozen copy of the repository.
    cpSync(box.repoDir, join(box.dir, "at-kill"), { recursive: true });
    const before = await reopen(join(box.dir, "at-kill"));
    expect(await before.listSnapshots()).toEqual([]);

    const repo = await reopen(box.repoDir);
    const result = await backup(repo, { paths: [box.src], xattrs: false });
    expect(result.errors).toEqual([]);
    const blobs = await dataBlobs(repo, result.snapshot.tree);
    let landed = 0;
    for (const id of blobs) if (await before.hasBlob(id)) landed++;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(blobs.size);
    expect(result.snapshot.stats.dataBlobsAdded).toBe(blobs.size - landed);

    for (let i = 0; i < FILES; i++) {
      const node = (await nodeAt(repo, result.snapshot.tree, join(box.src, "d", `f${String(i).padStart(2, "0")}`))) as FileNode;
      expect(Buffer.compare(await contentOf(repo, node), bytesOf(100 + i, FILE_BYTES))).toBe(0);
    }
    const report = await repo.check();
    expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
    await before.close();
    await repo.close();
  });
});
