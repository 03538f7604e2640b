// Saving blobs: deduplicate, compress, seal into packs (data and tree blobs in separate packs),
// upload finished packs, and write index objects for uploaded packs — in that order, so an
// index object never names a pack that is not durable (ARCHITECTURE decision 7).
//
// Concurrency inside one process: `save` may be called many times at once. The ID is marked
// pending before the first await, so a blob is packed once; each blob type's pack is appended
// to under a small mutex; at most `maxUploads` packs upload at once, and `save` waits when that
// many are in flight (back-pressure instead of unbounded memory). A failed upload is reported by
// the next `save` or `flush`.
//
// Deduplication sees: blobs pending in this writer, and everything in the index as of the last
// refresh (other writers' finished index objects included). The index is refreshed whenever this
// writer writes an index object and at every flush. Two writers racing on a new blob may both
// store it: harmless duplicates that prune removes.
import { blobIdFromBytes, type BlobId } from "@cairn/manifest";
import { CODEC_RAW, CODEC_ZSTD } from "./compression.js";
import type { RepositoryContext } from "./internal/context.js";
import { decodeIndex, encodeIndex } from "./index/indexFormat.js";
import type { BlobType, PackEntry } from "./pack/packFormat.js";
import type { BlobLocation } from "./pack/packReader.js";
import { PackWriter, type FinishedPack } from "./pack/packWriter.js";

export interface BlobWriterOptions {
  /** Write an index object once this many blobs sit in uploaded, unindexed packs (default 8192). */
  readonly indexEvery?: number;
  /** Packs uploading at once (default 2). */
  readonly maxUploads?: number;
  /** Called before the first write. */
  readonly beforeFirstWrite?: () => Promise<void>;
  /**
   * Called before each index object is written; throwing stops the write (the repository
   * confirms its lock is still held, so a writer that lost it never indexes packs a prune may
   * already have judged abandoned).
   */
  readonly beforeIndexWrite?: () => Promise<void>;
}

/**
 * A blob hashed and envelope-encoded outside the writer (see `Repository.saveEncodedBlob`):
 * `stored` is `plaintext` as `createBlobEncoder(config.compression).encode` returns it.
 */
export interface EncodedBlob {
  readonly id: BlobId;
  readonly type: BlobType;
  /** CODEC_RAW (0) or CODEC_ZSTD (1). */
  readonly codec: number;
  readonly stored: Uint8Array;
  /** Bytes of the plaintext. */
  readonly rawLength: number;
}

/** Result of saving one blob. */
export interface SavedBlob {
  readonly id: BlobId;
  /** False if the repository already had it (nothing was stored). */
  readonly added: boolean;
  /** Bytes it takes in its pack (0 when not added). */
  readonly storedLength: number;
}

