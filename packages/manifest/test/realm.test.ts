// Proves @cairn/manifest runs where there is no Node: the built package (run `pnpm build`
// first; turbo does) is loaded into a bare V8 realm (see realm-runner.mjs) and must write the
// same bytes as here.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTree, encodeSnapshot, encodeTree, holeEntries, parseBlobId, parseTreeId, type Node } from "../src/index.js";

const runner = fileURLToPath(new URL("./realm-runner.mjs", import.meta.url));
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const u = (s: string) => new TextEncoder().encode(s);

describe("@cairn/manifest without Node globals", () => {
  it("encodes, decodes and rejects exactly as in Node", () => {
    expect(existsSync(built), "dist/ is missing: run `pnpm build` in packages/manifest first").toBe(true);
    const stdout = execFileSync(process.execPath, ["--experimental-vm-modules", "--no-warnings", runner], { encoding: "utf8" });
    const r = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(r.globals).toEqual({ process: "undefined", Buffer: "undefined", require: "undefined" });

    const id = parseTreeId("33".repeat(32));
    const node = {
      name: Uint8Array.of(0x72, 0xe9, 0x73), type: "file", mode: 0o644, uid: 1, gid: 2, user: "a", group: null, mtimeNs: -5n, ctimeNs: 5n,
      atimeNs: null, inode: 7n, deviceId: null, links: 2, xattrs: [], size: 10n, content: [{ kind: "data", id: parseBlobId("11".repeat(32)), length: 4 }, ...holeEntries(6n)],
    } as Node;
    const dir = { ...node, name: u("dir"), type: "dir", size: undefined, content: undefined, subtree: id } as unknown as Node;
    expect(r.tree).toBe(hex(encodeTree(createTree([node, dir]))));
    const stats = { filesNew: 0, filesChanged: 0, filesUnmodified: 0, dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0, dataBlobsAdded: 0, treeBlobsAdded: 0, bytesAdded: 0n, bytesAddedStored: 0n, filesProcessed: 0, bytesProcessed: 0n };
    expect(r.snapshot).toBe(hex(encodeSnapshot({ timeNs: 1n, host: "h", agentId: null, configurationId: null, paths: [u("/")], tags: [], parent: null, tree: id, excludes: [], programVersion: "p", stats, errorCount: 0, errors: [] })));
    expect(r.roundTrip).toBe(true);
    expect(r.escaped).toBe("a\\xff\\\\");
    expect(r.joined).toBe(hex(u("/t/a/b")));
    expect(r.rejected).toBe("ManifestError: tree.nodes: declares 2 items but only 12 bytes remain (at byte 7)");
  });
});
