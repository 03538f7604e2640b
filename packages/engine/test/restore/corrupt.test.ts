// A corrupt blob: the files that need it fail with an error naming the blob, the pack and the
// file; every other file is restored; and no final name ever holds a half-written file — an
// older version already there stays as it was, and no temporary file is left behind.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { blobRangeReader, type Repository } from "@cairn/repository";
import { createTree, type BlobId, type FileNode } from "@cairn/manifest";
import { restore, RestoreIncompleteError } from "../../src/index.js";
import { listAll, newRepo, noise, sandbox, saveSnapshot, snapshotRecord, T0, type Sandbox } from "./helpers.js";

let box: Sandbox;
let repo: Repository;
beforeEach(async () => {
  box = await sandbox();
  repo = await newRepo(box.repoDir, 32 * 1024);
});
afterEach(async () => {
  await repo.close();
  await box.cleanup();
});

describe("a corrupt blob", () => {
  it("fails exactly the files that use it, with a precise error, and leaves the target consistent", async () => {
    const victim = noise(77, 50_000);
    const old = await saveSnapshot(repo, [{ name: "victim", type: "file", data: [Buffer.from("the previous version\n")] }]);
    await restore(repo, old, { target: box.target });
    const id = await saveSnapshot(repo, [
      { name: "good-1", type: "file", data: [noise(1, 40_000)], chunk: 8_000 },
      { name: "victim", type: "file", data: [victim], chunk: 10_000 },
      { name: "copy-of-victim", type: "file", data: [victim], chunk: 10_000 },
      { name: "good-2", type: "file", data: [noise(2, 40_000)], chunk: 8_000 },
    ]);
    // Flip one byte inside the third blob of "victim" in its pack file.
    const { plan } = await restore(repo, id, { target: box.target, dryRun: true, overwrite: "always" });
    const blob = plan.files.find((f) => f.path === "victim")!.writes[2]!.blob;
    const where = (await blobRangeReader(repo).locate(blob))!;
    const packFile = join(box.repoDir, "data", where.packId);
    await fs.chmod(packFile, 0o600);
    const bytes = await fs.readFile(packFile);
    bytes.writeUInt8(bytes.readUInt8(where.offset + 100) ^ 0x40, where.offset + 100);
    await fs.writeFile(packFile, bytes);

    const failure = await restore(repo, id, { target: box.target, overwrite: "always" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(RestoreIncompleteError);
    const incomplete = failure as RestoreIncompleteError;
    expect(incomplete.failures.map((f) => f.path).sort()).toEqual(["copy-of-victim", "victim"]);
    for (const f of incomplete.failures) expect(f.message).toBe(`blob ${blob} in data/${where.packId} is corrupt: blob failed authentication (modified, truncated or misplaced)`);
    expect(incomplete.result.filesWritten).toBe(2);
    expect(incomplete.message).toMatch(/^2 entries could not be restored: "(copy-of-)?victim": blob /);

    // Good files complete, the old victim untouched, no new name, no temporary file.
    expect(await listAll(box.target)).toEqual(["good-1", "good-2", "victim"]);
    expect(await fs.readFile(join(box.target, "victim"), "utf8")).toBe("the previous version\n");
    const snap = await repo.loadSnapshot(id);
    const root = await repo.loadTree(snap.tree);
    const good = root.nodes.find((n) => Buffer.from(n.name).toString() === "good-1") as FileNode;
    expect((await fs.stat(join(box.target, "good-1"))).size).toBe(Number(good.size));
    expect(Buffer.compare(await fs.readFile(join(box.target, "good-1")), Buffer.from(noise(1, 40_000)))).toBe(0);
  });

  it("a missing pack fails its files and reports it", async () => {
    const id = await saveSnapshot(repo, [{ name: "a", type: "file", data: [noise(5, 30_000)] }, { name: "b", type: "file", data: [noise(6, 30_000)] }]);
    const { plan } = await restore(repo, id, { target: box.target, dryRun: true });
    const blob = plan.files.find((f) => f.path === "b")!.writes[0]!.blob;
    const where = (await blobRangeReader(repo).locate(blob))!;
    await fs.rm(join(box.repoDir, "data", where.packId));
    const failure = (await restore(repo, id, { target: box.target }).catch((e: unknown) => e)) as RestoreIncompleteError;
    expect(failure).toBeInstanceOf(RestoreIncompleteError);
    expect(failure.failures.map((f) => [f.path, f.message])).toContainEqual(["b", `data/${where.packId} is missing (referenced by the index)`]);
    expect(await listAll(box.target)).not.toContain("b");
  });

  it("a blob stored under the wrong ID (it authenticates, but its plaintext hashes to another ID) fails its file before a byte is written", async () => {
    // A writer that vouched for a wrong ID (saveEncodedBlob trusts its caller): the pack is
    // intact, so only the check of the plaintext against the ID can catch it. Small files made
    // of one blob are decoded and checked on the writer thread; the larger one on the main thread.
    const genuine = noise(11, 20_000);
    const wrong = async (seed: number) => {
      const id = (await blobRangeReader(repo).blobIdOf(noise(seed, 20_000))) as BlobId;
      await repo.saveEncodedBlob({ id, type: "data", codec: 0, stored: genuine, rawLength: genuine.length });
      return id;
    };
    const [wrongSmall, wrongLarge] = [await wrong(12), await wrong(14)];
    const good = noise(13, 20_000);
    const goodId = (await repo.saveBlob("data", good)).id;
    const meta = { mode: 0o644, uid: 1000, gid: 1000, user: null, group: null, mtimeNs: T0, ctimeNs: T0, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] };
    const file = (name: string, content: { id: BlobId; length: number }[]): FileNode => ({
      ...meta,
      name: new Uint8Array(Buffer.from(name)),
      type: "file",
      size: BigInt(content.reduce((n, c) => n + c.length, 0)),
      content: content.map((c) => ({ kind: "data" as const, ...c })),
    });
    const tree = await repo.saveTree(
      createTree([file("a-small-bad", [{ id: wrongSmall, length: genuine.length }]), file("b-small-good", [{ id: goodId, length: good.length }]), file("c-large-bad", [{ id: goodId, length: good.length }, { id: wrongLarge, length: genuine.length }])]),
    );
    await repo.flush();
    const id = await repo.saveSnapshot(snapshotRecord(tree));

    const failure = (await restore(repo, id, { target: box.target }).catch((e: unknown) => e)) as RestoreIncompleteError;
    expect(failure).toBeInstanceOf(RestoreIncompleteError);
    expect(failure.failures.map((f) => f.path).sort()).toEqual(["a-small-bad", "c-large-bad"]);
    const byPath = new Map(failure.failures.map((f) => [f.path, f.message]));
    expect(byPath.get("a-small-bad")).toMatch(new RegExp(`^blob ${wrongSmall} in data/[0-9a-f]{64} is corrupt: plaintext hashes to [0-9a-f]{64}$`));
    expect(byPath.get("c-large-bad")).toMatch(new RegExp(`^blob ${wrongLarge} in data/[0-9a-f]{64} is corrupt: plaintext hashes to [0-9a-f]{64}$`));
    expect(await listAll(box.target)).toEqual(["b-small-good"]);
    expect(Buffer.compare(await fs.readFile(join(box.target, "b-small-good")), Buffer.from(good))).toBe(0);
  });
});
