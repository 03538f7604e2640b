// zstd for the blob envelope: @bokuweb/zstd-wasm, the reference C library compiled to
// WebAssembly, loaded once per realm. Through the package's own entry points: under Node its
// `node` entry reads zstd.wasm from disk; in browsers its `browser` entry fetches the file from
// beside the module (bundlers copy it); callers that serve the file elsewhere pass its URL or
// bytes to `setZstdWasmSource` before first use.
//
// Decompression trusts the frame's declared size only after AES-GCM has authenticated the
// frame, so only someone holding the repository key could declare a huge one; the result
// must then also equal the blob's raw length or the blob is reported corrupt.
import * as zstdPackage from "@bokuweb/zstd-wasm";

interface ZstdApi {
  init(source?: string | Uint8Array): Promise<void>;
  compress(data: Uint8Array, level?: number): Uint8Array;
  decompress(data: Uint8Array): Uint8Array;
  createCCtx?(): number;
  compressUsingDict?(cctx: number, data: Uint8Array, dict: Uint8Array, level?: number): Uint8Array;
}

const NO_DICT = new Uint8Array(0);

let source: Uint8Array | string | undefined;
let loading: Promise<Zstd> | undefined;

/** Where to get zstd.wasm from (a URL or its bytes), if the package's default does not suit. Call before first use. */
export function setZstdWasmSource(wasm: Uint8Array | string): void {
  source = wasm;
}

/** The zstd functions the blob envelope needs. */
export interface Zstd {
  /** zstd frame of `data` at `level` (a fresh array). */
  compress(data: Uint8Array, level: number): Uint8Array;
  /**
   * Decompresses a frame that must expand to exactly `expectedLength` bytes.
   * @throws {Error} if the frame is malformed or has a different length.
   */
  decompress(frame: Uint8Array, expectedLength: number): Uint8Array;
}

/** Loads zstd (once per realm). */
export function loadZstd(): Promise<Zstd> {
  loading ??= (async () => {
    // Under Node the package is CommonJS: its functions may sit on the default export.
    const api = ((zstdPackage as unknown as { default?: ZstdApi }).default ?? zstdPackage) as unknown as ZstdApi;
    await (source === undefined ? api.init() : api.init(source));
    // One compression context reused for every call: ZSTD_compress allocates and initialises a
    // fresh one each time, which halves throughput on small blobs (measured: 2 KB blobs 58 vs
    // 106 MB/s, 32 KB 133 vs 226 MB/s). With an empty dictionary the frame is the same.
    const cctx = api.createCCtx && api.compressUsingDict ? api.createCCtx() : 0;
    return {
      compress: (data, level) => (cctx ? api.compressUsingDict!(cctx, data, NO_DICT, level) : api.compress(data, level)),
      decompress(frame, expectedLength) {
        let out: Uint8Array;
        try {
          out = api.decompress(frame);
        } catch (error) {
          throw new Error(`zstd: malformed frame (${String(error)})`);
        }
        if (out.length !== expectedLength) throw new Error(`zstd: frame expands to ${out.length} bytes, expected ${expectedLength}`);
        return out;
      },
    };
  })();
  return loading;
}
