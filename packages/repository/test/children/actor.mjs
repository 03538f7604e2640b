// A separate process acting on a filesystem repository, for test/processes.test.ts: a backup
// writer, a pruner, or both in turn. It runs the transpiled package (test/transpile.ts), so what
// runs here is the real code, in a real second process, with its own locks and clock.
//
//   node actor.mjs '<job as JSON>'
//
// job = { repositoryJs, root, steps: [...], kill?, slowMs? }
// steps: { op: "open", lockNowOffsetMs?, indexEvery? } | { op: "save", seed, files?, chunks?, chunkBytes? }
//      | { op: "flush" } | { op: "wait", name } | { op: "snapshot", timeNs? } | { op: "prune", graceMs? }
//      | { op: "close" }
// kill = { after: n, when: "before" | "after", keyPrefix? }: SIGKILL this process at its n-th
//        (from 0) put or delete — counting only keys under `keyPrefix` if given — before or after
//        the call reaches the store. `slowMs` delays every put and delete.
// pause = { operation, keyPrefix }: after the first such call, report {event:"waiting", name:
//        "pause"} and wait for the line "pause" (e.g. a prune holding its lock mid-way).
// Every step reports one JSON line on stdout ({event, ...}); "wait" blocks until the parent writes
// a line equal to its name on stdin. Errors are reported as {event:"error", name, message} and
// the process exits 1.
import { createInterface } from "node:readline";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createTree } from "@cairn/manifest";
import { FileSystemStorage } from "@cairn/storage/fs";

const job = JSON.parse(process.argv[2]);
const repository = await import(pathToFileURL(join(job.repositoryJs, "index.js")).href);
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const lines = [];
let wake;
createInterface({ input: process.stdin }).on("line", (line) => {
  lines.push(line);
  wake?.();
});
async function waitFor(name) {
  for (;;) {
    const i = lines.indexOf(name);
    if (i >= 0) {
      lines.splice(i, 1);
      return;
    }
    await new Promise((resolve) => (wake = resolve));
  }
}

/** The storage, with the kill switch and the slowdown around every mutating call. */
function instrument(inner) {
  let mutations = 0;
  let paused = false;
  let matching = 0;
  const mutate = async (operation, key, call) => {
    const n = mutations++;
    const counted = job.kill && key.startsWith(job.kill.keyPrefix ?? "") ? matching++ : -1;
    const killNow = (when) => job.kill && job.kill.after === counted && job.kill.when === when && process.kill(process.pid, "SIGKILL");
    if (job.slowMs) await new Promise((resolve) => setTimeout(resolve, job.slowMs));
    killNow("before");
    const result = await call();
    emit({ event: "mutation", n, operation, key });
    killNow("after");
    if (job.pause && !paused && job.pause.operation === operation && key.startsWith(job.pause.keyPrefix)) {
      paused = true;
      emit({ event: "waiting", name: "pause" });
      await waitFor("pause");
    }
    return result;
  };
  return {
    put: (key, data, options) => mutate("put", key, () => inner.put(key, data, options)),
    delete: (key, options) => mutate("delete", key, () => inner.delete(key, options)),
    get: (key, range, options) => inner.get(key, range, options),
    stat: (key, options) => inner.stat(key, options),
    list: (prefix, options) => inner.list(prefix, options),
  };
}

/** Same generator as test/helpers.ts bytesOf. */
function bytesOf(seed, length, text = false) {
  const out = new Uint8Array(length);
  let x = seed * 2654435761 + 1 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = text ? 97 + ((x >>> 0) % 8) : x & 255;
  }
  return out;
}

const enc = new TextEncoder();
const meta = (name) => ({ name: enc.encode(name), mode: 0o644, uid: 1000, gid: 1000, user: "u", group: "g", mtimeNs: 1n, ctimeNs: 1n, atimeNs: null, inode: null, deviceId: null, links: null, xattrs: [] });

const storage = instrument(new FileSystemStorage(job.root));
let repo;
const files = [];
try {
  for (const step of job.steps) {
    switch (step.op) {
      case "open": {
        const offset = step.lockNowOffsetMs ?? 0;
        repo = await repository.openRepository(storage, "correct horse", { indexEvery: step.indexEvery, lock: { host: `pid-${process.pid}`, now: () => Date.now() + offset } });
        emit({ event: "open" });
        break;
      }
      case "save": {
        let added = 0;
        const ids = [];
        for (let f = 0; f < (step.files ?? 3); f++) {
          const content = [];
          for (let c = 0; c < (step.chunks ?? 2); c++) {
            const data = bytesOf(step.seed * 1000 + f * 10 + c, step.chunkBytes ?? 30_000, c % 2 === 0);
            const saved = await repo.saveBlob("data", data);
            if (saved.added) added++;
            content.push({ kind: "data", id: saved.id, length: data.length });
            ids.push(saved.id);
          }
          const size = content.reduce((n, c) => n + BigInt(c.length), 0n);
          files.push({ ...meta(`seed-${step.seed}-file-${f}.txt`), type: "file", size, content });
        }
        emit({ event: "saved", seed: step.seed, added, ids });
        break;
      }
      case "flush":
        await repo.flush();
        emit({ event: "flushed" });
        break;
      case "wait":
        emit({ event: "waiting", name: step.name });
        await waitFor(step.name);
        break;
      case "snapshot": {
        const sub = await repo.saveTree(createTree(files));
        const root = await repo.saveTree(createTree([{ ...meta("data"), mode: 0o755, type: "dir", subtree: sub }]));
        const id = await repo.saveSnapshot({
          timeNs: BigInt(step.timeNs ?? Date.now() * 1e6),
          host: `pid-${process.pid}`,
          agentId: null,
          configurationId: null,
          paths: [enc.encode("/data")],
          tags: [],
          parent: null,
          tree: root,
          excludes: [],
          programVersion: "cairn-test 0",
          stats: { filesNew: 0, filesChanged: 0, filesUnmodified: 0, dirsNew: 0, dirsChanged: 0, dirsUnmodified: 0, dataBlobsAdded: 0, treeBlobsAdded: 0, bytesAdded: 0n, bytesAddedStored: 0n, filesProcessed: 0, bytesProcessed: 0n },
          errorCount: 0,
          errors: [],
        });
        emit({ event: "snapshot", id });
        break;
      }
      case "prune": {
        const result = await repo.prune({ graceMs: step.graceMs ?? 0 });
        emit({ event: "pruned", result });
        break;
      }
      case "close":
        await repo.close();
        emit({ event: "closed" });
        break;
      default:
        throw new Error(`unknown step ${JSON.stringify(step)}`);
    }
  }
  process.exit(0);
} catch (error) {
  emit({ event: "error", name: error?.name, message: String(error?.message ?? error) });
  process.exit(1);
}
