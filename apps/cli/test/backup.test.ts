// backup: a first snapshot, an incremental one that reuses everything unchanged (the parent is
// the latest snapshot of the same paths), excludes, and unreadable files reported with exit
// code 3 while the snapshot is still saved.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, cairnJson, FAST_KDF, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;
let src: string;

interface BackupJson {
  snapshotId: string;
  parent: string | null;
  stats: { filesNew: number; filesChanged: number; filesUnmodified: number; bytesAdded: number; filesProcessed: number };
  errorCount: number;
  errors: { path: string; kind: string; message: string }[];
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  src = join(dir.path, "src");
  await mkdir(join(src, "sub", "cache"), { recursive: true });
  await writeFile(join(src, "a.txt"), "alpha\n");
  await writeFile(join(src, "sub", "b.bin"), Buffer.alloc(300_000, 7));
  await writeFile(join(src, "sub", "skip.tmp"), "temporary");
  await writeFile(join(src, "sub", "cache", "CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
  await writeFile(join(src, "sub", "cache", "blob"), "cached");
  expect((await cairn(["init", "--repo", repo, "--kdf", FAST_KDF])).code).toBe(0);
});
afterAll(() => dir.cleanup());

describe("cairn backup", () => {
  it("backs up, then backs up incrementally against the latest snapshot of the same paths", async () => {
    const first = await cairnJson(["backup", "--repo", repo, src, "--exclude", "*.tmp", "--exclude-caches"]);
    expect(first.code, first.stderr).toBe(0);
    const one = first.json as BackupJson;
    expect(one.parent).toBeNull();
    expect(one.stats.filesNew).toBe(3); // a.txt, b.bin, CACHEDIR.TAG (kept; the cache's contents are not)
    const ls = await cairn(["ls", "--repo", repo, "latest", src]);
    expect(ls.stdout).toContain(`${src}/sub/b.bin`);
    expect(ls.stdout).toContain(`${src}/sub/cache/CACHEDIR.TAG`);
    expect(ls.stdout).not.toContain("skip.tmp");
    expect(ls.stdout).not.toContain(`${src}/sub/cache/blob`);

    const again = await cairnJson(["backup", "--repo", repo, src, "--exclude", "*.tmp", "--exclude-caches"]);
    const two = again.json as BackupJson;
    expect(two.parent).toBe(one.snapshotId);
    expect(two.stats).toMatchObject({ filesNew: 0, filesChanged: 0, filesUnmodified: 3 });

    await writeFile(join(src, "a.txt"), "alpha, changed\n");
    const changed = await cairnJson(["backup", "--repo", repo, src, "--exclude", "*.tmp", "--exclude-caches"]);
    const three = changed.json as BackupJson;
    expect(three.parent).toBe(two.snapshotId);
    expect(three.stats).toMatchObject({ filesChanged: 1, filesUnmodified: 2 });
    expect(three.stats.bytesAdded).toBeLessThan(300_000); // b.bin was not stored again

    const text = await cairn(["backup", "--repo", repo, src]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Files: .*\n(.*\n)*snapshot [0-9a-f]{8} saved\n$/);
    expect(text.stderr).toBe(""); // no progress bar without a terminal
    const quiet = await cairn(["backup", "--repo", repo, src, "--quiet"]);
    expect(quiet.stdout).toMatch(/^snapshot [0-9a-f]{8} saved\n$/);
    expect(quiet.stderr).toBe("");
    const verbose = await cairn(["backup", "--repo", repo, src, "--verbose"]);
    expect(verbose.stdout).toMatch(/parent snapshot [0-9a-f]{8}/);
  });

  it("fails with exit 1 when nothing can be backed up, and 2 for a malformed pattern", async () => {
    const missing = await cairn(["backup", "--repo", repo, join(dir.path, "does-not-exist")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nothing was backed up");
    expect((await cairn(["backup", "--repo", repo, src, "--exclude", "["])).code).toBe(2);
    expect((await cairn(["backup", "--repo", repo])).code).toBe(2);
  });

  it("exits 3 and names unreadable files, and the snapshot records them", async () => {
    // As root every file is readable, so the CLI then runs as nobody on a tree it may read except two entries.
    const asRoot = process.getuid?.() === 0;
    const run = asRoot ? { uid: 65534, gid: 65534 } : {};
    const base = join(dir.path, "unreadable");
    await mkdir(join(base, "src", "closed"), { recursive: true });
    await writeFile(join(base, "src", "ok.txt"), "readable");
    await writeFile(join(base, "src", "secret.txt"), "not for you");
    await writeFile(join(base, "src", "closed", "inside.txt"), "nor this");
    await chmod(join(base, "src", "secret.txt"), 0o000);
    await chmod(join(base, "src", "closed"), 0o000);
    await chmod(join(base, "src"), 0o755);
    await chmod(base, 0o777);
    await chmod(dir.path, 0o755);
    const r2 = join(base, "repo");
    expect((await cairn(["init", "--repo", r2, "--kdf", FAST_KDF], run)).code).toBe(0);
    const r = await cairn(["backup", "--repo", r2, join(base, "src")], run);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`${join(base, "src", "secret.txt")}: EACCES`);
    expect(r.stderr).toContain(join(base, "src", "closed"));
    expect(r.stdout).toContain("saved with 2 unreadable entries");
    const { json } = await cairnJson(["snapshots", "--repo", r2], run);
    const snaps = json as { errorCount: number; errors: { path: string }[] }[];
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.errorCount).toBe(2);
    expect(snaps[0]!.errors.map((e) => e.path).sort()).toEqual([join(base, "src", "closed"), join(base, "src", "secret.txt")]);
    const j = await cairnJson(["backup", "--repo", r2, join(base, "src")], run);
    expect(j.code).toBe(3);
    expect((j.json as BackupJson).errors.map((e) => e.kind)).toEqual(["unreadable", "unreadable"]);
  });
});
