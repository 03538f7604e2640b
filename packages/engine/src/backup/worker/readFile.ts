// Reading one regular file in a worker: read, cut into content-defined chunks, hash each chunk
// (its blob ID), ask the coordinator whether large chunks are already stored, compress the new
// ones and hand them over. Memory per file is bounded by the chunker's maximum chunk plus one
// read block, whatever the file's size: a file is streamed through one reused buffer, and the
// bytes of a chunk are dropped as soon as it is cut and sent.
//
// Files smaller than the chunker's minimum are one chunk by definition, so they skip the chunker
// and the streaming buffer: open, one read, fstat, close. They come in batches; the batch's blob
// IDs are looked up in one query, and only the new blobs are compressed and go back to the
// coordinator together, in one slab, with the batch's results.
//
// Sparse files (allocated < size): all-zero 4 KiB pages are recorded as holes instead of data,
// and the data between holes is chunked as its own stream. Node has no SEEK_DATA/SEEK_HOLE, so
// the zeros are read; only files whose allocation shows they have holes are inspected.
//
// The small files of the batches queued behind the current one are read ahead on the thread
// pool (smallFileRead.ts), so a cold disk and the hashing and compressing overlap.
//
// Change detection while reading: after the last read the file is fstat'ed again; a different
// size, mtime, ctime or inode than the listing saw means it changed while being read. What was
// read is kept and the change is reported (the snapshot completes "with errors").
import type { Buffer } from "node:buffer";
import { closeSync, fstatSync, readSync, type BigIntStats } from "node:fs";
import type { Chunker, ChunkerParams } from "@cairn/core";
import type { BlobEncoder } from "@cairn/repository";
import { toBuffer } from "../../internal/binaryPath.js";
import { describeError, errorKind } from "../../internal/fsErrors.js";
import { joinPath } from "../../internal/binaryPath.js";
import type { FileResult, FilesRequest, FileToRead, SlabBlob, WireContent, WorkerMessage } from "./protocol.js";
import { openForReading, readSmallAsync, readSmallSync, type SmallData, type SmallRead } from "./smallFileRead.js";

/** What reading a file needs from its worker. */
export interface FileReaderContext {
  readonly params: ChunkerParams;
  readonly encoder: BlobEncoder;
  /** Hex blob ID of `data`. */
  hash(data: Uint8Array): string;
  /** Hands a new blob to the coordinator; resolves when there is credit for more. */
  sendBlob(job: number, id: string, codec: number, stored: Uint8Array, rawLength: number): Promise<void>;
  /** Which of `ids` the repository already has. */
  query(ids: readonly string[]): Promise<readonly boolean[]>;
  /** True if this worker sent `id` recently (no need to ask or send again). */
  recentlySent(id: string): boolean;
  /** Notes that `id` is being sent. */
  remember(id: string): void;
  /** The chunker and streaming buffer, exclusively, for one large file at a time. */
  acquireStream(): Promise<{ chunker: Chunker; buffer: Buffer; release(): void }>;
}

/** A file of a batch with the batch's job number and its full path. */
type FileJob = FileToRead & { readonly job: number; readonly path: string };

interface SmallBlob {
  readonly id: string;
  readonly codec: number;
  readonly stored: Uint8Array;
  readonly rawLength: number;
}

/** A small file's blob that this worker has not sent lately: stored already, or new? */
interface SmallCandidate {
  readonly id: string;
  readonly plain: Uint8Array;
}

const PAGE = 4096;
/** Chunks at least this large are looked up before being compressed; smaller ones are just sent. */
const QUERY_MIN = 64 * 1024;
/** Bytes read per read() on the streaming path. */
export const READ_BLOCK = 1024 * 1024;

function changedSince(job: FileJob, st: BigIntStats, bytesRead: number): string | undefined {
  if (st.ino !== job.ino) return "the file was replaced while it was read";
  if (st.size !== BigInt(bytesRead) || Number(st.size) !== job.size) return `the file changed size while it was read (listed ${job.size} bytes, read ${bytesRead}, now ${st.size})`;
  if (st.mtimeNs !== job.mtimeNs || st.ctimeNs !== job.ctimeNs) return "the file was modified while it was read";
  return undefined;
}

