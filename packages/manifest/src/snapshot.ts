// A snapshot is the record of one backup: when, from where, of which paths, and the root tree
// holding everything that was read. It is the last object a backup writes (FORMAT.md §8), so its
// existence means everything it references is stored.
import type { SnapshotId, TreeId } from "./ids.js";
import { bytes } from "./internal/validate.js";
import type { DecodeOptions } from "./codec/fields.js";
import { header, readHeader } from "./codec/header.js";
import { Reader } from "./codec/reader.js";
import { decodeSnapshotBody, encodeSnapshotBody } from "./codec/snapshotCodec.js";
import { Writer } from "./codec/writer.js";
import { ManifestError } from "./errors.js";
import { LIMITS } from "./limits.js";

/** What one backup did. Counts are safe integers; byte totals are bigints. */
export interface SnapshotStats {
  readonly filesNew: number;
  readonly filesChanged: number;
  readonly filesUnmodified: number;
  readonly dirsNew: number;
  readonly dirsChanged: number;
  readonly dirsUnmodified: number;
  /** Blobs this backup added to the repository (the rest were already there). */
  readonly dataBlobsAdded: number;
  readonly treeBlobsAdded: number;
  /** Plaintext bytes of the blobs added. */
  readonly bytesAdded: bigint;
  /** Bytes the added blobs take in the repository (compressed and encrypted). */
  readonly bytesAddedStored: bigint;
  /** Files read or found unchanged, and the sum of their sizes. */
  readonly filesProcessed: number;
  readonly bytesProcessed: bigint;
}

/** A file or directory that could not be read; the backup went on without it. */
export interface SnapshotError {
  /** Absolute, normalised path as bytes (like `paths`). */
  readonly path: Uint8Array;
  /** What went wrong, for people (e.g. "EACCES: permission denied"), 1..1024 bytes. */
  readonly message: string;
}

export interface Snapshot {
  /** When the backup started, in ns since the Unix epoch (signed 64-bit). */
  readonly timeNs: bigint;
  /** Host name of the machine backed up, 1..256 bytes. */
  readonly host: string;
  /** The Cloud Backup agent and configuration this backup ran for, or null (e.g. a CLI run). */
  readonly agentId: string | null;
  readonly configurationId: string | null;
  /** The paths backed up: absolute, normalised, strictly ascending bytes (`validateSnapshotPaths`). */
  readonly paths: readonly Uint8Array[];
  /** Labels, strictly ascending by their UTF-8 bytes, each 1..256 bytes; empty if none. */
  readonly tags: readonly string[];
  /** The snapshot this one was compared against for change detection, or null. */
  readonly parent: SnapshotId | null;
  /** The root tree: it stands for `/`; each path is reached by walking its names from it. */
  readonly tree: TreeId;
  /** Exclude patterns in the order they were applied; empty if none. */
  readonly excludes: readonly string[];
  /** The program that wrote the snapshot, e.g. "cairn-agent 0.4.1". */
  readonly programVersion: string;
  readonly stats: SnapshotStats;
  /** How many entries could not be read; 0 for a clean backup. */
  readonly errorCount: number;
  /** The first (at most 1000) of them; never more than `errorCount`. */
  readonly errors: readonly SnapshotError[];
}

/** True if the backup finished but could not read some entries (they are in `errors`). */
export function completedWithErrors(snapshot: Snapshot): boolean {
  return snapshot.errorCount > 0;
}

/**
 * The canonical bytes of `snapshot` (FORMAT.md §7.6); every rule the decoder enforces is
 * checked first, so an invalid snapshot is never written.
 * @throws {TypeError} if a field has the wrong JavaScript type.
 * @throws {ManifestError} naming the first field that breaks a rule (unsafe paths, unsorted
 *   tags, out-of-range numbers, limits…).
 */
export function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const w = new Writer();
  w.raw(header("snapshot"));
  encodeSnapshotBody(w, snapshot);
  return w.finish();
}

/**
 * The snapshot encoded in `input`, after validating every byte (header, canonical CBOR, every
 * field, path safety, limits, no trailing bytes).
 * @throws {TypeError} if `input` is not a Uint8Array.
 * @throws {ManifestError} for anything else, never another error: its message names the field
 *   and the byte offset.
 */
export function decodeSnapshot(input: Uint8Array, options: DecodeOptions = {}): Snapshot {
  bytes("input", input);
  if (input.length > LIMITS.maxObjectBytes) throw new ManifestError("limit-exceeded", "snapshot", `an encoded object must be at most ${LIMITS.maxObjectBytes} bytes, got ${input.length}`, 0);
  const r = new Reader(input, readHeader(input, "snapshot"), "snapshot");
  const snapshot = decodeSnapshotBody(r, options);
  if (r.remaining > 0) r.fail("trailing-bytes", "", `${r.remaining} byte${r.remaining === 1 ? "" : "s"} follow${r.remaining === 1 ? "s" : ""} the end of the snapshot`, r.pos);
  return snapshot;
}
