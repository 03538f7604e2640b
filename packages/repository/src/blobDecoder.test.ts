// BlobRangeReader.authenticate + createBlobDecoder: a restore's split of `open` across threads
// (decrypt here, decompress and verify there) gives exactly what `open` gives, and every way the
// second half can be wrong is a CorruptObjectError naming the pack and the blob.
import { MemoryStorage } from "@cairn/storage";
import { describe, expect, it } from "vitest";
import { blobRangeReader, CorruptObjectError, createBlobDecoder, createBlobEncoder } from "./index.js";
import { bytesOf, newRepo, sameBytes } from "../test/helpers.js";

describe("authenticate + createBlobDecoder", () => {
  it("decode(authenticate(sealed)) equals open(sealed), for compressed and raw blobs", async () => {
    const repo = await newRepo(new MemoryStorage());
    const text = bytesOf(1, 100_000, true);
    const random = bytesOf(2, 30_000);
    const ids = [(await repo.saveBlob("data", text)).id, (await repo.saveBlob("data", random)).id];
    await repo.flush();
    const reader = blobRangeReader(repo);
    const decoder = await createBlobDecoder(reader.blobIdKey());
    for (const [i, id] of ids.entries()) {
      const where = (await reader.locate(id))!;
      const sealed = await reader.readRange(where.packId, where.offset, where.sealedLength);
      const stored = await reader.authenticate(where, sealed);
      if (i === 0) expect(stored.length).toBeLessThan(text.length); // still compressed
      const plain = await decoder.decode(where, stored);
      expect(sameBytes(plain, i === 0 ? text : random)).toBe(true);
      expect(sameBytes(plain, await reader.open(where, sealed))).toBe(true);
    }
    await repo.close();
  });

  it("stored bytes that do not decompress, or decode to another ID, are CorruptObjectErrors naming the pack and blob", async () => {
    const repo = await newRepo(new MemoryStorage());
    const text = bytesOf(3, 50_000, true);
    const id = (await repo.saveBlob("data", text)).id;
    await repo.flush();
    const reader = blobRangeReader(repo);
    const decoder = await createBlobDecoder(reader.blobIdKey());
    const where = (await reader.locate(id))!;
    const stored = await reader.authenticate(where, await reader.readRange(where.packId, where.offset, where.sealedLength));

    const garbled = stored.slice();
    garbled.fill(0x55, 0, 16); // the zstd frame header
    const e1 = await decoder.decode(where, garbled).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(CorruptObjectError);
    expect((e1 as Error).message).toMatch(new RegExp(`^blob ${id} in data/${where.packId} is corrupt: does not decompress`));

    // A well-formed frame of other plaintext (what a writer that vouched for a wrong ID stores).
    const other = (await createBlobEncoder(repo.config.compression)).encode(bytesOf(4, 50_000, true));
    const e2 = await decoder.decode({ ...where, codec: other.codec, rawLength: 50_000 }, other.stored).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(CorruptObjectError);
    expect((e2 as Error).message).toMatch(/is corrupt: plaintext hashes to [0-9a-f]{64}$/);

    // A decoder keyed differently (another repository) rejects every blob.
    const stranger = await createBlobDecoder(new Uint8Array(32).fill(7));
    await expect(stranger.decode(where, stored)).rejects.toThrow(CorruptObjectError);
    await repo.close();
  });
});
