// The blob envelope's inner layers undone: decompress a blob's authenticated stored bytes and
// check the plaintext against its keyed ID. The range reader runs it right after decrypting;
// a restore can run it on other threads instead (`createBlobDecoder`), so that decompressing
// and hashing — most of the CPU a restore spends per byte — happen beside the thread that
// decrypts. A decoder holds the blob-ID key only: it cannot decrypt anything.
import { createBlobIdHasher, type BlobIdHasher } from "@cairn/core";
import { idToBytes, type BlobId } from "@cairn/manifest";
import { BlobCompressor } from "../compression.js";
import { CorruptObjectError } from "../errors.js";
import { equalBytes, toHex } from "../internal/bytes.js";
import { packKey } from "./packFormat.js";

/** What decoding needs to know of a blob: fields of its index entry (`BlobLocation` has them). */
export interface BlobCoding {
  readonly id: BlobId;
  readonly packId: string;
  /** CODEC_RAW (0) or CODEC_ZSTD (1). */
  readonly codec: number;
  readonly rawLength: number;
}

export interface BlobDecoder {
  /**
   * The plaintext of a blob's stored bytes (as `BlobRangeReader.authenticate` returns them).
   * @throws {CorruptObjectError} naming the pack and the blob if they do not decompress to
   *   `rawLength` bytes or the plaintext does not hash to the blob's ID.
   */
  decode(blob: BlobCoding, stored: Uint8Array): Promise<Uint8Array>;
}

/** A decoder over a repository's compressor and blob-ID hasher. */
export function blobDecoder(compressor: BlobCompressor, blobIds: BlobIdHasher): BlobDecoder {
  return {
    async decode(blob, stored) {
      const where = packKey(blob.packId);
      let plain: Uint8Array;
      try {
        plain = compressor.decode(blob.codec, stored, blob.rawLength);
      } catch (error) {
        throw new CorruptObjectError(where, `does not decompress: ${(error as Error).message}`, { blobId: blob.id, cause: error });
      }
      const actual = await blobIds.digest(plain);
      if (!equalBytes(actual, idToBytes(blob.id))) throw new CorruptObjectError(where, `plaintext hashes to ${toHex(actual)}`, { blobId: blob.id });
      return plain;
    },
  };
}

/**
 * A decoder for another thread (a worker), from the repository's blob-ID key
 * (`Repository.blobIdKey()` or `BlobRangeReader.blobIdKey()`; the caller may wipe it afterwards).
 * Each realm loads its own zstd instance.
 */
export async function createBlobDecoder(blobIdKey: Uint8Array): Promise<BlobDecoder> {
  return blobDecoder(await BlobCompressor.create({ algorithm: "none" }), await createBlobIdHasher(blobIdKey, "auto"));
}
