// saveEncodedBlob + blobIdKey + createBlobEncoder: blobs hashed and compressed outside the
// writer (as the backup engine does in worker threads) are stored, deduplicated and verified
// exactly like blobs given to saveBlob.
import { createBlobIdHasher } from "@cairn/core";
import { blobIdFromBytes } from "@cairn/manifest";
import { MemoryStorage } from "@cairn/storage";
import { describe, expect, it } from "vitest";
import { CorruptObjectError, createBlobEncoder, openRepository } from "./index.js";
import { bytesOf, newRepo, sameBytes } from "../test/helpers.js";

describe("saveEncodedBlob", () => {
  it("stores blobs encoded elsewhere; they load, dedupe against saveBlob and survive reopening", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage);
    const hasher = await createBlobIdHasher(repo.blobIdKey());
    const encoder = await createBlobEncoder(repo.config.compression);
    const text = bytesOf(1, 100_000, true);
    const random = bytesOf(2, 50_000);
    const ids = [];
    for (const plain of [text, random]) {
      const id = blobIdFromBytes(await hasher.digest(plain));
      const { codec, stored } = encoder.encode(plain);
      const saved = await repo.saveEncodedBlob({ id, type: "data", codec, stored, rawLength: plain.length });
      expect(saved).toMatchObject({ id, added: true });
      ids.push(id);
    }
    expect((await repo.saveEncodedBlob({ id: ids[0]!, type: "data", ...encoder.encode(text), rawLength: text.length })).added).toBe(false);
    expect((await repo.saveBlob("data", random)).added).toBe(false);
    expect(sameBytes(await repo.loadBlob(ids[0]!), text)).toBe(true);
    await repo.close();
    const again = await openRepository(storage, "correct horse");
    expect(sameBytes(await again.loadBlob(ids[1]!), random)).toBe(true);
    expect((await again.saveBlob("data", text)).added).toBe(false);
  });

  it("a blob stored under the wrong ID is reported corrupt when read, never returned", async () => {
    const repo = await newRepo(new MemoryStorage());
    const hasher = await createBlobIdHasher(repo.blobIdKey());
    const plain = bytesOf(3, 1000);
    const wrongId = blobIdFromBytes(await hasher.digest(bytesOf(4, 1000)));
    await repo.saveEncodedBlob({ id: wrongId, type: "data", codec: 0, stored: plain, rawLength: plain.length });
    await repo.flush();
    await expect(repo.loadBlob(wrongId)).rejects.toBeInstanceOf(CorruptObjectError);
  });

  it("rejects an unknown codec and a raw blob of the wrong length, storing nothing", async () => {
    const repo = await newRepo(new MemoryStorage());
    const hasher = await createBlobIdHasher(repo.blobIdKey());
    const plain = bytesOf(5, 100);
    const id = blobIdFromBytes(await hasher.digest(plain));
    await expect(repo.saveEncodedBlob({ id, type: "data", codec: 7, stored: plain, rawLength: 100 })).rejects.toBeInstanceOf(RangeError);
    await expect(repo.saveEncodedBlob({ id, type: "data", codec: 0, stored: plain, rawLength: 99 })).rejects.toBeInstanceOf(RangeError);
    expect(await repo.hasBlob(id)).toBe(false);
  });
});
