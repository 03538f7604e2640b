// Finding the parent snapshot for an incremental backup: the newest snapshot of the same host
// with exactly the same (canonical) paths, as restic does. Its trees are what change detection
// compares against; a different path set would make every directory look new.
import { Buffer } from "node:buffer";
import { hostname } from "node:os";
import type { Snapshot, SnapshotId } from "@cairn/manifest";
import type { Repository } from "@cairn/repository";
import { toBuffer } from "../internal/binaryPath.js";
import type { BackupOptions } from "./options.js";
import { canonicalRoots } from "./roots.js";
import { compileSelection } from "./selection.js";

/** The snapshot `paths` a backup with these options records (canonical, sorted bytes). */
export function snapshotPaths(options: Pick<BackupOptions, "paths" | "selection" | "cwd">): Uint8Array[] {
  const selection = compileSelection({ paths: options.paths, selection: options.selection }, options.cwd ?? process.cwd());
  const { roots, problems } = canonicalRoots(selection.roots);
  const all = [...roots.map((r) => r.path), ...problems.map((p) => p.path)].sort();
  return [...new Set(all)].map((p) => new Uint8Array(toBuffer(p)));
}

function samePaths(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((p, i) => Buffer.compare(p, b[i]!) === 0);
}

/** The newest snapshot of `host` whose paths are exactly `paths`, among `snapshots` (oldest first). */
export function latestMatching(snapshots: readonly { id: SnapshotId; snapshot: Snapshot }[], host: string, paths: readonly Uint8Array[]): { id: SnapshotId; snapshot: Snapshot } | null {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const s = snapshots[i]!;
    if (s.snapshot.host === host && samePaths(s.snapshot.paths, paths)) return s;
  }
  return null;
}

/**
 * The newest snapshot of the same host and paths as a backup with `options` would make, or
 * null: what `backup` uses as its parent with `parent: "latest"`.
 * @throws {SelectionError} if the options select nothing or break the selection rules.
 * @throws whatever `repo.listSnapshots` throws (e.g. CorruptObjectError).
 */
export async function findParentSnapshot(repo: Repository, options: Pick<BackupOptions, "paths" | "selection" | "host" | "cwd">): Promise<{ id: SnapshotId; snapshot: Snapshot } | null> {
  return latestMatching(await repo.listSnapshots(), options.host ?? hostname(), snapshotPaths(options));
}
