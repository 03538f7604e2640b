// Nodes on the wire, reading side (FORMAT.md §7.4): one map per node, every field checked for
// type, range and the path-safety rules; errors carry the field path and byte offset. Field
// names given to the reader are relative to the node: the reader tracks the node's own path.
import { compareBytes, toHex } from "../internal/bytes.js";
import { ID_LENGTH, type BlobId, type TreeId } from "../ids.js";
import { INT64_MAX, INT64_MIN, LIMITS, UINT32_MAX, UINT64_MAX } from "../limits.js";
import { nameProblem } from "../names.js";
import { NODE_TYPES, type ContentEntry, type Node, type NodeType, type Xattr } from "../node.js";
import { MAX_MAP_ENTRIES, readKey, type DecodeOptions } from "./fields.js";
import { FIELD_BY_KEY, LAST_KEY, MAX_HOLE, MAX_MODE, NODE_FIELDS, REQUIRED, TYPE_FIELDS, TYPE_REQUIRED, TYPE_SPECIFIC, xattrProblem } from "./nodeFields.js";
import { MAJOR_ARRAY, type Reader } from "./reader.js";

interface Fields {
  name?: Uint8Array; type?: NodeType; mode?: number; uid?: number; gid?: number;
  user: string | null; group: string | null; mtimeNs?: bigint; ctimeNs?: bigint; atimeNs: bigint | null;
  inode: bigint | null; deviceId: bigint | null; links: number | null; xattrs: Xattr[];
  size?: bigint; content: ContentEntry[]; linkTarget?: Uint8Array; rdevMajor?: number; rdevMinor?: number;
  subtree?: TreeId;
}

/** Reads a 32-byte ID as its hex text. */
export function readIdHex(r: Reader, field: string): string {
  const view = r.bytesView(field, 0, LIMITS.maxPathBytes);
  if (view.length !== ID_LENGTH) r.fail("out-of-range", field, `an ID must be ${ID_LENGTH} bytes, got ${view.length}`, r.at);
  return toHex(view);
}

/** Reads one node map at the reader's current path. */
export function decodeNode(r: Reader, options: DecodeOptions): Node {
  const f: Fields = { user: null, group: null, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [], content: [] };
  const keyAt: number[] = [];
  const mapAt = r.pos;
  const count = r.map("", MAX_MAP_ENTRIES);
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const kAt = r.pos;
    const key = readKey(r, previous, LAST_KEY, options);
    previous = key;
    if (key > LAST_KEY) continue;
    keyAt[key] = kAt;
    const name = FIELD_BY_KEY[key]!;
    switch (name) {
      case "name": {
        // Read at any length so an over-long name gets the same message as in the encoder.
        const value = r.bytes(name, 0, LIMITS.maxObjectBytes);
        const p = nameProblem(value);
        if (p) r.fail(p.code, name, p.detail, r.at);
        f.name = value;
        break;
      }
      case "type": {
        const code = r.uint(name, Number.MAX_SAFE_INTEGER);
        if (code < 1 || code > NODE_TYPES.length) r.fail("out-of-range", name, `unknown node type code ${code}; this version knows 1..${NODE_TYPES.length}`, r.at);
        f.type = NODE_TYPES[code - 1]!;
        break;
      }
      case "mode":
        f.mode = r.uint(name, MAX_MODE);
        break;
      case "uid":
      case "gid":
        f[name] = r.uint(name, UINT32_MAX);
        break;
      case "user":
      case "group":
        f[name] = r.text(name, 1, LIMITS.maxLabelBytes);
        break;
      case "mtimeNs":
      case "ctimeNs":
      case "atimeNs":
        f[name] = r.bigInt(name, INT64_MIN, INT64_MAX);
        break;
      case "inode":
      case "deviceId":
        f[name] = r.bigUint(name, UINT64_MAX);
        break;
      case "links":
        f.links = r.uint(name, UINT32_MAX);
        if (f.links < 1) r.fail("out-of-range", name, "must be at least 1, got 0", r.at);
        break;
      case "xattrs":
        r.enter(name);
        f.xattrs = readXattrs(r);
        r.leave();
        break;
      case "size":
        f.size = r.bigUint(name, INT64_MAX);
        break;
      case "content":
        r.enter(name);
        f.content = readContent(r);
        r.leave();
        break;
      case "linkTarget": {
        const value = r.bytes(name, 1, LIMITS.maxPathBytes);
        const nul = value.indexOf(0);
        if (nul >= 0) r.fail("out-of-range", name, `a symlink target must not contain a NUL byte (byte ${nul})`, r.at);
        f.linkTarget = value;
        break;
      }
      case "rdevMajor":
      case "rdevMinor":
        f[name] = r.uint(name, UINT32_MAX);
        break;
      case "subtree":
        f.subtree = readIdHex(r, name) as TreeId;
        break;
    }
  }

  for (const req of REQUIRED) {
    if (keyAt[NODE_FIELDS[req]] === undefined) r.fail("missing-field", req, `required field ${NODE_FIELDS[req]} (${req}) is missing`, mapAt);
  }
  const type = f.type!;
  for (const name of TYPE_SPECIFIC) {
    const k = keyAt[NODE_FIELDS[name]];
    if (k !== undefined && !TYPE_FIELDS[type].includes(name)) r.fail("field-not-allowed", name, `a ${type} node has no ${name} (field ${NODE_FIELDS[name]})`, k);
  }
  for (const name of TYPE_REQUIRED[type]) {
    if (keyAt[NODE_FIELDS[name]] === undefined) r.fail("missing-field", name, `a ${type} node requires field ${NODE_FIELDS[name]} (${name})`, mapAt);
  }
  if (type === "file") {
    // Sum in numbers while exact, spilling into a bigint (rounding never hides the overflow).
    let total = 0;
    let big = 0n;
    for (const e of f.content) {
      if (total + e.length > Number.MAX_SAFE_INTEGER) {
        big += BigInt(total);
        total = 0;
      }
      total += e.length;
    }
    const sum = big + BigInt(total);
    if (sum !== f.size) r.fail("inconsistent", "size", `size is ${f.size} but the content adds up to ${sum} bytes`, keyAt[NODE_FIELDS.size]!);
  }

  const name = f.name!, mode = f.mode!, uid = f.uid!, gid = f.gid!, user = f.user, group = f.group;
  const mtimeNs = f.mtimeNs!, ctimeNs = f.ctimeNs!, atimeNs = f.atimeNs, inode = f.inode, deviceId = f.deviceId, links = f.links, xattrs = f.xattrs;
  switch (type) {
    case "file":
      return { name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, atimeNs, inode, deviceId, links, xattrs, size: f.size!, content: f.content };
    case "dir":
      return { name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, atimeNs, inode, deviceId, links, xattrs, subtree: f.subtree! };
    case "symlink":
      return { name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, atimeNs, inode, deviceId, links, xattrs, linkTarget: f.linkTarget! };
    case "chardev":
    case "blockdev":
      return { name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, atimeNs, inode, deviceId, links, xattrs, rdevMajor: f.rdevMajor!, rdevMinor: f.rdevMinor! };
    default:
      return { name, type, mode, uid, gid, user, group, mtimeNs, ctimeNs, atimeNs, inode, deviceId, links, xattrs };
  }
}

