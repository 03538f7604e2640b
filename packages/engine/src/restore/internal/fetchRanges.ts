// Feeding files their data: one ranged read per PackFetch (a few at a time), every blob in it
// authenticated, decompressed and checked against its ID by the repository's reader, then
// written to every place that uses it. Ranges copied from a file already at the target
// (`source: "local"`) are re-hashed first and fetched instead if they no longer match.
// Memory is bounded by `concurrency` ranges (each at most the planner's maxRequestBytes) plus
// the plaintext of up to 64 blobs per range being written (no more than the range's blobs hold:
// a range is at most maxRequestBytes sealed). Blobs that only whole files use are decrypted here
// and decoded on the writer threads (wholeFileWriter.ts), so the 64 keep those threads busy.
import { constants, promises as fs } from "node:fs";
import type { BlobId } from "@cairn/manifest";
import type { BlobLocation, BlobRangeReader } from "@cairn/repository";
import type { FetchBlob, PackFetch, PlannedFile } from "@cairn/restore-planner";
import type { FileWriters } from "./fileWriters.js";
import { describeFsError, type TargetRoot } from "./targetRoot.js";

const BLOBS_AT_ONCE = 64;
const USES_AT_ONCE = 4;

export interface FetchContext {
  readonly reader: BlobRangeReader;
  readonly locations: ReadonlyMap<BlobId, BlobLocation>;
  readonly writers: FileWriters;
  readonly signal: AbortSignal | undefined;
  fetched(bytes: number, requests: number): void;
}

/** Runs `task` over `items` with at most `concurrency` in flight; stops scheduling on abort. */
export async function forEachLimited<T>(items: readonly T[], concurrency: number, signal: AbortSignal | undefined, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      try {
        signal?.throwIfAborted();
        await task(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  // On a failure or an abort, the other workers finish their current item and stop; then it is reported.
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
}

async function locate(ctx: FetchContext, id: BlobId): Promise<BlobLocation | undefined> {
  return ctx.locations.get(id) ?? (await ctx.reader.locate(id));
}

async function failUses(ctx: FetchContext, blob: FetchBlob, message: string, cause?: unknown): Promise<void> {
  for (const [file] of blob.uses) await ctx.writers.fail(file, message, cause);
}

/** Fetches one range and delivers each of its blobs. */
export async function fetchRange(ctx: FetchContext, range: PackFetch): Promise<void> {
  if (range.blobs.every((b) => b.uses.every(([file]) => !ctx.writers.alive(file)))) return;
  let bytes: Uint8Array;
  try {
    bytes = await ctx.reader.readRange(range.packId, range.offset, range.length, { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    for (const blob of range.blobs) await failUses(ctx, blob, (error as Error).message, error);
    return;
  }
  ctx.fetched(range.length, 1);
  // Blobs of a range are opened and written a few at a time: a range of small files would
  // otherwise be restored one file after another, each waiting on its own few syscalls.
  await forEachLimited(range.blobs, BLOBS_AT_ONCE, ctx.signal, async (blob) => {
    const location = await locate(ctx, blob.id);
    if (!location || location.packId !== range.packId || location.offset !== blob.offset || location.sealedLength !== blob.length) {
      await failUses(ctx, blob, `blob ${blob.id}: the plan does not match the repository's index (was it made for another repository, or before a prune?)`);
      return;
    }
    const at = blob.offset - range.offset;
    const sealed = bytes.subarray(at, at + blob.length);
    // Blobs that only whole files use are decrypted here and decoded and verified on the writer
    // thread, beside this one; the others are opened here.
    if (blob.uses.every(([file]) => ctx.writers.takesStored(file))) {
      let stored: Uint8Array;
      try {
        stored = await ctx.reader.authenticate(location, sealed);
      } catch (error) {
        await failUses(ctx, blob, (error as Error).message, error);
        return;
      }
      await forEachLimited(blob.uses, USES_AT_ONCE, undefined, ([file, write]) => ctx.writers.writeStored(file, write, location, stored));
      return;
    }
    let plain: Uint8Array;
    try {
      plain = await ctx.reader.open(location, sealed);
    } catch (error) {
      await failUses(ctx, blob, (error as Error).message, error);
      return;
    }
    // A blob may feed thousands of files (dedup): a few at a time, so open files stay bounded.
    await forEachLimited(blob.uses, USES_AT_ONCE, undefined, ([file, write]) => ctx.writers.write(file, write, plain));
  });
}

async function readExactly(handle: fs.FileHandle, length: number, position: number): Promise<Uint8Array | null> {
  const buf = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) return null;
    done += bytesRead;
  }
  return buf;
}

/** Fetches one blob on its own (when a local copy turned out stale). */
async function fetchOne(ctx: FetchContext, id: BlobId): Promise<Uint8Array> {
  const location = await locate(ctx, id);
  if (!location) throw new Error(`blob ${id} is not in the repository's index`);
  const sealed = await ctx.reader.readRange(location.packId, location.offset, location.sealedLength, { signal: ctx.signal });
  ctx.fetched(location.sealedLength, 1);
  return ctx.reader.open(location, sealed);
}

/**
 * Copies the `local` writes of file `index` from the file now at its final name (the old
 * version, which stays there until the new one is renamed over it).
 */
export async function copyLocal(ctx: FetchContext, root: TargetRoot, index: number, file: PlannedFile, names: readonly Uint8Array[]): Promise<void> {
  const writes = file.writes.map((w, i) => [w, i] as const).filter(([w]) => w.source === "local");
  if (writes.length === 0) return;
  let handle: fs.FileHandle | undefined;
  const dir = await root.dir(names.slice(0, -1));
  try {
    handle = await fs.open(dir.at(names[names.length - 1]!), constants.O_RDONLY | constants.O_NOFOLLOW);
    if (!(await handle.stat()).isFile()) throw new Error("is no longer a regular file");
  } catch {
    await handle?.close();
    handle = undefined;
  } finally {
    dir.release();
  }
  try {
    for (const [w, i] of writes) {
      if (!ctx.writers.alive(index)) return;
      ctx.signal?.throwIfAborted();
      const local = handle ? await readExactly(handle, w.length, w.offset) : null;
      let data = local && (await ctx.reader.blobIdOf(local)) === w.blob ? local : null;
      if (!data) {
        try {
          data = await fetchOne(ctx, w.blob);
        } catch (error) {
          if (ctx.signal?.aborted) throw ctx.signal.reason;
          await ctx.writers.fail(index, `the local copy changed and the blob could not be fetched: ${describeFsError(error)}`, error);
          return;
        }
      }
      await ctx.writers.write(index, i, data);
    }
  } finally {
    await handle?.close();
  }
}