function isZero(b: Buffer, start: number, end: number): boolean {
  let i = start;
  for (; i < end && ((b.byteOffset + i) & 7) !== 0; i++) if (b[i] !== 0) return false;
  const words = new Float64Array(b.buffer, b.byteOffset + i, (end - i) >> 3);
  for (let k = 0; k < words.length; k++) if (words[k] !== 0 || Object.is(words[k], -0)) return false;
  for (i += words.length * 8; i < end; i++) if (b[i] !== 0) return false;
  return true;
}

/** True for a file read whole (one chunk by definition) rather than streamed through the chunker. */
const isSmall = (f: FileToRead, params: ChunkerParams) => f.size < params.minSize && !f.sparse;

/**
 * Starts reading the small files of a batch on the thread pool; `readFiles` uses the results.
 * One entry per file of the request (undefined for files that are streamed).
 */
export function prefetchSmallFiles(request: FilesRequest, params: ChunkerParams): (Promise<SmallRead> | undefined)[] {
  return request.files.map((f) => (isSmall(f, params) ? readSmallAsync(toBuffer(joinPath(request.dir, f.name)), f.size) : undefined));
}

/**
 * Reads every file of a batch. Large files stream their blobs to the coordinator as they are cut;
 * the new blobs of small files come back in one slab with the results. `prefetched` holds reads
 * started earlier by prefetchSmallFiles for this request.
 */
export async function readFiles(request: FilesRequest, ctx: FileReaderContext, prefetched?: readonly (Promise<SmallRead> | undefined)[]): Promise<{ message: WorkerMessage & { op: "read" }; transfer: ArrayBuffer[] }> {
  const results: FileResult[] = [];
  const candidates: SmallCandidate[] = [];
  for (const [i, f] of request.files.entries()) {
    results.push(await readOne({ ...f, job: request.job, path: joinPath(request.dir, f.name) }, ctx, candidates, prefetched?.[i]));
  }
  // One dedupe query for the batch's small blobs, so that only new ones are compressed: files
  // whose metadata changed but not their content (a touch, a checkout, an rsync) cost a hash.
  const small: SmallBlob[] = [];
  const have = candidates.length > 0 ? await ctx.query(candidates.map((c) => c.id)) : [];
  for (const [k, { id, plain }] of candidates.entries()) {
    if (have[k]) continue;
    const { codec, stored } = ctx.encoder.encode(plain);
    small.push({ id, codec, stored, rawLength: plain.length });
  }
  let total = 0;
  for (const b of small) total += b.stored.length;
  const slab = total > 0 ? new Uint8Array(total) : null;
  const blobs: SlabBlob[] = [];
  let offset = 0;
  for (const b of small) {
    slab!.set(b.stored, offset);
    blobs.push({ id: b.id, codec: b.codec, offset, length: b.stored.length, rawLength: b.rawLength });
    offset += b.stored.length;
  }
  return { message: { op: "read", job: request.job, results, blobs, slab }, transfer: slab ? [slab.buffer] : [] };
}

const failed = (error: unknown): FileResult => ({ content: [], size: 0, failure: { kind: errorKind(error), message: describeError(error) } });

async function readOne(job: FileJob, ctx: FileReaderContext, small: SmallCandidate[], prefetched: Promise<SmallRead> | undefined): Promise<FileResult> {
  if (prefetched) {
    const r = await prefetched;
    if ("error" in r) return failed(r.error);
    if (!("grew" in r)) return smallResult(r, job, ctx, small);
    // It grew since it was listed: read it again, as a stream.
  }
  let fd: number;
  try {
    fd = openForReading(toBuffer(job.path));
  } catch (error) {
    return failed(error);
  }
  try {
    if (!prefetched && isSmall(job, ctx.params)) {
      const r = readSmallSync(fd, job.size);
      if (!("grew" in r)) return smallResult(r, job, ctx, small);
    }
    return await readStreaming(fd, job, ctx);
  } catch (error) {
    return failed(error);
  } finally {
    closeSync(fd);
  }
}

function storedCopy(stored: Uint8Array, plain: Uint8Array): Uint8Array {
  // A raw blob is the plaintext itself, a view into a read buffer: copy it so it can be
  // transferred (not with Buffer#slice, which makes a view, not a copy).
  if (stored !== plain && stored.buffer !== plain.buffer) return stored;
  const copy = new Uint8Array(stored.length);
  copy.set(stored);
  return copy;
}

