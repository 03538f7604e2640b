// Every way stored data can be wrong gives one precise, typed error that names the object — and
// loses nothing: with the damage undone, the repository opens and reads as before. Table-driven,
// on memory and filesystem storage.
import type { SnapshotId } from "@cairn/manifest";
import type { Storage } from "@cairn/storage";
import { beforeEach, describe, expect, it } from "vitest";
import {
  BlobNotFoundError,
  CorruptObjectError,
  KeySlotCorruptError,
  MissingObjectError,
  openRepository,
  RepositoryNotFoundError,
  UnsupportedVersionError,
  WrongPasswordError,
  type Repository,
} from "./index.js";
import { BACKENDS, backup, keysOf, newRepo, readSnapshotFully } from "../test/helpers.js";

type Damage = (storage: Storage, key: string) => Promise<void>;

async function rewrite(storage: Storage, key: string, f: (b: Uint8Array) => Uint8Array): Promise<void> {
  const bytes = f(await storage.get(key));
  await storage.delete(key);
  await storage.put(key, bytes);
}

const flip = (at: (size: number) => number): Damage => (s, k) =>
  rewrite(s, k, (b) => {
    b[at(b.length)]! ^= 0x10;
    return b;
  });
const truncate: Damage = (s, k) => rewrite(s, k, (b) => b.slice(0, Math.floor(b.length / 2)));
const remove: Damage = (s, k) => s.delete(k);
const newerFormat: Damage = (s, k) =>
  rewrite(s, k, (b) => {
    b[4] = 9; // the preamble's object format version
    return b;
  });

interface Fixture {
  storage: Storage;
  snapshot: SnapshotId;
  blob: string;
  pack: string;
}

/** What a case does after the damage: the operation that must fail. */
type Probe = (f: Fixture) => Promise<unknown>;

const openIt: Probe = (f) => openRepository(f.storage, "correct horse");
const loadSnapshot: Probe = async (f) => (await openRepository(f.storage, "correct horse")).loadSnapshot(f.snapshot);
const loadIndex: Probe = async (f) => (await openRepository(f.storage, "correct horse")).ensureIndex();
const loadBlob: Probe = async (f) => (await openRepository(f.storage, "correct horse")).loadBlob(f.blob as never);

