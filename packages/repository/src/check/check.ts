// `check`: is the repository consistent, and (with `readData`) is every byte intact? Reads
// everything it checks with authentication, reports every problem with the object it concerns
// and, for damaged data and trees, the files of every snapshot that reference it. Nothing is
// skipped silently: what could not be checked is itself a problem.
//
// Order: layout and config → key slots → index objects → packs (existence, size, header vs
// index) → snapshots and every reachable tree and blob → optionally read packs in full.
import { decodeTree, ManifestError, parseSnapshotId, type Snapshot, type SnapshotId, type Tree, type TreeId } from "@cairn/manifest";
import { KeySlotCorruptError, MissingObjectError, RepositoryError } from "../errors.js";
import { equalBytes, toHex } from "../internal/bytes.js";
import type { RepositoryContext } from "../internal/context.js";
import { decodeIndex, INDEX_KEY } from "../index/indexFormat.js";
import { shardLocations } from "../index/indexFormat.js";
import { readKeySlots } from "../keys/keyring.js";
import { listLocks } from "../locks.js";
import { idToBytes } from "@cairn/manifest";
import { packKey } from "../pack/packFormat.js";
import { fetchBlob, openBlob, parsePackHeader, readPackHeader, sameEntry, type BlobLocation } from "../pack/packReader.js";
import { readSnapshot } from "../snapshots.js";
import { decodeConfig } from "../config.js";
import type { CheckProblem, CheckReport, ProblemKind } from "./report.js";
import { affectedFiles, walkSnapshots, type TreeLoader } from "./treeWalk.js";

export interface CheckOptions {
  /**
   * Read and authenticate blob data too: `true` for every pack, `{ fraction }` for a
   * deterministic subset (by pack ID, so repeated runs with different `seed`s cover different
   * packs), `{ packs }` for named packs.
   */
  readonly readData?: boolean | { readonly fraction: number; readonly seed?: number } | { readonly packs: readonly string[] };
}

