// The repository index as one reader or writer sees it, without holding it all in memory.
//
// Index objects are shards: each decrypts to a table of fixed-size blob records sorted by ID
// (indexFormat.ts). Resident in memory is only a *summary*: one float64 per blob,
//     key = (first 4 bytes of the blob ID, big-endian) × 2^21 + shard number,
// kept sorted (Float64Array sorts natively and holds the 53 bits exactly). A lookup binary-searches
// the summary for the ID's 32-bit prefix, then confirms the full ID in the shard(s) the matching
// keys name. Shards are fetched on demand and kept in an LRU cache bounded in bytes, so memory is
// 8 bytes per blob plus the cache: 8 MB per million blobs (measured in indexView.test.ts).
// A prefix match that is not confirmed (probability ≈ blobs / 2^32 per lookup of an absent blob)
// costs one shard fetch, never a wrong answer.
//
// Shards appear (other writers' index objects) and disappear (prune replaces them). `refresh`
// lists `index/` and folds in new shards; a shard found missing when fetched means prune ran,
// and the summary is rebuilt from the current listing.
import { idToBytes, type BlobId } from "@cairn/manifest";
import { ObjectNotFoundError, type Storage } from "@cairn/storage";
import { RepositoryError } from "../errors.js";
import type { ObjectCipher } from "../crypto/objectCipher.js";
import type { BlobLocation } from "../pack/packReader.js";
import { BLOB_RECORD, decodeIndex, findRecord, INDEX_KEY, recordAt, type IndexShard } from "./indexFormat.js";

const SHARD_BITS = 2 ** 21;
/** Most shards one summary can address (2^21 index objects; prune consolidates long before). */
export const MAX_SHARDS = SHARD_BITS;

function prefixOf(id: Uint8Array): number {
  return id[0]! * 0x1000000 + (id[1]! << 16) + (id[2]! << 8) + id[3]!;
}

export interface IndexViewOptions {
  /** Bytes of decoded shards kept in memory (default 32 MiB). */
  readonly cacheBytes?: number;
}

export class IndexView {
  private shards: (string | null)[] = [];
  private byKey = new Map<string, number>();
  private summary = new Float64Array(0);
  private cache = new Map<number, IndexShard>();
  private cachedBytes = 0;
  private readonly cacheLimit: number;

  constructor(
    private readonly storage: Storage,
    private readonly cipher: ObjectCipher,
    options: IndexViewOptions = {},
  ) {
    this.cacheLimit = options.cacheBytes ?? 32 * 1024 * 1024;
  }

  /** Blobs in the summary (duplicates across shards counted once per shard). */
  get size(): number {
    return this.summary.length;
  }

  /** Storage keys of the shards currently known. */
  get shardKeys(): string[] {
    return this.shards.filter((k): k is string => k !== null);
  }

  /** Bytes held: summary plus cached shards. */
  get memoryBytes(): number {
    return this.summary.byteLength + this.cachedBytes;
  }

  /**
   * Folds in index objects written since the last refresh. If any known one has disappeared
   * (prune replaced it), rebuilds from scratch.
   * @returns the number of new shards.
   * @throws {CorruptObjectError} if an index object does not authenticate or decode.
   */
  async refresh(): Promise<number> {
    const listed = new Set<string>();
    for await (const { key } of this.storage.list("index/")) if (INDEX_KEY.test(key)) listed.add(key); // other names are not index objects (FORMAT.md §2.2)
    if ([...this.byKey.keys()].some((k) => !listed.has(k))) this.reset();
    const fresh = [...listed].filter((k) => !this.byKey.has(k)).sort();
    const keys: number[] = [];
    for (const key of fresh) {
      const shard = await this.fetch(key);
      if (!shard) continue; // deleted between list and get: prune ran; its replacement is listed or will be next time
      const n = this.addShard(shard);
      for (let i = 0; i < shard.blobCount; i++) keys.push(prefixOf(shard.records.subarray(i * BLOB_RECORD)) * SHARD_BITS + n);
    }
    this.merge(keys);
    return fresh.length;
  }

