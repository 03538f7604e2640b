// Keyed content-defined chunking: splits a byte stream into chunks whose boundaries depend on
// the content and on a per-repository secret, so that an insertion moves only nearby
// boundaries (deduplication survives edits) and someone who knows the algorithm but not the
// secret cannot infer content from chunk lengths. The algorithm, "cairn-gear-v1", is
// specified in ../CHUNKING.md and implemented in WebAssembly (assembly/chunker.ts).
//
// Each Chunker owns a WASM instance whose memory holds the keyed gear table, a 1 MiB input
// buffer and the rolling state, so a stream can be pushed in pieces of any size and the cut
// points are those of the whole stream. Instances are independent: chunk several streams at
// once with several chunkers. A chunker is not safe to share between concurrent streams.
import { instantiateCoreModule } from "./internal/wasmModule.js";
import { bytes, bytesOfLength, describe, integer } from "./internal/validate.js";

/** Chunk size parameters in bytes, fixed per repository at creation. */
export interface ChunkerParams {
  /** Smallest chunk, except the last of a stream. 64 <= minSize < avgSize. */
  readonly minSize: number;
  /** Target average; a power of two. It sets the cut masks (see CHUNKING.md). */
  readonly avgSize: number;
  /** Largest chunk: a cut is forced here. avgSize < maxSize <= 64 MiB. */
  readonly maxSize: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Bytes of the chunker secret. */
export const CHUNKER_SECRET_LENGTH = 32;
/** Smallest allowed minSize: a cut decision looks at a 64-byte window. */
export const CHUNKER_MIN_SIZE = 64;
/** Largest allowed maxSize. */
export const CHUNKER_MAX_SIZE = 64 * MiB;

/** `small` suits file-level deduplication of ordinary files; `large` suits big images and archives. */
export const CHUNKER_PRESETS: { readonly small: ChunkerParams; readonly large: ChunkerParams } = Object.freeze({
  small: Object.freeze({ minSize: 2 * KiB, avgSize: 8 * KiB, maxSize: 64 * KiB }),
  large: Object.freeze({ minSize: 512 * KiB, avgSize: 1 * MiB, maxSize: 8 * MiB }),
});

export interface Chunker {
  readonly params: ChunkerParams;
  /** Total bytes pushed in the current stream. */
  readonly position: number;
  /**
   * Feeds the next bytes of the stream.
   * @returns the absolute stream offsets (exclusive ends) of the chunks completed within them,
   *   ascending.
   * @throws {TypeError} if `data` is not a Uint8Array.
   */
  push(data: Uint8Array): number[];
  /**
   * Ends the stream and starts a new one.
   * @returns the end of the final chunk (the stream length) if bytes are pending since the
   *   last cut, else [].
   */
  finish(): number[];
  /** Forgets the current stream without returning its final chunk. */
  reset(): void;
  /**
   * Zero-copy input: a view of the chunker's input buffer in WASM memory. Fill its first n
   * bytes (for example with `fs.read` or `ReadableStreamBYOBReader.read`) and call
   * `pushInputBuffer(n)`. The view is valid for the life of the chunker (its memory never
   * grows); `push` overwrites its contents.
   */
  readonly inputBuffer: Uint8Array;
  /**
   * Feeds the first `length` bytes of `inputBuffer`, like `push(inputBuffer.subarray(0, length))`
   * without the copy.
   * @throws {TypeError|RangeError} unless `length` is an integer in 0..inputBuffer.length.
   */
  pushInputBuffer(length: number): number[];
}

/** The exports of assembly/chunker.ts. */
interface ChunkerExports {
  memory: WebAssembly.Memory;
  inputPtr(): number;
  inputSize(): number;
  cutsPtr(): number;
  setKey(): void;
  configure(minSize: number, avgSize: number, maxSize: number): void;
  reset(): void;
  push(length: number): number;
  pending(): number;
}

/**
 * Checks chunk size parameters and returns a frozen copy.
 * @throws {TypeError} if `params` is not an object or a size is not an integer.
 * @throws {RangeError} unless 64 <= minSize < avgSize < maxSize <= 64 MiB, avgSize a power of two.
 */
export function checkChunkerParams(params: unknown): ChunkerParams {
  if (typeof params !== "object" || params === null) {
    throw new TypeError(`params: expected an object with minSize, avgSize and maxSize, got ${describe(params)}`);
  }
  const p = params as Record<string, unknown>;
  const minSize = integer("params.minSize", p.minSize, CHUNKER_MIN_SIZE, CHUNKER_MAX_SIZE);
  const avgSize = integer("params.avgSize", p.avgSize, CHUNKER_MIN_SIZE, CHUNKER_MAX_SIZE);
  const maxSize = integer("params.maxSize", p.maxSize, CHUNKER_MIN_SIZE, CHUNKER_MAX_SIZE);
  if ((avgSize & (avgSize - 1)) !== 0) throw new RangeError(`params.avgSize: expected a power of two, got ${avgSize}`);
  if (avgSize <= minSize) throw new RangeError(`params.avgSize: expected more than minSize (${minSize}), got ${avgSize}`);
  if (maxSize <= avgSize) throw new RangeError(`params.maxSize: expected more than avgSize (${avgSize}), got ${maxSize}`);
  return Object.freeze({ minSize, avgSize, maxSize });
}

/**
 * A chunker keyed by `secret` (32 bytes, from the repository's key material) with `params`.
 * Instantiation is asynchronous, so this works on a browser main thread; the WASM module is
 * compiled once per realm and each chunker gets its own instance (about 1.1 MiB of memory).
 * @throws {TypeError|RangeError} on a secret that is not 32 bytes or invalid params.
 */
export async function createChunker(secret: Uint8Array, params: ChunkerParams): Promise<Chunker> {
  bytesOfLength("secret", secret, CHUNKER_SECRET_LENGTH);
  const checked = checkChunkerParams(params);
  const wasm = await instantiateCoreModule<ChunkerExports>("chunker");
  const capacity = wasm.inputSize();
  const inputBuffer = new Uint8Array(wasm.memory.buffer, wasm.inputPtr(), capacity);
  // A push completes at most capacity / 64 + 1 chunks (see assembly/chunker.ts).
  const cuts = new Uint32Array(wasm.memory.buffer, wasm.cutsPtr(), capacity / CHUNKER_MIN_SIZE + 1);
  inputBuffer.set(secret);
  wasm.setKey(); // derives the gear table and wipes the secret from the input buffer
  wasm.configure(checked.minSize, checked.avgSize, checked.maxSize);

  let position = 0;
  /** Chunks inputBuffer[0..length) and appends the absolute cut offsets to `into`. */
  const run = (length: number, into: number[]): void => {
    const count = wasm.push(length);
    for (let i = 0; i < count; i++) into.push(position + cuts[i]!);
    position += length;
  };

  return {
    params: checked,
    get position() {
      return position;
    },
    inputBuffer,
    push(data) {
      bytes("data", data);
      const result: number[] = [];
      for (let offset = 0; offset < data.length; offset += capacity) {
        const piece = data.subarray(offset, offset + capacity);
        inputBuffer.set(piece);
        run(piece.length, result);
      }
      return result;
    },
    pushInputBuffer(length) {
      integer("length", length, 0, capacity);
      const result: number[] = [];
      run(length, result);
      return result;
    },
    finish() {
      const result = wasm.pending() > 0 ? [position] : [];
      wasm.reset();
      position = 0;
      return result;
    },
    reset() {
      wasm.reset();
      position = 0;
    },
  };
}

/**
 * All cut points of `data` as one stream: the exclusive end offsets of its chunks, ascending,
 * the last one `data.length` (none for empty data).
 * @throws {TypeError|RangeError} as `createChunker` and `Chunker.push`.
 */
export async function chunkBoundaries(secret: Uint8Array, params: ChunkerParams, data: Uint8Array): Promise<number[]> {
  bytes("data", data);
  const chunker = await createChunker(secret, params);
  const cuts = chunker.push(data);
  for (const end of chunker.finish()) cuts.push(end);
  return cuts;
}
