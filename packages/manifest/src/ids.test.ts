// Typed IDs: strict parsing, byte conversion.
import { describe, expect, it } from "vitest";
import { ManifestError, blobIdFromBytes, idToBytes, parseBlobId, parseSnapshotId, parseTreeId, shortId, type BlobId, type TreeId } from "./index.js";

const HEX = "0123456789abcdef".repeat(4);

describe("IDs", () => {
  it("parse exactly 64 lowercase hex digits", () => {
    expect(parseBlobId(HEX)).toBe(HEX);
    expect(parseTreeId(HEX)).toBe(HEX);
    expect(parseSnapshotId(HEX)).toBe(HEX);
    for (const bad of ["", HEX.slice(1), HEX + "0", HEX.toUpperCase(), ` ${HEX.slice(1)}`, `0x${HEX.slice(2)}`, HEX.replace("a", "g")]) {
      expect(() => parseBlobId(bad), bad).toThrow(ManifestError);
    }
    expect(() => parseBlobId(HEX.toUpperCase())).toThrow(`blob ID: expected 64 lowercase hex digits, got "${HEX.toUpperCase()}" (64 characters)`);
    expect(() => parseBlobId(42 as unknown as string)).toThrow(new TypeError("blob ID: expected a string, got number"));
  });

  it("convert to and from 32 raw bytes", () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 8);
    const id = blobIdFromBytes(bytes);
    expect(id).toBe(Buffer.from(bytes).toString("hex"));
    expect(idToBytes(id)).toEqual(bytes);
    expect(() => blobIdFromBytes(new Uint8Array(31))).toThrow("blob ID: expected 32 bytes, got 31");
    expect(shortId(id)).toBe(id.slice(0, 8));
  });

  it("a TreeId is a BlobId, not the other way round (compile-time)", () => {
    const tree: TreeId = parseTreeId(HEX);
    const blob: BlobId = tree;
    // @ts-expect-error a BlobId is not known to name a tree
    const notTree: TreeId = parseBlobId(HEX);
    expect([blob, notTree]).toEqual([HEX, HEX]);
  });
});
