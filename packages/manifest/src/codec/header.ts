// The five bytes in front of every manifest: magic "CRN", the object kind, the format version.
// Outside the CBOR body so a reader can refuse a wrong kind or an unknown version before it
// parses anything (FORMAT.md §7.3).
import { ManifestError } from "../errors.js";
import { toHex } from "../internal/bytes.js";

/** The format version this package writes and the only one it reads. */
export const FORMAT_VERSION = 1;
export const HEADER_LENGTH = 5;
const MAGIC = [0x43, 0x52, 0x4e]; // "CRN"

export type ObjectKind = "tree" | "snapshot";
const KIND_BYTE: Record<ObjectKind, number> = { tree: 0x54 /* T */, snapshot: 0x53 /* S */ };

export function header(kind: ObjectKind): Uint8Array {
  return Uint8Array.of(...MAGIC, KIND_BYTE[kind], FORMAT_VERSION);
}

/** Checks the header of `input` for `kind`; returns the offset of the body. */
export function readHeader(input: Uint8Array, kind: ObjectKind): number {
  const field = `${kind} header`;
  if (input.length < HEADER_LENGTH) {
    throw new ManifestError("truncated", field, `a manifest starts with a ${HEADER_LENGTH}-byte header, got only ${input.length} bytes`, 0);
  }
  if (input[0] !== MAGIC[0] || input[1] !== MAGIC[1] || input[2] !== MAGIC[2]) {
    throw new ManifestError("bad-header", field, `not a Cairn manifest: expected magic 43524e ("CRN"), got ${toHex(input.subarray(0, 3))}`, 0);
  }
  const k = input[3]!;
  if (k !== KIND_BYTE[kind]) {
    const other = (Object.keys(KIND_BYTE) as ObjectKind[]).find((x) => KIND_BYTE[x] === k);
    const got = other ? `a ${other} (kind byte 0x${k.toString(16)})` : `unknown kind byte 0x${k.toString(16).padStart(2, "0")}`;
    throw new ManifestError("bad-header", field, `expected a ${kind} (kind byte 0x${KIND_BYTE[kind].toString(16)}), got ${got}`, 3);
  }
  const v = input[4]!;
  if (v !== FORMAT_VERSION) {
    const why = v > FORMAT_VERSION ? "is newer than this reader, which reads version 1 only; upgrade Cairn to read it" : "does not exist";
    throw new ManifestError("unsupported-version", field, `format version ${v} ${why}`, 4);
  }
  return HEADER_LENGTH;
}
