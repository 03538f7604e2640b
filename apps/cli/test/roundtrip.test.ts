// The whole cycle through the CLI: init, backup, snapshots, ls, restore — and the restored tree
// is the source again (content, modes, mtimes, symlinks, empty files and directories). Then
// the restore variants: a subtree into the target itself, include/exclude, dry run, a re-run
// that keeps what is already there, a target whose symlink points outside (nothing is written
// through it), and a damaged pack (the file it holds is named, the rest is restored, exit 1).
import { lstat, mkdir, readdir, readFile, readlink, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairn, cairnJson, initRepo, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;
let src: string;

/** path → "type mode size mtime(s) content/target" for every entry below `root`. */
async function describeTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(d: string): Promise<void> {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      const rel = relative(root, p);
      const mtime = Math.floor(st.mtimeMs / 1000);
      if (st.isSymbolicLink()) out.set(rel, `l ${await readlink(p)}`);
      else if (st.isDirectory()) {
        out.set(rel, `d ${(st.mode & 0o7777).toString(8)} ${mtime}`);
        await walk(p);
      } else out.set(rel, `f ${(st.mode & 0o7777).toString(8)} ${st.size} ${mtime} ${(await readFile(p)).toString("base64")}`);
    }
  }
  await walk(root);
  return out;
}

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  src = join(dir.path, "src");
  await mkdir(join(src, "docs", "deep", "er"), { recursive: true });
  await mkdir(join(src, "empty-dir"));
  await writeFile(join(src, "docs", "readme.md"), "# hello\n");
  await writeFile(join(src, "docs", "deep", "er", "data.bin"), randomBytes(1_500_000));
  await writeFile(join(src, "docs", "notes.tmp"), "scratch");
  await writeFile(join(src, "empty"), "");
  await writeFile(join(src, "script.sh"), "#!/bin/sh\n", { mode: 0o750 });
  await symlink("docs/readme.md", join(src, "link"));
  await symlink("/nonexistent/target", join(src, "dangling"));
  const old = new Date("2020-02-02T02:02:02Z");
  await utimes(join(src, "docs", "readme.md"), old, old);
  await utimes(join(src, "docs"), old, old);
  await initRepo(repo);
  const b = await cairn(["backup", "--repo", repo, src]);
  if (b.code !== 0) throw new Error(b.stderr);
});
afterAll(() => dir.cleanup());

describe("backup and restore round trip", () => {
  it("restores the latest snapshot into TARGET/<absolute path>, identical to the source", async () => {
    const target = join(dir.path, "restore-1");
    const r = await cairn(["restore", "--repo", repo, "latest", "--target", target]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/restored 5 files/);
    expect(await describeTree(join(target, src))).toEqual(await describeTree(src));
  });

  it("lists what it backed up", async () => {
    const ls = await cairn(["ls", "--repo", repo, "latest", src]);
    const paths = ls.stdout.trim().split("\n").map((p) => relative(src, p));
    expect(paths).toEqual(["", "dangling", "docs", "docs/deep", "docs/deep/er", "docs/deep/er/data.bin", "docs/notes.tmp", "docs/readme.md", "empty", "empty-dir", "link", "script.sh"]);
    const { json } = await cairnJson(["snapshots", "--repo", repo]);
    expect((json as { paths: string[] }[])[0]!.paths).toEqual([src]);
  });

  it("restores a subtree into the target itself, with include and exclude", async () => {
    const target = join(dir.path, "restore-2");
    const r = await cairn(["restore", "--repo", repo, `latest:${src}/docs`, "--target", target, "--exclude", "*.tmp"]);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(target)).sort()).toEqual(["deep", "readme.md"]);
    const only = join(dir.path, "restore-3");
    expect((await cairn(["restore", "--repo", repo, "latest", "--target", only, "--include", `${src}/docs/deep`])).code).toBe(0);
    expect([...(await describeTree(join(only, src))).keys()]).toEqual(["docs", "docs/deep", "docs/deep/er", "docs/deep/er/data.bin"]);
    expect((await cairn(["restore", "--repo", repo, "latest:docs", "--target", only])).code).toBe(2);
  });

  it("--dry-run writes nothing; a re-run keeps what is already complete", async () => {
    const target = join(dir.path, "restore-4");
    const dry = await cairnJson(["restore", "--repo", repo, "latest", "--target", target, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json).toMatchObject({ dryRun: true, totals: { files: 5 } });
    await expect(stat(join(target, src))).rejects.toThrow();
    expect((await cairn(["restore", "--repo", repo, "latest", "--target", target])).code).toBe(0);
    const again = await cairnJson(["restore", "--repo", repo, "latest", "--target", target]);
    expect(again.code).toBe(0);
    expect(again.json).toMatchObject({ filesWritten: 0, bytesFetched: 0 });
  });

  it("never writes through a symlink it finds in the target", async () => {
    const target = join(dir.path, "restore-5");
    const outside = join(dir.path, "outside");
    await mkdir(outside);
    // the target already holds <target>/<src> as a symlink to a directory outside the target
    await mkdir(join(target, dir.path), { recursive: true });
    await symlink(outside, join(target, src));
    const r = await cairn(["restore", "--repo", repo, "latest", "--target", target, "--overwrite", "always"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readdir(outside)).toEqual([]);
    // the symlink was replaced by the snapshot's directory, restored in place
    expect((await lstat(join(target, src))).isDirectory()).toBe(true);
    expect(await readFile(join(target, src, "docs", "readme.md"), "utf8")).toBe("# hello\n");
  });

  it("names the files a damaged pack holds, restores the rest, and exits 1", async () => {
    // a second repository with two files whose data lands in different places of one pack
    const repo2 = join(dir.path, "repo2");
    const src2 = join(dir.path, "src2");
    await mkdir(src2);
    await writeFile(join(src2, "first.bin"), randomBytes(600_000));
    await writeFile(join(src2, "second.bin"), randomBytes(600_000));
    await initRepo(repo2);
    expect((await cairn(["backup", "--repo", repo2, src2])).code).toBe(0);
    const packs = await readdir(join(repo2, "data"));
    const sizes = await Promise.all(packs.map(async (p) => (await stat(join(repo2, "data", p))).size));
    const pack = join(repo2, "data", packs[sizes.indexOf(Math.max(...sizes))]!);
    const bytes = await readFile(pack);
    bytes[100_000] = bytes[100_000]! ^ 1; // inside the first blob of the pack
    await writeFile(pack, bytes);
    const target = join(dir.path, "restore-6");
    const r = await cairn(["restore", "--repo", repo2, "latest", "--target", target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not restored: .*(first|second)\.bin/);
    expect(r.stdout).toContain("1 entry could not be restored");
    const restored = (await readdir(join(target, src2))).filter((n) => n.endsWith(".bin"));
    expect(restored).toHaveLength(1);
  });

  it("names a snapshot that does not exist", async () => {
    const r = await cairn(["restore", "--repo", repo, "abcdef12", "--target", join(dir.path, "nowhere")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no snapshot abcdef12");
  });
});
