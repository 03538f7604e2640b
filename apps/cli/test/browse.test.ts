// snapshots, ls, diff and stats over snapshots with known contents, built through
// @cairn/repository (including names no sane file system tool would print raw: escape
// sequences, newlines, invalid UTF-8).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotId } from "@cairn/manifest";
import { cairn, cairnJson, initRepo, openForTest, saveSnapshot, tempDir } from "./helpers.js";

let dir: { path: string; cleanup(): Promise<void> };
let repo: string;
let first: SnapshotId;
let second: SnapshotId;
let other: SnapshotId;

beforeAll(async () => {
  dir = await tempDir();
  repo = join(dir.path, "repo");
  await initRepo(repo);
  const r = await openForTest(repo);
  try {
    first = await saveSnapshot(r, { data: { "a.txt": "alpha", "b.txt": "bravo", sub: { "c.txt": "charlie" } } }, { time: new Date("2026-01-01T10:00:00Z"), paths: ["/data"], tags: ["daily"] });
    second = await saveSnapshot(
      r,
      { data: { "a.txt": "alpha, changed", sub: { "c.txt": "charlie", "d.txt": "delta" }, "evil\u001b[31mred\nline": "x", "hex:ff6e616d65": "invalid utf-8 name" } },
      { time: new Date("2026-01-02T10:00:00Z"), paths: ["/data"] },
    );
    other = await saveSnapshot(r, { etc: { hosts: "127.0.0.1 localhost" } }, { time: new Date("2026-01-03T10:00:00Z"), paths: ["/etc"], host: "otherhost" });
  } finally {
    await r.close();
  }
});
afterAll(() => dir.cleanup());

describe("snapshots", () => {
  it("lists every snapshot oldest first, and filters by host, path, tag and --latest", async () => {
    const all = await cairn(["snapshots", "--repo", repo]);
    expect(all.code).toBe(0);
    const order = [first, second, other].map((id) => all.stdout.indexOf(id.slice(0, 8)));
    expect(order.every((p) => p >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const { json } = await cairnJson(["snapshots", "--repo", repo, "--host", "testhost"]);
    expect((json as { id: string }[]).map((s) => s.id)).toEqual([first, second]);
    const byPath = await cairnJson(["snapshots", "--repo", repo, "--path", "/etc"]);
    expect((byPath.json as { id: string; paths: string[]; host: string }[]).map((s) => [s.id, s.paths, s.host])).toEqual([[other, ["/etc"], "otherhost"]]);
    const byTag = await cairnJson(["snapshots", "--repo", repo, "--tag", "daily"]);
    expect((byTag.json as { id: string }[]).map((s) => s.id)).toEqual([first]);
    const latest = await cairnJson(["snapshots", "--repo", repo, "--latest", "1"]);
    expect((latest.json as { id: string; time: string }[]).map((s) => [s.id, s.time])).toEqual([[other, "2026-01-03T10:00:00.000Z"]]);
  });
});

describe("ls", () => {
  it("lists a snapshot recursively, by ID prefix or latest with filters", async () => {
    const r = await cairn(["ls", "--repo", repo, first.slice(0, 6)]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(["/data", "/data/a.txt", "/data/b.txt", "/data/sub", "/data/sub/c.txt"]);
    const latest = await cairn(["ls", "--repo", repo, "latest", "--host", "otherhost"]);
    expect(latest.stdout.trim().split("\n")).toEqual(["/etc", "/etc/hosts"]);
  });

  it("lists below a path, to a depth, and in long form", async () => {
    const sub = await cairn(["ls", "--repo", repo, first, "/data/sub"]);
    expect(sub.stdout.trim().split("\n")).toEqual(["/data/sub", "/data/sub/c.txt"]);
    const shallow = await cairn(["ls", "--repo", repo, first, "/", "--depth", "2"]);
    expect(shallow.stdout.trim().split("\n")).toEqual(["/data", "/data/a.txt", "/data/b.txt", "/data/sub"]);
    const long = await cairn(["ls", "--repo", repo, first, "/data/a.txt", "-l"]);
    expect(long.stdout).toMatch(/^-rw-r--r-- alice +staff +5 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \/data\/a\.txt\n$/);
    const missing = await cairn(["ls", "--repo", repo, first, "/data/nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file or directory in the snapshot");
  });

  it("escapes hostile names instead of printing control characters or invalid UTF-8", async () => {
    const r = await cairn(["ls", "--repo", repo, second]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("/data/evil\\x1b[31mred\\x0aline");
    expect(r.stdout).toContain("/data/\\xffname");
    const { json } = await cairnJson(["ls", "--repo", repo, second]);
    const paths = (json as { path: string }[]).map((e) => e.path);
    expect(paths).toContain("/data/evil\\x1b[31mred\\x0aline");
  });

  it("writes one JSON array with typed entries", async () => {
    const { code, json } = await cairnJson(["ls", "--repo", repo, first, "/data"]);
    expect(code).toBe(0);
    const entries = json as { path: string; type: string; size: number; mode: number; permissions: string }[];
    expect(entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ["/data", "dir", 0],
      ["/data/a.txt", "file", 5],
      ["/data/b.txt", "file", 5],
      ["/data/sub", "dir", 0],
      ["/data/sub/c.txt", "file", 7],
    ]);
    expect(entries[1]).toMatchObject({ mode: 0o644, permissions: "-rw-r--r--", user: "alice" });
  });

  it("names a snapshot that does not exist, and rejects what cannot be an ID", async () => {
    const none = await cairn(["ls", "--repo", repo, "0000000000"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no snapshot 0000000000");
    expect((await cairn(["ls", "--repo", repo, "not-hex"])).code).toBe(2);
    expect((await cairn(["ls", "--repo", repo, ""])).code).toBe(2);
  });
});

describe("diff", () => {
  it("lists added, removed and modified entries and sums them up", async () => {
    const r = await cairn(["diff", "--repo", repo, first, second]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => /^[+\-MTU] /.test(l));
    expect(lines).toEqual(["M    /data/a.txt", "-    /data/b.txt", "+    /data/evil\\x1b[31mred\\x0aline", "+    /data/sub/d.txt", "+    /data/\\xffname"]);
    const { json } = await cairnJson(["diff", "--repo", repo, first, second]);
    expect((json as { summary: unknown }).summary).toMatchObject({ added: 3, removed: 1, modified: 1, typeChanged: 0 });
  });

  it("is empty between a snapshot and itself", async () => {
    const { json } = await cairnJson(["diff", "--repo", repo, first, first]);
    expect(json).toMatchObject({ changes: [], summary: { added: 0, removed: 0, modified: 0 } });
  });
});

describe("stats", () => {
  it("counts restore size and unique data", async () => {
    const { code, json } = await cairnJson(["stats", "--repo", repo, first]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ snapshots: 1, restoreSize: { files: 3, dirs: 2, bytes: 17 }, uniqueData: { blobs: 3, bytes: 17 } });
    const all = await cairnJson(["stats", "--repo", repo]);
    const j = all.json as { snapshots: number; restoreSize: { files: number }; uniqueData: { blobs: number }; stored: { total: number; packs: number } };
    expect(j.snapshots).toBe(3);
    expect(j.restoreSize.files).toBe(3 + 5 + 1);
    // alpha, bravo, charlie, "alpha, changed", delta, x, invalid…, hosts: charlie is shared
    expect(j.uniqueData.blobs).toBe(8);
    expect(j.stored.packs).toBeGreaterThan(0);
    const text = await cairn(["stats", "--repo", repo]);
    expect(text.stdout).toContain("snapshots:            3");
  });
});
