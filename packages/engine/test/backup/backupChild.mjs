// Runs one backup in a separate process (for tests that need another uid, or a process to kill).
//   node backupChild.mjs '<json {repoDir, init, options, killAtStoredBytes}>'
// Imports the built package (dist), like any consumer. Prints one JSON line with the outcome.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { initRepository, openRepository } from "@cairn/repository";
import { FileSystemStorage } from "@cairn/storage/fs";
import { backup } from "../../dist/index.js";

const args = JSON.parse(process.argv[2]);
const storage = new FileSystemStorage(args.repoDir);
const kdf = { algorithm: "argon2id", memoryKiB: 64, iterations: 1 };
const repo = args.init
  ? await initRepository(storage, args.password, { kdf, packSize: args.packSize, chunker: args.chunker })
  : await openRepository(storage, args.password);
const options = { ...args.options };
if (args.killAtStoredBytes) {
  // A real kill at a deterministic point: SIGKILL ourselves once this much has been stored and
  // at least one checkpoint has written an index object.
  options.progressIntervalMs = 10;
  options.onProgress = (p) => {
    if (p.bytesStored >= args.killAtStoredBytes && readdirSync(join(args.repoDir, "index")).length > 0) process.kill(process.pid, "SIGKILL");
  };
}
const result = await backup(repo, options);
await repo.close();
console.log(JSON.stringify({ snapshotId: result.snapshotId, errorCount: result.snapshot.errorCount, errors: result.errors.map((e) => ({ path: e.path, kind: e.kind, message: e.message })), stats: { ...result.snapshot.stats, bytesAdded: String(result.snapshot.stats.bytesAdded), bytesAddedStored: String(result.snapshot.stats.bytesAddedStored), bytesProcessed: String(result.snapshot.stats.bytesProcessed) } }));
