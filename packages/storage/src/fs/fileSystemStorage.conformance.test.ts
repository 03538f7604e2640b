// FileSystemStorage runs the conformance suite in its default layout and with data/ sharded.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStorageConformance } from "../testing/index.js";
import { FileSystemStorage, type FileSystemStorageOptions } from "./index.js";

async function fixture(options?: FileSystemStorageOptions) {
  const parent = await mkdtemp(join(tmpdir(), "cairn-fs-"));
  return { storage: new FileSystemStorage(join(parent, "store"), options), cleanup: () => rm(parent, { recursive: true, force: true }) };
}

describeStorageConformance("FileSystemStorage", () => fixture());
describeStorageConformance("FileSystemStorage, data/ sharded", () => fixture({ shardedPrefixes: ["data/"] }));
