// A restore in its own process, for resume.test.ts to kill with SIGKILL. It loads the restore
// code from $CAIRN_RESTORE_JS (src/restore transpiled by the test) and the other packages from
// their builds. Storage reads are slowed down (a fixed delay per request, like a remote store)
// so the kill lands in the middle. Prints "started" once the first file is in place.
//   node restoreChild.mjs <repoDir> <password> <snapshotId> <target> <delayMs>
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { openRepository } from "@cairn/repository";
import { FileSystemStorage } from "@cairn/storage/fs";

const { restore } = await import(pathToFileURL(join(process.env.CAIRN_RESTORE_JS, "restore.js")).href);
const [repoDir, password, snapshotId, target, delayMs] = process.argv.slice(2);

const inner = new FileSystemStorage(repoDir);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const slow = {
  put: (...a) => inner.put(...a),
  get: async (key, range, options) => {
    if (key.startsWith("data/")) await sleep(Number(delayMs));
    return inner.get(key, range, options);
  },
  stat: (...a) => inner.stat(...a),
  list: (...a) => inner.list(...a),
  delete: (...a) => inner.delete(...a),
};
const repo = await openRepository(slow, password, { locking: false });
let said = false;
await restore(repo, snapshotId, {
  target,
  concurrency: 1,
  onProgress: (p) => {
    if (!said && p.filesDone > 0) {
      said = true;
      process.stdout.write("started\n");
    }
  },
});
process.stdout.write("finished\n");
