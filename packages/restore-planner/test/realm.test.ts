// Proves @cairn/restore-planner runs where there is no Node: the built package (run `pnpm build`
// first; turbo does) is loaded with @cairn/manifest into a bare V8 realm (realm-runner.mjs) and
// must plan exactly what it plans here.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { BlobId, Node, TreeId } from "@cairn/manifest";
import { planRestore } from "../src/index.js";

const runner = fileURLToPath(new URL("./realm-runner.mjs", import.meta.url));
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const u = (s: string) => new TextEncoder().encode(s);
const id = (n: number) => `b1${n.toString(16).padStart(62, "0")}` as BlobId;
const base = (name: string) => ({ name: u(name), mode: 0o644, uid: 1, gid: 2, user: null, group: null, mtimeNs: 5n, ctimeNs: 5n, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] });

describe("@cairn/restore-planner without Node globals", () => {
  it("plans exactly as in Node", () => {
    expect(existsSync(built), "dist/ is missing: run `pnpm build` in packages/restore-planner first").toBe(true);
    const stdout = execFileSync(process.execPath, ["--experimental-vm-modules", "--no-warnings", runner], { encoding: "utf8" });
    const r = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(r.globals).toEqual({ process: "undefined", Buffer: "undefined", require: "undefined" });
    const entries = [
      { path: u("d"), node: { ...base("d"), type: "dir", subtree: id(9) as TreeId } as Node },
      { path: u("d/f"), node: { ...base("f"), type: "file", size: 300n, content: [{ kind: "data", id: id(1), length: 100 }, { kind: "hole", length: 100 }, { kind: "data", id: id(2), length: 100 }] } as Node },
      { path: u("d/l"), node: { ...base("l"), type: "symlink", linkTarget: u("../x") } as Node },
    ];
    const inventory = [
      { path: u("d"), type: "dir" as const, size: 0n, mtimeNs: 1n, mode: 0o700, uid: 1, gid: 2, links: 2 },
      { path: u("d/old"), type: "file" as const, size: 3n, mtimeNs: 1n, mode: 0o644, uid: 1, gid: 2, links: 1 },
    ];
    const locate = (blob: BlobId) => ({ packId: "p".padEnd(64, "0"), offset: 40 + 200 * parseInt(blob.slice(2), 16), length: 116 });
    const here = planRestore({ entries, inventory, locate, options: { delete: true, selection: { exclude: ["*.tmp"] } } });
    expect(r.plan).toEqual(JSON.parse(JSON.stringify(here)));
    expect(r.plan.removals).toEqual([{ path: "d/old", type: "file", reason: "extraneous" }]);
    expect(r.rejected).toBe('RestorePlanError: "../x": the entry\'s path has a ".." component at byte 0; names from a snapshot must stay inside the target');
  });
});
