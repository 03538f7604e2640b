// A tree is the listing of one directory: its nodes, sorted by name bytes, names unique. Stored
// as a tree blob whose ID (a TreeId) its parent directory's node, or the snapshot, refers to;
// identical directories encode to identical bytes and so are stored once.
import { ManifestError } from "./errors.js";
import { compareBytes } from "./internal/bytes.js";
import { array, bytes, object } from "./internal/validate.js";
import { LIMITS } from "./limits.js";
import { nameProblem } from "./names.js";
import type { Node } from "./node.js";
import { escapeName, nameFromString } from "./text.js";
import { MAX_MAP_ENTRIES, readKey, type DecodeOptions } from "./codec/fields.js";
import { header, readHeader } from "./codec/header.js";
import { decodeNode } from "./codec/nodeDecoder.js";
import { encodeNode } from "./codec/nodeEncoder.js";
import { Reader } from "./codec/reader.js";
import { Writer } from "./codec/writer.js";

/** One directory's entries, in strictly ascending byte order of `name`. */
export interface Tree {
  readonly nodes: readonly Node[];
}

const TREE_FIELD_NODES = 0;
/** Smallest possible encoded node (a fifo with a one-byte name and small numbers). */
const MIN_NODE_BYTES = 16;

/**
 * A tree of `nodes` in canonical order (sorted by name bytes). Only names are checked here;
 * {@link encodeTree} checks everything else.
 * @throws {TypeError} if a node or its name has the wrong type.
 * @throws {ManifestError} (`unsafe-name`, `duplicate`, `limit-exceeded`) for a bad or repeated name.
 */
export function createTree(nodes: Iterable<Node>): Tree {
  const list = [...nodes];
  list.forEach((n, i) => {
    const p = nameProblem(bytes(`nodes[${i}].name`, object<Node>(`nodes[${i}]`, n).name));
    if (p) throw new ManifestError(p.code, `nodes[${i}].name`, p.detail);
  });
  if (list.length > LIMITS.maxTreeNodes) throw new ManifestError("limit-exceeded", "nodes", `at most ${LIMITS.maxTreeNodes} items allowed, got ${list.length}`);
  list.sort((a, b) => compareBytes(a.name, b.name));
  for (let i = 1; i < list.length; i++) {
    if (compareBytes(list[i - 1]!.name, list[i]!.name) === 0) throw new ManifestError("duplicate", "nodes", `two nodes are named "${escapeName(list[i]!.name)}"`);
  }
  return { nodes: list };
}

/**
 * The node called `name` (bytes, or a string taken as UTF-8), by binary search, or undefined.
 * @throws {TypeError} if `name` is neither a Uint8Array nor a string.
 * @throws {ManifestError} (`invalid-utf8`) if a string name has a lone surrogate.
 */
export function findNode(tree: Tree, name: Uint8Array | string): Node | undefined {
  const key = typeof name === "string" ? nameFromString(name) : bytes("name", name);
  let lo = 0;
  let hi = tree.nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const order = compareBytes(tree.nodes[mid]!.name, key);
    if (order === 0) return tree.nodes[mid];
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * The canonical bytes of `tree` (FORMAT.md §7.5): the same tree always gives the same bytes.
 * Every rule the decoder enforces is checked first, so an invalid tree is never written.
 * @throws {TypeError} if a field has the wrong JavaScript type.
 * @throws {ManifestError} naming the first field that breaks a rule (unsafe or unsorted names,
 *   out-of-range numbers, inconsistent sizes, limits…).
 */
export function encodeTree(tree: Tree): Uint8Array {
  const nodes = array<Node>("tree.nodes", object<Tree>("tree", tree).nodes);
  if (nodes.length > LIMITS.maxTreeNodes) throw new ManifestError("limit-exceeded", "tree.nodes", `at most ${LIMITS.maxTreeNodes} items allowed, got ${nodes.length}`);
  const w = new Writer();
  w.raw(header("tree"));
  w.map(nodes.length > 0 ? 1 : 0);
  if (nodes.length > 0) {
    w.uint(TREE_FIELD_NODES);
    w.array(nodes.length);
    let previous: Uint8Array | undefined;
    nodes.forEach((node, i) => {
      const field = `tree.nodes[${i}]`;
      const name = encodeNode(w, node, field);
      const bad = previous ? orderProblem(previous, name, i) : null;
      if (bad) throw new ManifestError(bad[0], `${field}.name`, bad[1]);
      previous = name;
    });
  }
  return w.finish();
}

function orderProblem(previous: Uint8Array, name: Uint8Array, i: number): ["duplicate" | "unsorted", string] | null {
  const order = compareBytes(previous, name);
  if (order === 0) return ["duplicate", `repeats the name of nodes[${i - 1}]`];
  if (order > 0) return ["unsorted", `nodes must be in ascending byte order of name, but this one sorts before nodes[${i - 1}]`];
  return null;
}

/**
 * The tree encoded in `input`, after validating every byte: header, canonical CBOR, every
 * field's type and range, path-safe unique names in order, limits, and no trailing bytes.
 * @throws {TypeError} if `input` is not a Uint8Array.
 * @throws {ManifestError} for anything else, never another error: its message names the field
 *   and the byte offset.
 */
export function decodeTree(input: Uint8Array, options: DecodeOptions = {}): Tree {
  bytes("input", input);
  if (input.length > LIMITS.maxObjectBytes) throw new ManifestError("limit-exceeded", "tree", `an encoded object must be at most ${LIMITS.maxObjectBytes} bytes, got ${input.length}`, 0);
  const r = new Reader(input, readHeader(input, "tree"), "tree");
  let nodes: Node[] = [];
  const count = r.map("", MAX_MAP_ENTRIES);
  let previous = -1;
  for (let k = 0; k < count; k++) {
    const key = readKey(r, previous, TREE_FIELD_NODES, options);
    previous = key;
    if (key !== TREE_FIELD_NODES) continue;
    r.enter("nodes");
    const n = r.array("", LIMITS.maxTreeNodes, MIN_NODE_BYTES);
    if (n === 0) r.fail("not-canonical", "", "an empty list must be omitted, not encoded", r.at);
    nodes = new Array<Node>(n);
    for (let i = 0; i < n; i++) {
      const start = r.pos;
      r.enter(i);
      const node = decodeNode(r, options);
      const bad = i > 0 ? orderProblem(nodes[i - 1]!.name, node.name, i) : null;
      if (bad) r.fail(bad[0], "name", bad[1], start);
      r.leave();
      nodes[i] = node;
    }
    r.leave();
  }
  if (r.remaining > 0) r.fail("trailing-bytes", "", `${r.remaining} byte${r.remaining === 1 ? "" : "s"} follow${r.remaining === 1 ? "s" : ""} the end of the tree`, r.pos);
  return { nodes };
}
