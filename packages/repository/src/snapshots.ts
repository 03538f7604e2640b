// Snapshot objects (`snapshots/<id>`, sealed as object type "snapshot"): the manifest codec's
// bytes, encrypted. A snapshot is written only after everything it references is durable and
// indexed (Repository.saveSnapshot flushes first), so its existence is the commit point of a
// backup (ARCHITECTURE decision 7).
import { decodeSnapshot, encodeSnapshot, ManifestError, parseSnapshotId, type Snapshot, type SnapshotId } from "@cairn/manifest";
import { ObjectNotFoundError, type Storage } from "@cairn/storage";
import { CorruptObjectError, MissingObjectError } from "./errors.js";
import type { ObjectCipher } from "./crypto/objectCipher.js";

export function snapshotKey(id: SnapshotId): string {
  return `snapshots/${id}`;
}

/** Encrypts and stores `snapshot`; returns its ID (derived from its content and salt). */
export async function writeSnapshot(storage: Storage, cipher: ObjectCipher, snapshot: Snapshot): Promise<SnapshotId> {
  const { key, bytes } = await cipher.seal("snapshot", encodeSnapshot(snapshot), (id) => `snapshots/${id}`);
  await storage.put(key, bytes);
  return parseSnapshotId(key.slice("snapshots/".length));
}

/**
 * Loads and authenticates one snapshot.
 * @throws {MissingObjectError} if it does not exist.
 * @throws {CorruptObjectError} if it does not authenticate or decode.
 */
export async function readSnapshot(storage: Storage, cipher: ObjectCipher, id: SnapshotId): Promise<Snapshot> {
  const key = snapshotKey(id);
  let bytes: Uint8Array;
  try {
    bytes = await storage.get(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw new MissingObjectError(key, `a request for snapshot ${id}`, { cause: error });
    throw error;
  }
  const plain = await cipher.open("snapshot", key, bytes);
  try {
    return decodeSnapshot(plain);
  } catch (error) {
    if (error instanceof ManifestError) throw new CorruptObjectError(key, `authenticated but does not decode: ${error.message}`, { cause: error });
    throw error;
  }
}

/** IDs of every snapshot object (names that are not snapshot IDs are skipped: `check` reports them). */
export async function listSnapshotIds(storage: Storage): Promise<SnapshotId[]> {
  const ids: SnapshotId[] = [];
  for await (const { key } of storage.list("snapshots/")) {
    const name = key.slice("snapshots/".length);
    if (/^[0-9a-f]{64}$/.test(name)) ids.push(parseSnapshotId(name));
  }
  return ids.sort();
}