  /** Adds an index object this process just wrote (no need to read it back). */
  addWritten(shard: IndexShard): void {
    if (this.byKey.has(shard.key)) return;
    const n = this.addShard(shard);
    const keys: number[] = [];
    for (let i = 0; i < shard.blobCount; i++) keys.push(prefixOf(shard.records.subarray(i * BLOB_RECORD)) * SHARD_BITS + n);
    this.merge(keys);
  }

  /**
   * Where blob `id` is stored, or undefined if no known index object lists it.
   * @throws {CorruptObjectError} if a shard it needs fails to authenticate.
   */
  async lookup(id: BlobId): Promise<BlobLocation | undefined> {
    const raw = idToBytes(id);
    for (let attempt = 0; attempt < 2; attempt++) {
      let vanished = false;
      for (const n of this.candidates(prefixOf(raw))) {
        const shard = await this.shard(n);
        if (!shard) {
          vanished = true;
          continue;
        }
        const i = findRecord(shard, raw);
        if (i >= 0) return recordAt(shard, i);
      }
      if (!vanished) return undefined;
      await this.refresh(); // prune replaced shards under us: rebuild and try once more
    }
    return undefined;
  }

  /** Every shard, fetched one at a time (for check, prune and stats). */
  async *allShards(): AsyncGenerator<IndexShard> {
    for (let n = 0; n < this.shards.length; n++) {
      const key = this.shards[n];
      if (key === null || key === undefined) continue;
      const shard = await this.shard(n);
      if (!shard) throw new RepositoryError(`${key} disappeared while being read (a prune ran concurrently?)`, { object: key });
      yield shard;
    }
  }

  private reset(): void {
    this.shards = [];
    this.byKey.clear();
    this.summary = new Float64Array(0);
    this.cache.clear();
    this.cachedBytes = 0;
  }

  private addShard(shard: IndexShard): number {
    if (this.shards.length >= MAX_SHARDS) throw new RepositoryError(`more than ${MAX_SHARDS} index objects: run prune to consolidate the index`);
    const n = this.shards.length;
    this.shards.push(shard.key);
    this.byKey.set(shard.key, n);
    this.remember(n, shard);
    return n;
  }

  private merge(keys: number[]): void {
    if (keys.length === 0) return;
    const add = Float64Array.from(keys).sort();
    const old = this.summary;
    const out = new Float64Array(old.length + add.length);
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < old.length && j < add.length) out[o++] = old[i]! <= add[j]! ? old[i++]! : add[j++]!;
    while (i < old.length) out[o++] = old[i++]!;
    while (j < add.length) out[o++] = add[j++]!;
    this.summary = out;
  }

  private candidates(prefix: number): number[] {
    const s = this.summary;
    const lowKey = prefix * SHARD_BITS;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! < lowKey) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < s.length && s[i]! < lowKey + SHARD_BITS; i++) out.push(s[i]! - lowKey);
    return out;
  }

  private remember(n: number, shard: IndexShard): void {
    const bytes = shard.records.byteLength + shard.packs.length * 100;
    if (bytes > this.cacheLimit) return;
    this.cache.set(n, shard);
    this.cachedBytes += bytes;
    for (const [victim, s] of this.cache) {
      if (this.cachedBytes <= this.cacheLimit) break;
      this.cache.delete(victim);
      this.cachedBytes -= s.records.byteLength + s.packs.length * 100;
    }
  }

  private async shard(n: number): Promise<IndexShard | undefined> {
    const hit = this.cache.get(n);
    if (hit) {
      this.cache.delete(n); // move to the back: Map iteration order is the LRU order
      this.cache.set(n, hit);
      return hit;
    }
    const key = this.shards[n];
    if (!key) return undefined;
    const shard = await this.fetch(key);
    if (shard) this.remember(n, shard);
    return shard;
  }

  private async fetch(key: string): Promise<IndexShard | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.storage.get(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      throw error;
    }
    return decodeIndex(key, await this.cipher.open("index", key, bytes));
  }
}
