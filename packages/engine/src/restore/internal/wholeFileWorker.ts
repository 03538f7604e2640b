// Entry point of the restore's whole-file writer thread. For every file of a batch it makes the
// calls the general path makes, in the same order, synchronously (this thread does nothing else):
// create the temporary name O_CREAT|O_EXCL|O_NOFOLLOW (0600), write, truncate to the size (a
// trailing hole), note the inode if asked, owner, mode, times, close, rename over the final
// name. Names are reached as /proc/self/fd/<dir fd>/<name>, through the directory descriptor
// the executor holds open for the duration (descriptors are shared by every thread of the
// process), so nothing resolves through a symlink (see targetRoot.ts). A failure removes the
// temporary file and is reported; metadata failures are warnings, as on the main thread.
// Blobs may arrive as their stored bytes (authenticated by the main thread, still compressed):
// this thread decompresses them and checks each plaintext against its blob ID before writing a
// byte, so every written byte is verified wherever the work is done.
import * as fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { createBlobDecoder, type BlobDecoder } from "@cairn/repository";
import { describeFsError as describe, procPath } from "./targetRoot.js";
import type { WholeFileBatch, WholeFileInit, WholeFileReply, WholeFileResult, WholeFileTask } from "./wholeFileProtocol.js";

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const CREATE = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

function writeOne(task: WholeFileTask, data: Uint8Array): WholeFileResult {
  const temp = procPath(task.dirFd, task.temp);
  let fd: number | undefined;
  let created = false;
  try {
    try {
      fd = fs.openSync(temp, CREATE, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      fs.unlinkSync(temp); // left by an earlier, interrupted run (unlink never follows)
      fd = fs.openSync(temp, CREATE, 0o600);
    }
    created = true;
    for (let done = 0; done < data.length; ) {
      const n = fs.writeSync(fd, data, done, data.length - done, task.offset + done);
      if (n <= 0) throw new Error("the file system accepted no bytes");
      done += n;
    }
    if (task.offset + data.length < task.size) fs.ftruncateSync(fd, task.size);
    const st = task.wantInode ? fs.fstatSync(fd, { bigint: true }) : undefined;
    const warnings: [string, string][] = [];
    const step = (what: string, run: () => void) => {
      try {
        run();
      } catch (error) {
        warnings.push([what, describe(error)]);
      }
    };
    const file = fd;
    if (task.chown) step("owner", () => fs.fchownSync(file, task.chown!.uid, task.chown!.gid));
    step("mode", () => fs.fchmodSync(file, task.mode));
    step("times", () => fs.futimesSync(file, task.atime, task.mtime));
    fd = undefined;
    fs.closeSync(file);
    fs.renameSync(temp, procPath(task.dirFd, task.name));
    return st ? { ok: true, ino: st.ino, dev: st.dev, warnings } : { ok: true, warnings };
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // the error that matters is the one reported
      }
    }
    if (created) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // gone already, or the directory is unusable: the next run removes it
      }
    }
    return { ok: false, message: describe(error) };
  }
}

const init = workerData as WholeFileInit;
let decoder: Promise<BlobDecoder> | undefined;
function decoderOf(): Promise<BlobDecoder> {
  if (!init.blobIdKey) return Promise.reject(new Error("no blob-ID key was given to the file writer thread"));
  decoder ??= createBlobDecoder(init.blobIdKey).finally(() => init.blobIdKey!.fill(0));
  return decoder;
}

/** The plaintext to write: the slab's bytes, decoded and verified first if they are a stored blob. */
async function dataOf(task: WholeFileTask, slab: Uint8Array): Promise<Uint8Array> {
  const bytes = slab.subarray(task.dataAt, task.dataAt + task.length);
  return task.coding ? (await decoderOf()).decode(task.coding, bytes) : bytes;
}

// Batches are handled one at a time, in order (decoding is the only wait).
let queue = Promise.resolve();
parentPort!.on("message", ({ batch, tasks, slab }: WholeFileBatch) => {
  queue = queue.then(async () => {
    const results: WholeFileResult[] = [];
    for (const task of tasks) {
      let data: Uint8Array;
      try {
        data = await dataOf(task, slab);
      } catch (error) {
        results.push({ ok: false, message: describe(error), corrupt: true });
        continue;
      }
      results.push(writeOne(task, data));
    }
    const reply: WholeFileReply = { batch, results };
    parentPort!.postMessage(reply);
  });
});
