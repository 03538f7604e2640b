// walkSnapshot over trees held in a Map: order, subtree, pruning by selection, errors.
import { describe, expect, it } from "vitest";
import { escapeName, type Node, type Tree, type TreeId } from "@cairn/manifest";
import { planRestore, RestorePlanError, walkSnapshot } from "./index.js";
import { dir, file, layout, treeId, treeOf } from "../test/fixtures.js";

// /home/{alice/{a.txt, docs/{d.txt}}, bob/{b.txt}}, /etc/passwd
const trees = new Map<TreeId, Tree>();
const put = (n: number, nodes: Node[]) => (trees.set(treeId(n), treeOf(nodes)), treeId(n));
const docs = put(10, [file("d.txt", [4]).node]);
const alice = put(11, [file("a.txt", [1]).node, { ...dir("docs").node, subtree: docs } as Node]);
const bob = put(12, [file("b.txt", [2]).node]);
const home = put(13, [{ ...dir("alice").node, subtree: alice } as Node, { ...dir("bob").node, subtree: bob } as Node]);
const etc = put(14, [file("passwd", [3]).node]);
const root = put(15, [{ ...dir("etc").node, subtree: etc } as Node, { ...dir("home").node, subtree: home } as Node]);

function loader() {
  const loaded: TreeId[] = [];
  return {
    loaded,
    load: async (id: TreeId) => {
      loaded.push(id);
      const t = trees.get(id);
      if (!t) throw new Error(`no tree ${id}`);
      return t;
    },
  };
}

const paths = (entries: { path: Uint8Array }[]) => entries.map((e) => escapeName(e.path));

describe("walkSnapshot", () => {
  it("returns every entry in tree order", async () => {
    const l = loader();
    expect(paths(await walkSnapshot(root, l.load))).toEqual(["etc", "etc/passwd", "home", "home/alice", "home/alice/a.txt", "home/alice/docs", "home/alice/docs/d.txt", "home/bob", "home/bob/b.txt"]);
    expect(l.loaded).toHaveLength(6);
  });

  it("walks only below a subtree and never loads trees the selection cannot reach", async () => {
    const l = loader();
    const entries = await walkSnapshot(root, l.load, { subtree: "/home", selection: { include: ["/home/alice"], exclude: ["docs"] } });
    expect(paths(entries)).toEqual(["home", "home/alice", "home/alice/a.txt"]);
    expect(l.loaded).toEqual([root, home, alice]);
    const plan = planRestore({ entries, locate: layout(), options: { subtree: "/home", selection: { include: ["/home/alice"], exclude: ["docs"] } } });
    expect(plan.files.map((f) => f.path)).toEqual(["alice/a.txt"]);
  });

  it("reports a subtree that is missing or not a directory", async () => {
    await expect(walkSnapshot(root, loader().load, { subtree: "/nope" })).rejects.toThrow(new RestorePlanError("bad-option", "the subtree to restore is not in the snapshot", "nope"));
    await expect(walkSnapshot(root, loader().load, { subtree: "/etc/passwd" })).rejects.toThrow("the subtree to restore is a file, not a directory");
  });

  it("passes on the loader's error (a corrupt or missing tree)", async () => {
    const broken = put(20, [{ ...dir("x").node, subtree: treeId(999) } as Node, { ...dir("y").node, subtree: treeId(998) } as Node]);
    await expect(walkSnapshot(broken, loader().load, { concurrency: 1 })).rejects.toThrow(`no tree ${treeId(999)}`);
  });

  it("stops at the depth limit", async () => {
    let id = put(30, [file("f", [1]).node]);
    for (let i = 0; i < 5; i++) id = put(31 + i, [{ ...dir("d").node, subtree: id } as Node]);
    await expect(walkSnapshot(id, loader().load, { maxDepth: 3 })).rejects.toThrow("directories nest deeper than 3 levels");
  });
});