const CASES: { name: string; target: (f: Fixture, storage: Storage) => Promise<string>; damage: Damage; probe: Probe; error: new (...a: never[]) => Error; message: RegExp; objectIsTarget?: boolean }[] = [
  { name: "wrong passphrase", target: async () => "config", damage: async () => undefined, probe: (f) => openRepository(f.storage, "wrong horse"), error: WrongPasswordError, message: /wrong passphrase/, objectIsTarget: false },
  { name: "a flipped bit in the config", target: async () => "config", damage: flip((n) => n - 5), probe: openIt, error: CorruptObjectError, message: /authentication failed/ },
  { name: "a truncated config", target: async () => "config", damage: truncate, probe: openIt, error: CorruptObjectError, message: /config is corrupt/ },
  { name: "a missing config", target: async () => "config", damage: remove, probe: openIt, error: RepositoryNotFoundError, message: /no config/ },
  { name: "a config from a newer format", target: async () => "config", damage: newerFormat, probe: openIt, error: UnsupportedVersionError, message: /format version 9/ },
  { name: "a damaged key slot (the only one)", target: async (_f, s) => (await keysOf(s, "keys/"))[0]!, damage: flip((n) => Math.floor(n / 2)), probe: openIt, error: KeySlotCorruptError, message: /key slot keys\/.* is corrupt/ },
  { name: "a flipped bit in a snapshot", target: async (f) => `snapshots/${f.snapshot}`, damage: flip((n) => n - 20), probe: loadSnapshot, error: CorruptObjectError, message: /authentication failed/ },
  { name: "a truncated snapshot", target: async (f) => `snapshots/${f.snapshot}`, damage: truncate, probe: loadSnapshot, error: CorruptObjectError, message: /corrupt/ },
  { name: "a missing snapshot", target: async (f) => `snapshots/${f.snapshot}`, damage: remove, probe: loadSnapshot, error: MissingObjectError, message: /is missing/ },
  { name: "a snapshot from a newer format", target: async (f) => `snapshots/${f.snapshot}`, damage: newerFormat, probe: loadSnapshot, error: UnsupportedVersionError, message: /reads up to 1/ },
  { name: "a flipped bit in an index object", target: async (_f, s) => (await keysOf(s, "index/"))[0]!, damage: flip((n) => n - 30), probe: loadIndex, error: CorruptObjectError, message: /authentication failed/ },
  { name: "a truncated index object", target: async (_f, s) => (await keysOf(s, "index/"))[0]!, damage: (s, k) => rewrite(s, k, (b) => b.slice(0, 30)), probe: loadIndex, error: CorruptObjectError, message: /truncated/ },
  { name: "a flipped bit in a blob", target: async (f) => f.pack, damage: flip(() => 100), probe: loadBlob, error: CorruptObjectError, message: /blob .* failed authentication/ },
  { name: "a truncated pack", target: async (f) => f.pack, damage: (s, k) => rewrite(s, k, (b) => b.slice(0, 60)), probe: loadBlob, error: CorruptObjectError, message: /truncated/ },
  { name: "a missing pack", target: async (f) => f.pack, damage: remove, probe: loadBlob, error: MissingObjectError, message: /is missing \(referenced by the index entry of blob/ },
  { name: "a missing index object", target: async (_f, s) => (await keysOf(s, "index/"))[0]!, damage: remove, probe: loadBlob, error: BlobNotFoundError, message: /is not in the index/, objectIsTarget: false },
];

for (const backend of BACKENDS) {
  describe(`typed errors on ${backend.name} storage`, () => {
    let fixture: Fixture;
    beforeEach(async () => {
      const { storage } = await backend.create();
      const repo: Repository = await newRepo(storage);
      const { id, blobs } = await backup(repo, 1, { files: 1, chunks: 1, chunkBytes: 20_000 });
      await repo.close();
      // One index object, one data pack: the blob is in `pack`.
      expect(await keysOf(storage, "index/")).toHaveLength(1);
      const reopened = await openRepository(storage, "correct horse");
      await reopened.ensureIndex();
      const pack = `data/${(await reopened.ctx.index.lookup(blobs[0]!))!.packId}`;
      fixture = { storage, snapshot: id, blob: blobs[0]!, pack };
    });

    for (const c of CASES) {
      it(`${c.name}: ${c.error.name}, and nothing is lost`, async () => {
        const { storage } = fixture;
        const key = await c.target(fixture, storage);
        const original = await storage.get(key);
        await c.damage(storage, key);
        const error = await c.probe(fixture).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, c.name).toBeInstanceOf(c.error);
        expect((error as Error).message).toMatch(c.message);
        if (c.objectIsTarget !== false) expect((error as { object?: string }).object).toBe(key);
        if (c.error === CorruptObjectError && key.startsWith("data/")) expect((error as CorruptObjectError).blobId).toBe(fixture.blob);
        // Undo the damage: everything is as it was.
        await storage.delete(key);
        await storage.put(key, original);
        const repo = await openRepository(storage, "correct horse");
        expect(await readSnapshotFully(repo, fixture.snapshot)).toBe(1);
        expect((await repo.check({ readData: true })).ok).toBe(true);
      });
    }

    it("a wrong passphrase next to a damaged slot says both", async () => {
      const repo = await openRepository(fixture.storage, "correct horse");
      const extra = await repo.addKeySlot("second", { kdf: { algorithm: "argon2id", memoryKiB: 64, iterations: 1 } });
      await flip((n) => Math.floor(n / 2))(fixture.storage, `keys/${extra.id}`);
      const error = await openRepository(fixture.storage, "wrong horse").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongPasswordError);
      expect((error as WrongPasswordError).corruptSlots).toEqual([`keys/${extra.id}`]);
      await expect(openRepository(fixture.storage, "correct horse")).resolves.toBeDefined();
    });
  });
}
