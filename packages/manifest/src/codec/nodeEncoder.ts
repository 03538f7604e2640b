// Nodes on the wire, writing side (FORMAT.md §7.4): every field is checked with the same rule
// and wording as the decoder uses, so we never write a node we would not read back. Every field
// is checked into locals first, then the map is written in ascending key order.
import { ManifestError } from "../errors.js";
import { compareBytes, isLowerHex } from "../internal/bytes.js";
import { describe } from "../internal/validate.js";
import { ID_LENGTH } from "../ids.js";
import { INT64_MAX, INT64_MIN, LIMITS, UINT32_MAX, UINT64_MAX } from "../limits.js";
import { nameProblem } from "../names.js";
import { NODE_TYPES, type NodeType, type Xattr } from "../node.js";
import { arrayField, bigField, bytesField, idField, join, objectField, present, textField, uintField } from "./checks.js";
import { MAX_HOLE, MAX_MODE, NODE_FIELDS, TYPE_CODES, TYPE_FIELDS, TYPE_REQUIRED, TYPE_SPECIFIC, xattrProblem } from "./nodeFields.js";
import type { Writer } from "./writer.js";

interface CheckedEntry {
  readonly length: number;
  /** Hex of the blob ID, or null for a hole. */
  readonly id: string | null;
}

/** Writes `value` as a node map after checking every rule. `field` is the node's path. Returns the name. */
export function encodeNode(w: Writer, value: unknown, field: string): Uint8Array {
  const node = objectField(field, "", value);
  const name = bytesField(field, "name", node.name, 0, Number.MAX_SAFE_INTEGER);
  const np = nameProblem(name);
  if (np) throw new ManifestError(np.code, join(field, "name"), np.detail);
  const type = node.type as NodeType;
  if (typeof type !== "string") throw new TypeError(`${join(field, "type")}: expected a string, got ${describe(type)}`);
  if (!NODE_TYPES.includes(type)) throw new ManifestError("out-of-range", join(field, "type"), `unknown node type ${JSON.stringify(type)}; expected one of ${NODE_TYPES.join(", ")}`);
  for (const f of TYPE_SPECIFIC) {
    if (node[f] !== undefined && !TYPE_FIELDS[type].includes(f)) throw new ManifestError("field-not-allowed", join(field, f), `a ${type} node has no ${f} (field ${NODE_FIELDS[f]})`);
  }

  const mode = uintField(field, "mode", node.mode, 0, MAX_MODE);
  const uid = uintField(field, "uid", node.uid, 0, UINT32_MAX);
  const gid = uintField(field, "gid", node.gid, 0, UINT32_MAX);
  const user = present(node.user) ? textField(field, "user", node.user, 1, LIMITS.maxLabelBytes) : null;
  const group = present(node.group) ? textField(field, "group", node.group, 1, LIMITS.maxLabelBytes) : null;
  const mtime = bigField(field, "mtimeNs", node.mtimeNs, INT64_MIN, INT64_MAX);
  const ctime = bigField(field, "ctimeNs", node.ctimeNs, INT64_MIN, INT64_MAX);
  const atime = present(node.atimeNs) ? bigField(field, "atimeNs", node.atimeNs, INT64_MIN, INT64_MAX) : null;
  const inode = present(node.inode) ? bigField(field, "inode", node.inode, 0n, UINT64_MAX) : null;
  const device = present(node.deviceId) ? bigField(field, "deviceId", node.deviceId, 0n, UINT64_MAX) : null;
  const links = present(node.links) ? uintField(field, "links", node.links, 1, UINT32_MAX) : null;
  const xattrs = node.xattrs === undefined ? [] : checkXattrs(field, node.xattrs);

  let size = 0n;
  let content: CheckedEntry[] = [];
  let target: Uint8Array | null = null;
  let major = 0;
  let minor = 0;
  let subtree: string | null = null;
  if (type === "file") {
    size = bigField(field, "size", node.size, 0n, INT64_MAX);
    content = checkContent(field, node.content, size);
  } else if (type === "symlink") {
    target = bytesField(field, "linkTarget", node.linkTarget, 1, LIMITS.maxPathBytes);
    const nul = target.indexOf(0);
    if (nul >= 0) throw new ManifestError("out-of-range", join(field, "linkTarget"), `a symlink target must not contain a NUL byte (byte ${nul})`);
  } else if (type === "chardev" || type === "blockdev") {
    major = uintField(field, "rdevMajor", node.rdevMajor, 0, UINT32_MAX);
    minor = uintField(field, "rdevMinor", node.rdevMinor, 0, UINT32_MAX);
  } else if (type === "dir") {
    subtree = idField(field, "subtree", node.subtree);
  }

  const count = 7 + +(user !== null) + +(group !== null) + +(atime !== null) + +(inode !== null) + +(device !== null) + +(links !== null) + +(xattrs.length > 0) +
    TYPE_REQUIRED[type].length + +(content.length > 0);
  w.map(count);
  w.uint(NODE_FIELDS.name);
  w.bytes(name);
  w.uint(NODE_FIELDS.type);
  w.uint(TYPE_CODES[type]);
  w.uint(NODE_FIELDS.mode);
  w.uint(mode);
  w.uint(NODE_FIELDS.uid);
  w.uint(uid);
  w.uint(NODE_FIELDS.gid);
  w.uint(gid);
  if (user !== null) {
    w.uint(NODE_FIELDS.user);
    w.text(user);
  }
  if (group !== null) {
    w.uint(NODE_FIELDS.group);
    w.text(group);
  }
  w.uint(NODE_FIELDS.mtimeNs);
  w.int(mtime);
  w.uint(NODE_FIELDS.ctimeNs);
  w.int(ctime);
  if (atime !== null) {
    w.uint(NODE_FIELDS.atimeNs);
    w.int(atime);
  }
  if (inode !== null) {
    w.uint(NODE_FIELDS.inode);
    w.uint(inode);
  }
  if (device !== null) {
    w.uint(NODE_FIELDS.deviceId);
    w.uint(device);
  }
  if (links !== null) {
    w.uint(NODE_FIELDS.links);
    w.uint(links);
  }
  if (xattrs.length > 0) {
    w.uint(NODE_FIELDS.xattrs);
    w.array(xattrs.length);
    for (const x of xattrs) {
      w.array(2);
      w.bytes(x.name);
      w.bytes(x.value);
    }
  }
  if (type === "file") {
    w.uint(NODE_FIELDS.size);
    w.uint(size);
    if (content.length > 0) {
      w.uint(NODE_FIELDS.content);
      w.array(content.length);
      for (const e of content) {
        w.array(e.id ? 2 : 1);
        w.uint(e.length);
        if (e.id) w.hexBytes(e.id);
      }
    }
  } else if (target) {
    w.uint(NODE_FIELDS.linkTarget);
    w.bytes(target);
  } else if (type === "chardev" || type === "blockdev") {
    w.uint(NODE_FIELDS.rdevMajor);
    w.uint(major);
    w.uint(NODE_FIELDS.rdevMinor);
    w.uint(minor);
  } else if (subtree) {
    w.uint(NODE_FIELDS.subtree);
    w.hexBytes(subtree);
  }
  return name;
}