function readXattrs(r: Reader): Xattr[] {
  const count = r.array("", LIMITS.maxXattrs, 3);
  if (count === 0) r.fail("not-canonical", "", "an empty list must be omitted, not encoded", r.at);
  const out: Xattr[] = [];
  for (let i = 0; i < count; i++) {
    r.enter(i);
    const pairCount = r.array("", 2, 1);
    if (pairCount !== 2) r.fail("wrong-type", "", `an xattr must be a 2-item array [name, value], got ${pairCount} items`, r.at);
    const name = r.bytes("name", 1, LIMITS.maxXattrNameBytes);
    const nameAt = r.at;
    const problem = xattrProblem(name);
    if (problem) r.fail("unsafe-name", "name", problem, nameAt);
    if (i > 0) {
      const order = compareBytes(out[i - 1]!.name, name);
      if (order === 0) r.fail("duplicate", "name", `repeats the name of xattrs[${i - 1}]`, nameAt);
      if (order > 0) r.fail("unsorted", "name", `xattrs must be in ascending byte order of name, but this one sorts before xattrs[${i - 1}]`, nameAt);
    }
    out.push({ name, value: r.bytes("value", 0, LIMITS.maxXattrValueBytes) });
    r.leave();
  }
  return out;
}

function readContent(r: Reader): ContentEntry[] {
  const count = r.array("", LIMITS.maxContentEntries, 2);
  if (count === 0) r.fail("not-canonical", "", "an empty list must be omitted, not encoded", r.at);
  const out: ContentEntry[] = new Array<ContentEntry>(count);
  let previousHole = -1;
  for (let i = 0; i < count; i++) {
    r.enter(i);
    r.expect("", MAJOR_ARRAY);
    const entryAt = r.at;
    const items = r.arg;
    if (items !== 1 && items !== 2) r.fail("wrong-type", "", `a content entry must be [length] (a hole) or [length, id] (data), got ${items} items`, entryAt);
    if (items === 2) {
      const length = r.uint("length", LIMITS.maxBlobLength);
      if (length === 0) r.fail("out-of-range", "length", "must be at least 1, got 0", r.at);
      out[i] = { kind: "data", id: readIdHex(r, "id") as BlobId, length };
      previousHole = -1;
    } else {
      const length = r.uint("length", MAX_HOLE);
      if (length === 0) r.fail("out-of-range", "length", "must be at least 1, got 0", r.at);
      if (previousHole >= 0 && previousHole < MAX_HOLE) r.fail("not-canonical", "", `a hole may only follow a hole of the maximum length ${MAX_HOLE}; merge adjacent holes`, entryAt);
      out[i] = { kind: "hole", length };
      previousHole = length;
    }
    r.leave();
  }
  return out;
}
