// Entry point of a backup worker thread (see protocol.ts for the division of labour). File
// batches run one at a time, in order (the small files of the next ones read ahead); listings run as soon as they arrive (between a batch's
// waits — for the coordinator's answer to a dedupe query, or for flow-control credit when the
// coordinator has not yet packed what was sent). Large files use the worker's one chunker and
// streaming buffer; small files need neither.
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import { createChunker } from "@cairn/core";
import { createBlobEncoder } from "@cairn/repository";
import { XattrReader } from "../xattrReader.js";
import { listDirectory } from "./listDir.js";
import type { FilesRequest, WorkerBatch, WorkerInit, WorkerMessage, WorkerRequest } from "./protocol.js";
import { prefetchSmallFiles, READ_BLOCK, readFiles, type FileReaderContext } from "./readFile.js";
import type { SmallRead } from "./smallFileRead.js";

/**
 * Batches whose small files are read ahead (the one being processed and the next ones): at most
 * this many × BATCH_BYTES (4 MiB) of file data waits in memory per worker.
 */
const PREFETCH_BATCHES = 3;

const init = workerData as WorkerInit;
const port = parentPort!;

// ---- outbox: one postMessage per event-loop turn ----
let outbox: WorkerMessage[] = [];
let transfer: ArrayBuffer[] = [];
let scheduled = false;
function post(message: WorkerMessage, buffers: ArrayBuffer[] = []): void {
  outbox.push(message);
  for (const b of buffers) transfer.push(b);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}
function flush(): void {
  scheduled = false;
  const batch: WorkerBatch = { messages: outbox };
  const list = transfer;
  outbox = [];
  transfer = [];
  port.postMessage(batch, list);
}

// ---- flow control ----
let unacked = 0;
let creditWaiters: (() => void)[] = [];
function wakeCredit(): void {
  if (unacked >= init.creditBytes) return;
  const w = creditWaiters;
  creditWaiters = [];
  for (const f of w) f();
}

// ---- dedupe queries ----
let nextQuery = 1;
const queries = new Map<number, (have: readonly boolean[]) => void>();
const recent = new Set<string>();
function remember(id: string): void {
  recent.add(id);
  if (recent.size > 4096) recent.delete(recent.values().next().value!);
}

// ---- the one streaming slot ----
let streamBusy = false;
const streamWaiters: (() => void)[] = [];

async function main(): Promise<void> {
  const chunker = await createChunker(init.chunkerSecret, init.chunker);
  init.chunkerSecret.fill(0);
  const encoder = await createBlobEncoder(init.compression);
  const hmacKey = Buffer.from(init.blobIdKey);
  init.blobIdKey.fill(0);
  const xattrs = init.python ? new XattrReader(init.python) : null;
  let streamBuffer: Buffer | undefined;

  const ctx: FileReaderContext = {
    params: init.chunker,
    encoder,
    hash(data) {
      const h = createHmac("sha256", hmacKey);
      for (let at = 0; at < data.length; at += 1 << 20) h.update(data.subarray(at, Math.min(data.length, at + (1 << 20))));
      return h.digest("hex");
    },
    async sendBlob(job, id, codec, stored, rawLength) {
      remember(id);
      unacked += stored.length;
      post({ op: "blob", job, id, codec, stored, rawLength }, [stored.buffer as ArrayBuffer]);
      while (unacked >= init.creditBytes) await new Promise<void>((resolve) => creditWaiters.push(resolve));
    },
    query(ids) {
      const query = nextQuery++;
      return new Promise((resolve) => {
        queries.set(query, resolve);
        post({ op: "query", query, ids });
      });
    },
    recentlySent: (id) => recent.has(id),
    remember,
    async acquireStream() {
      while (streamBusy) await new Promise<void>((resolve) => streamWaiters.push(resolve));
      streamBusy = true;
      streamBuffer ??= Buffer.alloc(init.chunker.maxSize + READ_BLOCK);
      return {
        chunker,
        buffer: streamBuffer,
        release() {
          streamBusy = false;
          streamWaiters.shift()?.();
        },
      };
    },
  };

  // File batches run one after another; a batch starts only when the coordinator has
  // acknowledged enough of what was sent before. The small files of the first PREFETCH_BATCHES
  // queued batches are read ahead on the thread pool.
  const batches: { request: FilesRequest; prefetched?: (Promise<SmallRead> | undefined)[] }[] = [];
  const prefetch = () => {
    for (let i = 0; i < Math.min(PREFETCH_BATCHES, batches.length); i++) batches[i]!.prefetched ??= prefetchSmallFiles(batches[i]!.request, init.chunker);
  };
  const drain = async () => {
    while (batches.length > 0) {
      prefetch();
      while (unacked >= init.creditBytes) await new Promise<void>((resolve) => creditWaiters.push(resolve));
      const { request, prefetched } = batches[0]!;
      const { message, transfer } = await readFiles(request, ctx, prefetched);
      unacked += message.slab?.length ?? 0;
      post(message, transfer);
      batches.shift();
    }
  };

  port.on("message", (batch: { requests: readonly WorkerRequest[] }) => {
    for (const r of batch.requests) {
      switch (r.op) {
        case "list":
          void listDirectory(r.job, r.path, r.cacheTag, xattrs).then(({ message, transfer }) => post(message, transfer));
          break;
        case "files":
          batches.push({ request: r });
          if (batches.length === 1) void drain();
          else prefetch();
          break;
        case "answer":
          queries.get(r.query)?.(r.have);
          queries.delete(r.query);
          break;
        case "ack":
          unacked -= r.bytes;
          wakeCredit();
          break;
        case "stop": {
          // Reads started ahead on the thread pool must finish (and close their descriptors)
          // before the thread is terminated, or a long-lived process (the agent) leaks them.
          const started = batches.flatMap((b) => b.prefetched ?? []).filter((p): p is Promise<SmallRead> => p !== undefined);
          batches.length = 0;
          void Promise.allSettled(started).then(() => post({ op: "stopped" }));
          break;
        }
      }
    }
  });
  port.on("close", () => xattrs?.close());
}

main().catch((error: unknown) => post({ op: "fatal", message: `worker failed to start: ${(error as Error).message}` }));