function checkXattrs(node: string, value: unknown): Xattr[] {
  const list = arrayField(node, "xattrs", value, LIMITS.maxXattrs);
  const base = join(node, "xattrs");
  const out: Xattr[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `[${i}]`;
    const x = objectField(base, at, list[i]);
    const item = join(base, at);
    const name = bytesField(item, "name", x.name, 1, LIMITS.maxXattrNameBytes);
    const problem = xattrProblem(name);
    if (problem) throw new ManifestError("unsafe-name", join(item, "name"), problem);
    const value = bytesField(item, "value", x.value, 0, LIMITS.maxXattrValueBytes);
    if (i > 0) {
      const order = compareBytes(out[i - 1]!.name, name);
      if (order === 0) throw new ManifestError("duplicate", join(item, "name"), `repeats the name of xattrs[${i - 1}]`);
      if (order > 0) throw new ManifestError("unsorted", join(item, "name"), `xattrs must be in ascending byte order of name, but this one sorts before xattrs[${i - 1}]`);
    }
    out.push({ name, value });
  }
  return out;
}

function checkContent(node: string, value: unknown, size: bigint): CheckedEntry[] {
  const list = arrayField(node, "content", value, LIMITS.maxContentEntries);
  const base = join(node, "content");
  const out: CheckedEntry[] = new Array<CheckedEntry>(list.length);
  let total = 0;
  let big = 0n;
  let previousHole = -1;
  for (let i = 0; i < list.length; i++) {
    // Fast checks first; the throwing checkers are only called to build the error.
    const e = list[i] as Record<string, unknown>;
    if (typeof e !== "object" || e === null) objectField(base, `[${i}]`, e);
    let length = e.length as number;
    const lengthOk = typeof length === "number" && Number.isInteger(length) && length >= 1;
    if (e.kind === "data") {
      const id = e.id as string;
      if (typeof id !== "string" || !isLowerHex(id, ID_LENGTH)) idField(`${base}[${i}]`, "id", id);
      if (!lengthOk || length > LIMITS.maxBlobLength) length = uintField(`${base}[${i}]`, "length", length, 1, LIMITS.maxBlobLength);
      out[i] = { length, id };
      previousHole = -1;
    } else if (e.kind === "hole") {
      if (e.id !== undefined) throw new ManifestError("field-not-allowed", `${base}[${i}].id`, "a hole has no blob ID");
      if (!lengthOk || length > MAX_HOLE) length = uintField(`${base}[${i}]`, "length", length, 1, MAX_HOLE);
      if (previousHole >= 0 && previousHole < MAX_HOLE) throw new ManifestError("not-canonical", `${base}[${i}]`, `a hole may only follow a hole of the maximum length ${MAX_HOLE}; merge adjacent holes`);
      out[i] = { length, id: null };
      previousHole = length;
    } else {
      throw new ManifestError("out-of-range", `${base}[${i}].kind`, `expected "data" or "hole", got ${JSON.stringify(e.kind)}`);
    }
    if (total + length > Number.MAX_SAFE_INTEGER) {
      big += BigInt(total);
      total = 0;
    }
    total += length;
  }
  const sum = big + BigInt(total);
  if (sum !== size) throw new ManifestError("inconsistent", join(node, "size"), `size is ${size} but the content adds up to ${sum} bytes`);
  return out;
}

