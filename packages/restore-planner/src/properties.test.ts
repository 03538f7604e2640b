// Laws of the planner over random snapshots, inventories and options (fast-check, fixed seed):
// deterministic and order-independent, JSON-serialisable, never plans below something that is
// not a directory it restores, fetches each needed blob exactly once, and reports totals and
// orders consistent with its lists.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSafeRelativePath, unescapeName, type ContentEntry } from "@cairn/manifest";
import { planRestore, type PlanOptions, type RestorePlan, type SnapshotEntry, type TargetEntry } from "./index.js";
import { dir, existing, file, layout, special, symlink } from "../test/fixtures.js";

const seg = fc.constantFrom("a", "b", "c", "dé", "\\x");
const rawPath = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
const content: fc.Arbitrary<(ContentEntry | number)[]> = fc.array(
  fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map((length): ContentEntry => ({ kind: "hole", length })) }),
  { maxLength: 4 },
).map((list) => list.filter((c, i) => !(typeof c !== "number" && typeof list[i - 1] !== "number" && i > 0)));
const linked = fc.option(fc.constantFrom(1n, 2n), { nil: undefined }).map((inode) => (inode === undefined ? {} : { inode, deviceId: 9n, links: 2 }));

const entryKind = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("dir" as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("file" as const), content, linked, mtime: fc.constantFrom(1n, 2n) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("symlink" as const), target: fc.constantFrom("/etc", "../..", "x") }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("fifo" as const, "socket" as const, "chardev" as const) }) },
);

/** Random entries, fixed up into a valid snapshot: unique paths, every parent a directory. */
const snapshotEntries = fc.array(fc.tuple(rawPath, entryKind), { maxLength: 25 }).map((raw) => {
  const kinds = new Map<string, (typeof raw)[number][1]>();
  for (const [p, k] of raw) if (!kinds.has(p)) kinds.set(p, k);
  const out: SnapshotEntry[] = [];
  const types = new Map<string, string>();
  for (const p of [...kinds.keys()].sort((x, y) => x.split("/").length - y.split("/").length)) {
    const parts = p.split("/");
    let ok = true;
    for (let i = 1; i < parts.length && ok; i++) {
      const anc = parts.slice(0, i).join("/");
      const t = types.get(anc);
      if (t === undefined) {
        types.set(anc, "dir");
        out.push(dir(anc));
      } else if (t !== "dir") ok = false;
    }
    if (!ok || types.has(p)) continue;
    const k = kinds.get(p)!;
    types.set(p, k.kind);
    if (k.kind === "dir") out.push(dir(p));
    else if (k.kind === "file") out.push(file(p, k.content, { ...k.linked, mtimeNs: k.mtime }));
    else if (k.kind === "symlink") out.push(symlink(p, k.target));
    else out.push(special(p, k.kind));
  }
  return out;
});

const inventory = fc.uniqueArray(
  fc.record({ path: rawPath, type: fc.constantFrom("dir" as const, "file" as const, "symlink" as const, "fifo" as const), size: fc.constantFrom(0n, 100n, 200n), mtime: fc.constantFrom(1n, 2n), links: fc.constantFrom(1, 2), inode: fc.constantFrom(1n, 2n, 3n) }),
  { selector: (e) => e.path, maxLength: 15 },
).map((list) => list.map((e): TargetEntry => existing(e.path, e.type, { size: e.size, mtimeNs: e.mtime, links: e.links, inode: e.inode, deviceId: 9n })));

const options: fc.Arbitrary<PlanOptions> = fc.record({
  overwrite: fc.constantFrom("never" as const, "if-changed" as const, "always" as const),
  delete: fc.boolean(),
  selection: fc.record({ include: fc.subarray(["/a", "**/b", "/c/a/*"]), exclude: fc.subarray(["dé", "/a/c", "*x"]) }),
  maxGapBytes: fc.constantFrom(0, 500, 100_000),
  maxRequestBytes: fc.constantFrom(116, 1000, 1 << 20),
  subtree: fc.constantFrom(undefined, "/a"),
});

const locate = layout(3, [11]);
const FC = { seed: 4242, numRuns: 400 };

function plan(entries: SnapshotEntry[], inv: TargetEntry[], o: PlanOptions): RestorePlan | null {
  try {
    return planRestore({ entries, inventory: inv, locate, options: o });
  } catch (e) {
    // The only legitimate refusal for these inputs: a subtree that is not a directory.
    if ((e as Error).message.includes("the subtree to restore is")) return null;
    throw e;
  }
}

const names = (key: string) => key.split("/");
const isBelow = (path: string, anc: string) => path.startsWith(`${anc}/`);

