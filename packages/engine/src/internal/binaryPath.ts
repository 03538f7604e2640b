// Paths as "binary strings": one UTF-16 code unit per byte (latin1). Linux file names are bytes,
// not text, so the engine never decodes them; a binary string keeps every byte exactly, compares
// in byte order with `<` (the order trees are sorted in), works as a Map key, clones cheaply
// between threads, and converts to and from a Buffer for fs calls without loss.
import { Buffer } from "node:buffer";

/** A path or name held as one code unit per byte (see the module header). */
export type BinaryPath = string & { readonly __binaryPath?: never };

/** The binary form of `bytes`. */
export function fromBytes(bytes: Uint8Array): BinaryPath {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** The binary form of a JavaScript (UTF-16) string: its UTF-8 bytes, one code unit each. */
export function fromText(text: string): BinaryPath {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** The bytes of a binary path (a fresh Buffer, usable as an fs path). */
export function toBuffer(path: BinaryPath): Buffer {
  return Buffer.from(path, "latin1");
}

/** A binary path as text for people: UTF-8 decoded, invalid sequences as U+FFFD. */
export function toDisplay(path: BinaryPath): string {
  return Buffer.from(path, "latin1").toString("utf8");
}

/** `dir` joined with `name` ("/" + name at the root). */
export function joinPath(dir: BinaryPath, name: BinaryPath): BinaryPath {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

/** True if `path` is `ancestor` or lies beneath it (both absolute and normalised). */
export function isWithin(path: BinaryPath, ancestor: BinaryPath): boolean {
  if (ancestor === "/") return path.startsWith("/");
  return path === ancestor || (path.startsWith(ancestor) && path.charCodeAt(ancestor.length) === 0x2f);
}

/** True if `path` lies strictly beneath `ancestor`. */
export function isBeneath(path: BinaryPath, ancestor: BinaryPath): boolean {
  return path !== ancestor && isWithin(path, ancestor);
}

/** The final component of an absolute path ("" for "/"). */
export function baseName(path: BinaryPath): BinaryPath {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The names along an absolute, normalised path ("/" has none). */
export function components(path: BinaryPath): BinaryPath[] {
  return path === "/" ? [] : path.slice(1).split("/");
}