/** The result of a small file read whole: one blob, added to `small` unless sent lately. */
function smallResult({ buf, n, st }: SmallData, job: FileJob, ctx: FileReaderContext, small: SmallCandidate[]): FileResult {
  const changed = changedSince(job, st, n);
  const content: WireContent[] = [];
  if (n > 0) {
    const plain = buf.subarray(0, n);
    const id = ctx.hash(plain);
    content.push({ id, length: n });
    if (!ctx.recentlySent(id)) {
      ctx.remember(id);
      small.push({ id, plain });
    }
  }
  return { content, size: n, ...(changed ? { changed } : {}) };
}

type Piece = { readonly start: number; readonly end: number } | { readonly hole: number };

async function readStreaming(fd: number, job: FileJob, ctx: FileReaderContext): Promise<FileResult> {
  const stream = await ctx.acquireStream();
  try {
    const { chunker, buffer } = stream;
    chunker.reset();
    const content: WireContent[] = [];
    let fill = 0; // valid bytes in buffer
    let base = 0; // file offset of buffer[0]
    let chunkStart = 0; // file offset where the current, incomplete chunk starts
    let segStart = 0; // file offset where the chunker's current stream started
    let holeStart = -1; // file offset of the current run of zero pages, or -1
    let total = 0;
    const pieces: Piece[] = [];

    const pushData = (from: number, to: number) => {
      for (const cut of chunker.push(buffer.subarray(from - base, to - base))) {
        pieces.push({ start: chunkStart, end: segStart + cut });
        chunkStart = segStart + cut;
      }
    };
    const endSegment = () => {
      for (const cut of chunker.finish()) {
        pieces.push({ start: chunkStart, end: segStart + cut });
        chunkStart = segStart + cut;
      }
    };
    const emit = async () => {
      const chunks = pieces.filter((p): p is { start: number; end: number } => !("hole" in p));
      const ids = chunks.map((c) => ctx.hash(buffer.subarray(c.start - base, c.end - base)));
      const ask = ids.filter((id, i) => chunks[i]!.end - chunks[i]!.start >= QUERY_MIN && !ctx.recentlySent(id));
      const have = new Set<string>();
      if (ask.length > 0) (await ctx.query(ask)).forEach((h, i) => h && have.add(ask[i]!));
      let k = 0;
      for (const p of pieces) {
        if ("hole" in p) {
          content.push({ hole: p.hole });
          continue;
        }
        const id = ids[k++]!;
        content.push({ id, length: p.end - p.start });
        if (have.has(id) || ctx.recentlySent(id)) continue;
        const plain = buffer.subarray(p.start - base, p.end - base);
        const { codec, stored } = ctx.encoder.encode(plain);
        await ctx.sendBlob(job.job, id, codec, storedCopy(stored, plain), plain.length);
      }
      pieces.length = 0;
    };

    for (;;) {
      const n = readSync(fd, buffer, fill, Math.min(READ_BLOCK, buffer.length - fill), null);
      if (n === 0) break;
      const from = base + fill;
      const to = from + n;
      fill += n;
      total += n;
      if (!job.sparse) {
        pushData(from, to);
      } else {
        // Split the block into runs of data pages and zero pages.
        let runStart = from;
        for (let page = from; page < to; page += PAGE) {
          const pageEnd = Math.min(page + PAGE, to);
          const zero = isZero(buffer, page - base, pageEnd - base);
          if (zero && holeStart < 0) {
            if (page > runStart) pushData(runStart, page);
            endSegment();
            holeStart = page;
          } else if (!zero && holeStart >= 0) {
            pieces.push({ hole: page - holeStart });
            holeStart = -1;
            chunkStart = segStart = runStart = page;
          }
        }
        if (holeStart < 0 && to > runStart) pushData(runStart, to);
        else if (holeStart >= 0) chunkStart = to; // nothing of the zeros needs to stay buffered
      }
      await emit();
      const keep = chunkStart - base;
      if (keep > 0) {
        buffer.copyWithin(0, keep, fill);
        fill -= keep;
        base = chunkStart;
      }
    }
    if (holeStart >= 0) pieces.push({ hole: total - holeStart });
    else endSegment();
    await emit();
    const changed = changedSince(job, fstatSync(fd, { bigint: true }), total);
    return { content, size: total, ...(changed ? { changed } : {}) };
  } finally {
    stream.release();
  }
}
