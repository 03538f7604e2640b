// The blob envelope's first layer: optional zstd compression (FORMAT.md §10). A blob is stored
// compressed only when that saves at least 1/32 of its size; otherwise it is stored raw and its
// flags say so, so incompressible data (media, archives, encrypted files) costs nothing to read
// back and little to write (zstd gives up quickly on random data: ~260-320 MB/s measured).
import { loadZstd, type Zstd } from "./internal/zstdWasm.js";

/** Blob flag values (low 4 bits of the flags byte): how the stored bytes are encoded. */
export const CODEC_RAW = 0;
export const CODEC_ZSTD = 1;

export type CompressionSetting = { readonly algorithm: "zstd"; readonly level: number } | { readonly algorithm: "none" };

export const DEFAULT_COMPRESSION: CompressionSetting = { algorithm: "zstd", level: 3 };

/** Encodes blob plaintext into the bytes to store, per a repository's compression setting. */
export interface BlobEncoder {
  /** The bytes to store for `plaintext` and the codec they are in (`stored` may be `plaintext` itself). */
  encode(plaintext: Uint8Array): { codec: number; stored: Uint8Array };
}

/**
 * A blob encoder for `setting` (a repository's `config.compression`), for hashing and
 * compressing blobs in worker threads and handing the result to `Repository.saveEncodedBlob`.
 * Each realm (thread) loads its own zstd instance.
 */
export async function createBlobEncoder(setting: CompressionSetting): Promise<BlobEncoder> {
  return BlobCompressor.create(setting);
}

/** Compresses blobs per the repository's setting and decodes any stored codec. */
export class BlobCompressor implements BlobEncoder {
  private constructor(
    private readonly setting: CompressionSetting,
    private readonly zstd: Zstd,
  ) {}

  static async create(setting: CompressionSetting): Promise<BlobCompressor> {
    return new BlobCompressor(setting, await loadZstd());
  }

  /** The bytes to store for `plaintext` and the codec they are in. */
  encode(plaintext: Uint8Array): { codec: number; stored: Uint8Array } {
    if (this.setting.algorithm === "none" || plaintext.length < 64) return { codec: CODEC_RAW, stored: plaintext };
    const frame = this.zstd.compress(plaintext, this.setting.level);
    if (frame.length <= plaintext.length - (plaintext.length >> 5)) return { codec: CODEC_ZSTD, stored: frame };
    return { codec: CODEC_RAW, stored: plaintext };
  }

  /**
   * The plaintext of stored bytes in `codec`, which must be exactly `rawLength` bytes.
   * @throws {Error} on an unknown codec, a malformed frame, or a length mismatch.
   */
  decode(codec: number, stored: Uint8Array, rawLength: number): Uint8Array {
    if (codec === CODEC_RAW) {
      if (stored.length !== rawLength) throw new Error(`raw blob has ${stored.length} bytes, expected ${rawLength}`);
      return stored;
    }
    if (codec === CODEC_ZSTD) return this.zstd.decompress(stored, rawLength);
    throw new Error(`unknown codec ${codec}`);
  }
}
