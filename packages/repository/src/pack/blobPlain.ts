// Reading one blob all the way to verified plaintext, given its location: fetch (one ranged
// read), authenticate, decompress, and check that the plaintext hashes to the blob's ID. Used
// where a blob's location comes from decoded index objects rather than the IndexView (prune).
import { idToBytes } from "@cairn/manifest";
import { CorruptObjectError } from "../errors.js";
import { equalBytes, toHex } from "../internal/bytes.js";
import type { RepositoryContext } from "../internal/context.js";
import { packKey } from "./packFormat.js";
import { fetchBlob, type BlobLocation } from "./packReader.js";

/**
 * Decompresses already-authenticated stored bytes and checks them against the blob's ID.
 * @throws {CorruptObjectError} naming the pack and the blob if they do not decompress or match.
 */
export async function verifiedPlaintext(ctx: Pick<RepositoryContext, "compressor" | "blobIds">, location: BlobLocation, stored: Uint8Array): Promise<Uint8Array> {
  const where = packKey(location.packId);
  let plain: Uint8Array;
  try {
    plain = ctx.compressor.decode(location.codec, stored, location.rawLength);
  } catch (error) {
    throw new CorruptObjectError(where, `does not decompress: ${(error as Error).message}`, { blobId: location.id, cause: error });
  }
  const actual = await ctx.blobIds.digest(plain);
  if (!equalBytes(actual, idToBytes(location.id))) throw new CorruptObjectError(where, `plaintext hashes to ${toHex(actual)}`, { blobId: location.id });
  return plain;
}

/**
 * The verified plaintext of the blob at `location`.
 * @throws {MissingObjectError} if its pack is gone.
 * @throws {CorruptObjectError} if it is truncated, does not authenticate, decompress or match its ID.
 */
export async function readBlobPlain(ctx: Pick<RepositoryContext, "storage" | "cipher" | "compressor" | "blobIds">, location: BlobLocation): Promise<Uint8Array> {
  return verifiedPlaintext(ctx, location, await fetchBlob(ctx.storage, ctx.cipher, location));
}