const LAYOUT = /^(config|keys\/[0-9a-f]{64}|data\/[0-9a-f]{64}|index\/[0-9a-f]{64}|snapshots\/[0-9a-f]{64}|locks\/[0-9a-f]{64})$/;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deterministic selection of a fraction of packs: the first 4 bytes of SHA-256(seed, pack ID). */
async function selected(packId: string, fraction: number, seed: number): Promise<boolean> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${seed}:${packId}`)));
  return ((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]! < fraction * 2 ** 32;
}

/** Runs every check; never throws for what it finds, only for failures to reach storage. */
export async function checkRepository(ctx: RepositoryContext, options: CheckOptions = {}): Promise<CheckReport> {
  const { storage, cipher } = ctx;
  const problems: CheckProblem[] = [];
  const report = (kind: ProblemKind, message: string, extra: { object?: string; blobId?: string; severity?: "error" | "warning" } = {}) =>
    problems.push({ kind, severity: extra.severity ?? "error", object: extra.object, blobId: extra.blobId, message, affected: [] });

  // ---- layout and config ----
  const objects = new Map<string, number>();
  for await (const { key, size } of storage.list("")) {
    objects.set(key, size);
    if (!LAYOUT.test(key)) report("unknown-object", `${key} is not part of the repository layout`, { object: key, severity: "warning" });
  }
  try {
    decodeConfig(await cipher.open("config", "config", await storage.get("config")));
  } catch (error) {
    report("config", describe(error), { object: "config" });
  }
  for (const slot of await readKeySlots(storage)) if (slot instanceof KeySlotCorruptError) report("key-slot", slot.message, { object: slot.object });
  const locks = await listLocks(storage, cipher);
  for (const l of locks) if (l.host === "unreadable lock") report("lock-unreadable", `${l.object} does not authenticate`, { object: l.object, severity: "warning" });

  // ---- index ----
  const byPack = new Map<string, { salt: Uint8Array; size: number; from: string; entries: Map<string, BlobLocation> }>();
  const located = new Map<string, BlobLocation>();
  const obsolete = new Set<string>();
  let indexObjects = 0;
  for (const key of [...objects.keys()].filter((k) => INDEX_KEY.test(k)).sort()) {
    indexObjects++;
    try {
      const shard = decodeIndex(key, await cipher.open("index", key, await storage.get(key)));
      for (const g of shard.garbage) if (g.kind === 1) obsolete.add(g.packId);
      for (const p of shard.packs) if (!byPack.has(p.packId)) byPack.set(p.packId, { salt: p.salt, size: p.size, from: key, entries: new Map() });
      for (const loc of shardLocations(shard)) {
        byPack.get(loc.packId)!.entries.set(loc.id, loc);
        if (!located.has(loc.id)) located.set(loc.id, loc);
      }
    } catch (error) {
      report("index-corrupt", describe(error), { object: key });
    }
  }

  // ---- packs: existence, size, header against index ----
  const damaged = new Map<string, CheckProblem[]>(); // blob ID -> problems to attach affected files to
  const damage = (id: string, problem: CheckProblem) => damaged.set(id, [...(damaged.get(id) ?? []), problem]);
  const brokenPacks = new Set<string>();
  for (const [packId, pack] of byPack) {
    const key = packKey(packId);
    const size = objects.get(key);
    const fail = (kind: ProblemKind, message: string) => {
      brokenPacks.add(packId);
      const problem: CheckProblem = { kind, severity: "error", object: key, message, affected: [] };
      problems.push(problem);
      for (const id of pack.entries.keys()) damage(id, problem);
    };
    if (size === undefined) {
      fail("pack-missing", `${key} is listed in ${pack.from} (${pack.entries.size} blobs) but is not in storage`);
      continue;
    }
    if (size !== pack.size) {
      fail("pack-size", `${key} has ${size} bytes, ${pack.from} says ${pack.size} (truncated or replaced)`);
      continue;
    }
    try {
      const header = await readPackHeader(storage, cipher, packId, pack.from);
      const inHeader = new Map(header.entries.map((e) => [e.id as string, e]));
      for (const [id, loc] of pack.entries) {
        const h = inHeader.get(id);
        if (!h || !sameEntry(h, loc)) {
          const problem: CheckProblem = { kind: "index-mismatch", severity: "error", object: key, blobId: id, message: `${pack.from} places blob ${id} differently from the header of ${key}`, affected: [] };
          problems.push(problem);
          damage(id, problem);
        }
      }
    } catch (error) {
      fail("pack-corrupt", describe(error));
    }
  }
  for (const key of objects.keys()) {
    if (!key.startsWith("data/") || !LAYOUT.test(key) || byPack.has(key.slice(5))) continue; // non-layout keys were reported above
    const obs = obsolete.has(key.slice(5));
    report(obs ? "pack-obsolete" : "pack-unindexed", obs ? `${key} is marked obsolete by prune and not yet deleted` : `${key} is not listed in any index (left by an interrupted writer; prune removes it)`, { object: key, severity: "warning" });
  }

  // ---- snapshots and trees ----
  const snapshots: { id: SnapshotId; snapshot: Snapshot }[] = [];
  for (const key of [...objects.keys()].filter((k) => k.startsWith("snapshots/")).sort()) {
    if (!LAYOUT.test(key)) continue;
    const id = parseSnapshotId(key.slice(10));
    try {
      snapshots.push({ id, snapshot: await readSnapshot(storage, cipher, id) });
    } catch (error) {
      report("snapshot-corrupt", describe(error), { object: key });
    }
  }
  const treeCache = new Map<string, Tree | { error: string; kind: "tree-missing" | "tree-corrupt" }>();
  const load: TreeLoader = async (id: TreeId) => {
    const hit = treeCache.get(id);
    if (hit) return hit;
    let result: Tree | { error: string; kind: "tree-missing" | "tree-corrupt" };
    const loc = located.get(id);
    if (!loc || loc.type !== "tree") result = { kind: "tree-missing", error: loc ? `blob ${id} is indexed as a data blob, not a tree` : `tree ${id} is in no index` };
    else {
      try {
        result = decodeTree(await loadPlain(ctx, loc));
      } catch (error) {
        result = { kind: error instanceof MissingObjectError ? "tree-missing" : "tree-corrupt", error: error instanceof ManifestError ? `tree ${id} does not decode: ${error.message}` : describe(error) };
      }
    }
    treeCache.set(id, result);
    return result;
  };
  const missingBlobs = new Set<string>();
  let blobsReferenced = 0;
  const trees = await walkSnapshots(snapshots, load, {
    tree(id, snap, path, problem) {
      if (!problem) return;
      const loc = located.get(id);
      const p: CheckProblem = { kind: problem.kind, severity: "error", object: loc ? packKey(loc.packId) : undefined, blobId: id, message: `${problem.error} (first reached at ${path} of snapshot ${snap})`, affected: [] };
      problems.push(p);
      damage(id, p);
    },
    blob(id) {
      blobsReferenced++;
      const loc = located.get(id);
      if (loc && loc.type === "data") return;
      if (missingBlobs.has(id)) return;
      missingBlobs.add(id);
      const p: CheckProblem = { kind: "blob-missing", severity: "error", blobId: id, message: loc ? `blob ${id} is indexed as a tree, not data` : `data blob ${id} is in no index`, affected: [] };
      problems.push(p);
      damage(id, p);
    },
  });

  // ---- read data ----
  let packsRead = 0;
  let bytesRead = 0;
  const want = options.readData;
  if (want) {
    for (const [packId, pack] of byPack) {
      if (brokenPacks.has(packId)) continue;
      if (typeof want === "object" && "packs" in want && !want.packs.includes(packId)) continue;
      if (typeof want === "object" && "fraction" in want && !(await selected(packId, want.fraction, want.seed ?? 0))) continue;
      const key = packKey(packId);
      const bytes = await storage.get(key);
      packsRead++;
      bytesRead += bytes.length;
      let contents;
      try {
        contents = await parsePackHeader(cipher, packId, bytes);
      } catch (error) {
        const p: CheckProblem = { kind: "pack-corrupt", severity: "error", object: key, message: describe(error), affected: [] };
        problems.push(p);
        for (const id of pack.entries.keys()) damage(id, p);
        continue;
      }
      const subkey = await cipher.subkey("pack", contents.salt);
      for (const entry of contents.entries) {
        const loc: BlobLocation = { ...entry, packId, packSalt: contents.salt };
        try {
          const stored = await openBlob(cipher, loc, bytes.subarray(entry.offset, entry.offset + entry.sealedLength), subkey);
          const plain = ctx.compressor.decode(entry.codec, stored, entry.rawLength);
          const actual = await ctx.blobIds.digest(plain);
          if (!equalBytes(actual, idToBytes(entry.id))) throw new Error(`plaintext hashes to ${toHex(actual)}, not its ID`);
        } catch (error) {
          const p: CheckProblem = { kind: "blob-corrupt", severity: "error", object: key, blobId: entry.id, message: `blob ${entry.id} in ${key}: ${describe(error)}`, affected: [] };
          problems.push(p);
          damage(entry.id, p);
        }
      }
      subkey.fill(0);
    }
  }

  // ---- who is affected ----
  if (damaged.size > 0) {
    const files = await affectedFiles(snapshots, load, new Set(damaged.keys()));
    for (const [id, list] of damaged) for (const p of list) p.affected.push(...(files.get(id) ?? []));
  }
  return {
    ok: !problems.some((p) => p.severity === "error"),
    problems,
    counts: { snapshots: snapshots.length, trees, indexObjects, packs: byPack.size, blobs: located.size, blobReferences: blobsReferenced, packsRead, bytesRead },
  };
}

/** Fetches, authenticates, decompresses and verifies one blob. */
async function loadPlain(ctx: RepositoryContext, loc: BlobLocation): Promise<Uint8Array> {
  const stored = await fetchBlob(ctx.storage, ctx.cipher, loc);
  const plain = ctx.compressor.decode(loc.codec, stored, loc.rawLength);
  const actual = await ctx.blobIds.digest(plain);
  if (!equalBytes(actual, idToBytes(loc.id))) throw new RepositoryError(`blob ${loc.id} in ${packKey(loc.packId)} hashes to ${toHex(actual)}`, { object: packKey(loc.packId) });
  return plain;
}
