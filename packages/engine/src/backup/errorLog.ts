// The entries a backup could not (fully) back up. All are counted; the first 10 000 are kept
// for the caller and the first 1000 go into the snapshot (the format's cap), so an unreadable
// mount with millions of entries cannot exhaust memory or bloat the snapshot.
import { Buffer } from "node:buffer";
import { LIMITS, type SnapshotError } from "@cairn/manifest";
import { toBuffer, toDisplay, type BinaryPath } from "../internal/binaryPath.js";
import type { BackupErrorKind, BackupFileError } from "./options.js";

const KEEP = 10_000;

export class ErrorLog {
  count = 0;
  readonly kept: BackupFileError[] = [];

  add(path: BinaryPath, kind: BackupErrorKind, message: string): void {
    this.count++;
    if (this.kept.length < KEEP) this.kept.push({ path: toDisplay(path), pathBytes: new Uint8Array(toBuffer(path)), kind, message });
  }

  /** The snapshot's `errors` list: paths within the format's limit, messages trimmed to 1024 bytes. */
  forSnapshot(): SnapshotError[] {
    const out: SnapshotError[] = [];
    for (const e of this.kept) {
      if (out.length >= LIMITS.maxErrorEntries) break;
      if (e.pathBytes.length > LIMITS.maxPathBytes) continue;
      let message = `${e.kind}: ${e.message}`;
      while (Buffer.byteLength(message) > LIMITS.maxErrorMessageBytes) message = message.slice(0, -16);
      out.push({ path: e.pathBytes, message });
    }
    return out;
  }
}
