// Typed IDs. In memory an ID is its lowercase 64-hex text, branded so a tree ID, a snapshot ID
// and an arbitrary string cannot be mixed up by accident; on the wire it is its 32 raw bytes.
// Text in memory because IDs are compared, used as Map keys and sent as JSON far more often than
// they are encoded (restic's `internal/restic/id.go` keeps bytes; JavaScript has no value-typed
// byte arrays, so strings are what `===` and `Map` understand).
import { ManifestError } from "./errors.js";
import { fromHex, toHex } from "./internal/bytes.js";
import { describe, isBytes } from "./internal/validate.js";

declare const blobIdBrand: unique symbol;
declare const treeIdBrand: unique symbol;
declare const snapshotIdBrand: unique symbol;

/** Bytes of every ID on the wire. */
export const ID_LENGTH = 32;

/** The ID of a blob (data or tree): its keyed hash, as 64 lowercase hex digits. */
export type BlobId = string & { readonly [blobIdBrand]: true };
/** The ID of a tree blob. Every TreeId is a BlobId; not every BlobId names a tree. */
export type TreeId = BlobId & { readonly [treeIdBrand]: true };
/** The ID of a snapshot object (given by the repository that stores it). */
export type SnapshotId = string & { readonly [snapshotIdBrand]: true };

const ID_PATTERN = /^[0-9a-f]{64}$/;

function parseId(kind: string, text: unknown): string {
  if (typeof text !== "string") throw new TypeError(`${kind}: expected a string, got ${describe(text)}`);
  if (!ID_PATTERN.test(text)) {
    const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    throw new ManifestError("wrong-type", kind, `expected 64 lowercase hex digits, got ${JSON.stringify(shown)} (${text.length} characters)`);
  }
  return text;
}

/**
 * Parse the text form of a blob ID: exactly 64 lowercase hex digits, nothing else (no prefix,
 * no whitespace, no uppercase), so every ID has one spelling.
 * @throws {TypeError} if `text` is not a string.
 * @throws {ManifestError} (`wrong-type`) if it is not 64 lowercase hex digits.
 */
export function parseBlobId(text: string): BlobId {
  return parseId("blob ID", text) as BlobId;
}

/**
 * Parse the text form of a tree ID (same rules as {@link parseBlobId}).
 * @throws {TypeError} if `text` is not a string.
 * @throws {ManifestError} (`wrong-type`) if it is not 64 lowercase hex digits.
 */
export function parseTreeId(text: string): TreeId {
  return parseId("tree ID", text) as TreeId;
}

/**
 * Parse the text form of a snapshot ID (same rules as {@link parseBlobId}).
 * @throws {TypeError} if `text` is not a string.
 * @throws {ManifestError} (`wrong-type`) if it is not 64 lowercase hex digits.
 */
export function parseSnapshotId(text: string): SnapshotId {
  return parseId("snapshot ID", text) as SnapshotId;
}

function idFromBytes(kind: string, bytes: unknown): string {
  if (!isBytes(bytes)) throw new TypeError(`${kind}: expected Uint8Array, got ${describe(bytes)}`);
  if (bytes.length !== ID_LENGTH) throw new ManifestError("out-of-range", kind, `expected ${ID_LENGTH} bytes, got ${bytes.length}`);
  return toHex(bytes);
}

/**
 * The blob ID whose raw form is `bytes` (e.g. a keyed hash from @cairn/core).
 * @throws {TypeError} if `bytes` is not a Uint8Array.
 * @throws {ManifestError} (`out-of-range`) unless it is 32 bytes long.
 */
export function blobIdFromBytes(bytes: Uint8Array): BlobId {
  return idFromBytes("blob ID", bytes) as BlobId;
}

/**
 * The tree ID whose raw form is `bytes`.
 * @throws {TypeError} if `bytes` is not a Uint8Array.
 * @throws {ManifestError} (`out-of-range`) unless it is 32 bytes long.
 */
export function treeIdFromBytes(bytes: Uint8Array): TreeId {
  return idFromBytes("tree ID", bytes) as TreeId;
}

/**
 * The snapshot ID whose raw form is `bytes`.
 * @throws {TypeError} if `bytes` is not a Uint8Array.
 * @throws {ManifestError} (`out-of-range`) unless it is 32 bytes long.
 */
export function snapshotIdFromBytes(bytes: Uint8Array): SnapshotId {
  return idFromBytes("snapshot ID", bytes) as SnapshotId;
}

/**
 * The 32 raw bytes of any ID (a fresh array the caller may keep).
 * @throws {TypeError} if `id` is not a string.
 * @throws {ManifestError} (`wrong-type`) if `id` is not 64 lowercase hex digits (an unchecked cast).
 */
export function idToBytes(id: BlobId | TreeId | SnapshotId): Uint8Array {
  return fromHex(parseId("ID", id))!;
}

/** The text form of an ID, for messages and file names: the ID itself (it is already text). */
export function formatId(id: BlobId | TreeId | SnapshotId): string {
  return id;
}

/** The first 8 hex digits, for humans (like restic's short IDs); never use it to look anything up. */
export function shortId(id: BlobId | TreeId | SnapshotId): string {
  return id.slice(0, 8);
}
