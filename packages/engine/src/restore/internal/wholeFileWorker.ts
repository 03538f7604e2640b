// Entry point of the restore's whole-file writer thread. For every file of a batch it makes the
// calls the general path makes, in the same order, synchronously (this thread does nothing else):
// create the temporary name O_CREAT|O_EXCL|O_NOFOLLOW (0600), write, truncate to the size (a
// trailing hole), note the inode if asked, owner, mode, times, close, rename over the final
// name. Names are reached as /proc/self/fd/<dir fd>/<name>, through the directory descriptor
// the executor holds open for the duration (descriptors are shared by every thread of the
// process), so nothing resolves through a symlink (see targetRoot.ts). A failure removes the
// temporary file and is reported; metadata failures are warnings, as on the main thread.
import { Buffer } from "node:buffer";
import * as fs from "node:fs";
import { parentPort } from "node:worker_threads";
import { describeFsError as describe } from "./targetRoot.js";
import type { WholeFileBatch, WholeFileReply, WholeFileResult, WholeFileTask } from "./wholeFileProtocol.js";

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const CREATE = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

const at = (dirFd: number, name: Uint8Array) => Buffer.concat([Buffer.from(`/proc/self/fd/${dirFd}/`), name]);

function writeOne(task: WholeFileTask, slab: Uint8Array): WholeFileResult {
  const temp = at(task.dirFd, task.temp);
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
    for (let done = 0; done < task.length; ) {
      const n = fs.writeSync(fd, slab, task.dataAt + done, task.length - done, task.offset + done);
      if (n <= 0) throw new Error("the file system accepted no bytes");
      done += n;
    }
    if (task.offset + task.length < task.size) fs.ftruncateSync(fd, task.size);
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
    fs.renameSync(temp, at(task.dirFd, task.name));
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

parentPort!.on("message", ({ batch, tasks, slab }: WholeFileBatch) => {
  const reply: WholeFileReply = { batch, results: tasks.map((t) => writeOne(t, slab)) };
  parentPort!.postMessage(reply);
});