describe("planner laws", () => {
  it("is deterministic, order independent and JSON-serialisable", () => {
    fc.assert(
      fc.property(snapshotEntries, inventory, options, fc.integer(), (entries, inv, o, seed) => {
        const p = plan(entries, inv, o);
        const shuffle = <T>(xs: T[]) => xs.map((x, i) => [x, (i * 7919 + seed) % 1009] as const).sort((a, b) => a[1] - b[1]).map((x) => x[0]);
        expect(plan(shuffle(entries), shuffle(inv), o)).toEqual(p);
        if (p) expect(JSON.parse(JSON.stringify(p))).toEqual(p);
      }),
      FC,
    );
  });

  it("only plans safe paths, and nothing below a target non-directory unless it is removed first", () => {
    fc.assert(
      fc.property(snapshotEntries, inventory, options, (entries, inv, o) => {
        const p = plan(entries, inv, o);
        if (!p) return;
        const created = [...p.directories, ...p.files, ...p.hardlinks, ...p.symlinks, ...p.specials].map((e) => e.path);
        const all = [...created, ...p.removals.map((r) => r.path)];
        for (const path of all) expect(isSafeRelativePath(unescapeName(path))).toBe(true);
        const invByRel = new Map(inv.map((e) => [new TextDecoder().decode(e.path), e]));
        const replaced = new Set(p.removals.filter((r) => r.reason === "replace").map((r) => r.path));
        for (const path of created) {
          const parts = names(path);
          for (let i = 1; i < parts.length; i++) {
            const anc = parts.slice(0, i).join("/");
            const there = invByRel.get(anc);
            // (An inventory entry counts only if the directories above it are listed too.)
            const reachable = parts.slice(0, i - 1).every((_, k) => invByRel.get(parts.slice(0, k + 1).join("/"))?.type === "dir");
            if (there && reachable && there.type !== "dir") expect(replaced.has(anc)).toBe(true);
            expect(p.directories.some((d) => d.path === anc)).toBe(true);
          }
        }
        // Nothing is both restored and removed as extraneous; removals are deepest first.
        for (const r of p.removals) if (r.reason === "extraneous") expect(created).not.toContain(r.path);
        p.removals.forEach((r, i) => p.removals.slice(i + 1).forEach((later) => expect(isBelow(later.path, r.path)).toBe(false)));
      }),
      FC,
    );
  });

  it("fetches each needed blob once, inside well-formed ranges, feeding every pack write exactly once", () => {
    fc.assert(
      fc.property(snapshotEntries, inventory, options, (entries, inv, o) => {
        const p = plan(entries, inv, o);
        if (!p) return;
        const ids = p.fetches.flatMap((r) => r.blobs.map((x) => x.id));
        expect(new Set(ids).size).toBe(ids.length);
        const fed = new Map<string, number>();
        const byPack = new Map<string, [number, number][]>();
        for (const r of p.fetches) {
          byPack.set(r.packId, [...(byPack.get(r.packId) ?? []), [r.offset, r.offset + r.length]]);
          const maxBlob = Math.max(...r.blobs.map((x) => x.length));
          expect(r.length).toBeLessThanOrEqual(Math.max(o.maxRequestBytes!, maxBlob));
          for (const x of r.blobs) {
            expect(locate(x.id)).toEqual({ packId: r.packId, offset: x.offset, length: x.length });
            expect(x.offset).toBeGreaterThanOrEqual(r.offset);
            expect(x.offset + x.length).toBeLessThanOrEqual(r.offset + r.length);
            for (const [fi, wi] of x.uses) {
              const w = p.files[fi]!.writes[wi]!;
              expect([w.blob, w.source]).toEqual([x.id, "pack"]);
              const k = `${fi}:${wi}`;
              fed.set(k, (fed.get(k) ?? 0) + 1);
            }
          }
        }
        for (const ranges of byPack.values()) ranges.forEach((r, i) => i > 0 && expect(r[0]).toBeGreaterThanOrEqual(ranges[i - 1]![1]));
        p.files.forEach((f, fi) =>
          f.writes.forEach((w, wi) => {
            expect(fed.get(`${fi}:${wi}`) ?? 0).toBe(w.source === "pack" ? 1 : 0);
            expect(w.offset + w.length).toBeLessThanOrEqual(f.size);
          }),
        );
      }),
      FC,
    );
  });

  it("applies metadata to every directory after everything below it, and totals agree with the lists", () => {
    fc.assert(
      fc.property(snapshotEntries, inventory, options, (entries, inv, o) => {
        const p = plan(entries, inv, o);
        if (!p) return;
        const order = p.metadataOrder.map((s) => `${s.list}:${s.index}`);
        p.directories.forEach((d, i) => {
          const at = order.indexOf(`directories:${i}`);
          if (at < 0) return;
          p.directories.forEach((inner, j) => {
            if (isBelow(inner.path, d.path) && order.includes(`directories:${j}`)) expect(order.indexOf(`directories:${j}`)).toBeLessThan(at);
          });
          p.files.forEach((_, j) => order.includes(`files:${j}`) && expect(order.indexOf(`files:${j}`)).toBeLessThan(at));
        });
        expect(p.totals.files).toBe(p.files.length);
        expect(p.totals.requests).toBe(p.fetches.length);
        expect(p.totals.bytesToWrite).toBe(p.files.reduce((n, f) => n + f.writes.reduce((m, w) => m + w.length, 0), 0));
        for (const l of p.hardlinks) expect([...p.files, ...p.symlinks, ...p.specials].some((e) => e.path === l.linkTo)).toBe(true);
      }),
      FC,
    );
  });
});