class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(f: () => Promise<T>): Promise<T> {
    const result = this.tail.then(f);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class BlobWriter {
  private readonly open = new Map<BlobType, PackWriter>();
  private readonly mutex = { data: new Mutex(), tree: new Mutex() };
  /** Blobs stored by this writer but not yet in an index object: location once uploaded. */
  private readonly pending = new Map<BlobId, BlobLocation | "packing">();
  private readonly uploaded: (FinishedPack & { readonly size: number })[] = [];
  private readonly uploads = new Set<Promise<void>>();
  private readonly buffers: Uint8Array[] = [];
  private failure: unknown;
  private started = false;
  private readonly indexEvery: number;
  private readonly maxUploads: number;

  constructor(
    private readonly ctx: RepositoryContext,
    private readonly options: BlobWriterOptions = {},
  ) {
    this.indexEvery = options.indexEvery ?? 8192;
    this.maxUploads = options.maxUploads ?? 2;
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** True if `id` is stored or pending here, or indexed. */
  async has(id: BlobId): Promise<boolean> {
    return this.pending.has(id) || (await this.ctx.index.lookup(id)) !== undefined;
  }

  /**
   * Stores `plaintext` as a blob of `type` unless the repository already has it.
   * @throws whatever a background upload or index write failed with.
   */
  async save(type: BlobType, plaintext: Uint8Array): Promise<SavedBlob> {
    this.check();
    const id = blobIdFromBytes(await this.ctx.blobIds.digest(plaintext));
    return this.store(id, type, plaintext.length, () => this.ctx.compressor.encode(plaintext));
  }

  /**
   * Stores a blob whose ID and envelope encoding were computed elsewhere (a worker thread),
   * unless the repository already has it. The caller vouches that `id` is the blob ID of the
   * plaintext and that `stored` decodes to it under `codec`.
   * @throws whatever a background upload or index write failed with.
   */
  async saveEncoded(blob: EncodedBlob): Promise<SavedBlob> {
    this.check();
    if (blob.codec !== CODEC_RAW && blob.codec !== CODEC_ZSTD) throw new RangeError(`codec: expected ${CODEC_RAW} (raw) or ${CODEC_ZSTD} (zstd), got ${blob.codec}`);
    if (!Number.isSafeInteger(blob.rawLength) || blob.rawLength < 0 || blob.rawLength > 0xffffffff) throw new RangeError(`rawLength: expected an integer in 0..2^32-1, got ${blob.rawLength}`);
    if (blob.codec === CODEC_RAW && blob.stored.length !== blob.rawLength) throw new RangeError(`stored: a raw blob must have rawLength (${blob.rawLength}) bytes, got ${blob.stored.length}`);
    return this.store(blob.id, blob.type, blob.rawLength, () => ({ codec: blob.codec, stored: blob.stored }));
  }

  private async store(id: BlobId, type: BlobType, rawLength: number, encode: () => { codec: number; stored: Uint8Array }): Promise<SavedBlob> {
    if (this.pending.has(id) || (await this.ctx.index.lookup(id))) return { id, added: false, storedLength: 0 };
    if (this.pending.has(id)) return { id, added: false, storedLength: 0 };
    this.pending.set(id, "packing");
    try {
      if (!this.started) {
        this.started = true;
        await this.options.beforeFirstWrite?.();
      }
      const { codec, stored } = encode();
      const entry = await this.mutex[type].run(async () => {
        let pack = this.open.get(type);
        if (!pack) {
          pack = await PackWriter.start(this.ctx.cipher, this.buffers.pop());
          this.open.set(type, pack);
        }
        const e = await pack.add({ id, type, codec, stored, rawLength });
        if (pack.size >= this.ctx.config.packs.targetSize) await this.finishPack(type);
        return e;
      });
      return { id, added: true, storedLength: entry.sealedLength };
    } catch (error) {
      this.pending.delete(id);
      throw error;
    }
  }

  /** Seals the open pack of `type` and starts its upload (waiting if too many are in flight). Call under the type's mutex. */
  private async finishPack(type: BlobType): Promise<void> {
    const pack = this.open.get(type);
    if (!pack) return;
    this.open.delete(type);
    if (pack.count === 0) {
      pack.discard();
      return;
    }
    while (this.uploads.size >= this.maxUploads) await Promise.race(this.uploads);
    this.check();
    const finished = await pack.finish(this.ctx.config.packs.padding === "padme");
    const upload = (async () => {
      try {
        await this.ctx.storage.put(finished.key, finished.bytes);
        for (const e of finished.entries) this.pending.set(e.id, { ...e, packId: finished.packId, packSalt: finished.salt });
        this.uploaded.push({ ...finished, size: finished.bytes.length });
        if (this.buffers.length < 2) this.buffers.push(finished.buffer);
        if (this.uploaded.reduce((n, p) => n + p.entries.length, 0) >= this.indexEvery) await this.writeIndex();
      } catch (error) {
        this.failure ??= error;
      }
    })();
    this.uploads.add(upload);
    void upload.finally(() => this.uploads.delete(upload));
  }

  /** Writes one index object for every uploaded, unindexed pack, then refreshes the index. */
  private async writeIndex(): Promise<void> {
    if (this.uploaded.length === 0) return;
    await this.options.beforeIndexWrite?.();
    const packs = this.uploaded.splice(0);
    if (packs.length === 0) return;
    const plain = encodeIndex(packs.map((p) => ({ packId: p.packId, salt: p.salt, size: p.size, entries: p.entries })));
    const { key, bytes } = await this.ctx.cipher.seal("index", plain, (id) => `index/${id}`);
    try {
      await this.ctx.storage.put(key, bytes);
    } catch (error) {
      this.uploaded.unshift(...packs);
      throw error;
    }
    this.ctx.index.addWritten(decodeIndex(key, plain));
    for (const p of packs) for (const e of p.entries as PackEntry[]) this.pending.delete(e.id);
    await this.ctx.index.refresh();
  }

  /**
   * Makes everything saved so far durable and indexed: seals open packs, waits for uploads,
   * writes the index object, and re-reads other writers' index objects.
   * @throws the first failure of any upload or index write.
   */
  async flush(): Promise<void> {
    if (!this.started) return; // nothing was ever written by this writer
    for (const type of ["data", "tree"] as const) await this.mutex[type].run(() => this.finishPack(type));
    // Wait for the uploads in flight now (those holding what was saved before this call), not for
    // ones that concurrent saves start meanwhile: under a steady stream of saves the set never
    // empties, and a periodic checkpoint flush would never finish.
    await Promise.all([...this.uploads]);
    this.check();
    await this.writeIndex();
    await this.ctx.index.refresh();
  }

  /** Where a blob this writer stored but has not indexed yet is (sealing its pack first if still open). */
  async locatePending(id: BlobId): Promise<BlobLocation | undefined> {
    let location = this.pending.get(id);
    if (location === "packing") {
      await this.flush();
      location = this.pending.get(id);
      if (location === "packing") throw new Error(`blob ${id} is still being packed after a flush`);
    }
    return location;
  }

  /** Abandons open packs (wiping their subkeys); what was uploaded stays (unindexed). */
  discard(): void {
    for (const pack of this.open.values()) pack.discard();
    this.open.clear();
  }
}
