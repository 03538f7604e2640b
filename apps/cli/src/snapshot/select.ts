// Naming snapshots on the command line: `latest`, or a unique prefix of a snapshot ID (as
// `cairn snapshots` prints them), optionally narrowed by `--host`, `--path` and `--tag` the way
// restic's filters work (a snapshot matches if it has one of the hosts, all of the paths and one
// of the tags given).
import { resolve } from "node:path";
import { escapeName, shortId, type Snapshot, type SnapshotId } from "@cairn/manifest";
import { CliError, usageError } from "../cli/cliError.js";

export interface SnapshotFilter {
  readonly hosts?: readonly string[];
  readonly paths?: readonly string[];
  readonly tags?: readonly string[];
}

export interface ListedSnapshot {
  readonly id: SnapshotId;
  readonly snapshot: Snapshot;
}

/** What lists snapshots (the Repository does). */
export interface SnapshotLister {
  listSnapshots(): Promise<ListedSnapshot[]>;
}

const encoder = new TextEncoder();

/** The snapshot's paths for display (escaped, so hostile names cannot drive the terminal). */
export function displayPaths(snapshot: Snapshot): string[] {
  return snapshot.paths.map((p) => escapeName(p));
}

function samePath(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function matchesFilter(snapshot: Snapshot, filter: SnapshotFilter): boolean {
  if (filter.hosts && filter.hosts.length > 0 && !filter.hosts.includes(snapshot.host)) return false;
  if (filter.tags && filter.tags.length > 0 && !filter.tags.some((t) => snapshot.tags.includes(t))) return false;
  if (filter.paths && filter.paths.length > 0) {
    for (const p of filter.paths) {
      const want = encoder.encode(resolve(p));
      if (!snapshot.paths.some((have) => samePath(have, want))) return false;
    }
  }
  return true;
}

/** Snapshots matching `filter`, oldest first. */
export async function filteredSnapshots(repo: SnapshotLister, filter: SnapshotFilter): Promise<ListedSnapshot[]> {
  return (await repo.listSnapshots()).filter((s) => matchesFilter(s.snapshot, filter));
}

/**
 * The snapshot `ref` names among `snapshots`: "latest" is the newest; anything else is a
 * unique ID prefix.
 * @throws {CliError} if none matches or a prefix is ambiguous.
 */
export function pickSnapshot(snapshots: readonly ListedSnapshot[], ref: string, filter: SnapshotFilter = {}): ListedSnapshot {
  const candidates = snapshots.filter((s) => matchesFilter(s.snapshot, filter));
  const filtered = Boolean(filter.hosts?.length || filter.paths?.length || filter.tags?.length);
  if (ref === "latest") {
    const newest = candidates.at(-1);
    if (!newest) throw new CliError(filtered ? "no snapshot matches the --host/--path/--tag filters" : "the repository has no snapshots yet", { code: "no-snapshot", hint: filtered ? "`cairn snapshots` lists them" : "create one with `cairn backup PATH`" });
    return newest;
  }
  if (!/^[0-9a-f]{1,64}$/.test(ref)) throw usageError(`${JSON.stringify(ref)} is not a snapshot: expected "latest" or a snapshot ID (hex, a unique prefix is enough)`);
  const hits = candidates.filter((s) => s.id.startsWith(ref));
  if (hits.length === 0) throw new CliError(`no snapshot ${ref}${filtered ? " matching the filters" : ""}`, { code: "no-snapshot", hint: "`cairn snapshots` lists them" });
  if (hits.length > 1) throw new CliError(`snapshot ID prefix ${ref} is ambiguous: ${hits.map((h) => shortId(h.id)).join(", ")}`, { code: "ambiguous-snapshot", hint: "give more characters of the ID" });
  return hits[0]!;
}

/** `pickSnapshot` after listing the repository's snapshots. */
export async function resolveSnapshot(repo: SnapshotLister, ref: string, filter: SnapshotFilter = {}): Promise<ListedSnapshot> {
  return pickSnapshot(await repo.listSnapshots(), ref, filter);
}
