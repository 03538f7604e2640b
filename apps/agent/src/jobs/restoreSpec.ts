// What a restore needs to know, from its `restore_start_request` event or, when the event was
// re-delivered on startup without the details, from GET /restores/{id} (then without the
// password, which the server never returns).
import type { FeedEvent, Restore } from "@cairn/api-client";

export const RestoreIncompleteErrorName = "RestoreIncompleteError";

export interface RestoreSpec {
  readonly restoreId: string;
  readonly backupId: string;
  readonly snapshotNumber: number | null;
  readonly vaultId: string | null;
  readonly destinationPath: string | null;
  readonly overwriteFiles: boolean;
  readonly inclusions: readonly { type: "file" | "folder"; path: string }[];
  readonly exclusions: readonly { type: "file" | "folder"; path: string }[];
  readonly encryptedPasswordHex: string | null;
}

interface StartDoc {
  restore?: { id?: string; destination_path?: string | null; overwrite_files?: boolean; inclusions?: RestoreSpec["inclusions"]; exclusions?: RestoreSpec["exclusions"]; encrypted_password_hex?: string | null };
  backup?: { id?: string; snapshot_id?: number | null };
  source_agent?: { vault?: { id?: string | null } };
}

/** The spec in a full `restore_start_request`, or undefined if the event lacks the details. */
export function specFromEvent(event: FeedEvent): RestoreSpec | undefined {
  const d = event as unknown as StartDoc;
  const r = d.restore;
  if (r?.id === undefined || d.backup?.id === undefined || r.overwrite_files === undefined) return undefined;
  return {
    restoreId: r.id,
    backupId: d.backup.id,
    snapshotNumber: typeof d.backup.snapshot_id === "number" ? d.backup.snapshot_id : null,
    vaultId: d.source_agent?.vault?.id ?? null,
    destinationPath: r.destination_path ?? null,
    overwriteFiles: r.overwrite_files,
    inclusions: r.inclusions ?? [],
    exclusions: r.exclusions ?? [],
    encryptedPasswordHex: r.encrypted_password_hex ?? null,
  };
}

/** The spec from the restore resource (no password: the server never returns it). */
export function specFromResource(restore: Restore): RestoreSpec {
  return {
    restoreId: restore.id,
    backupId: restore.backup.id,
    snapshotNumber: null,
    vaultId: null,
    destinationPath: restore.destination_path,
    overwriteFiles: restore.overwrite_files,
    inclusions: restore.inclusions ?? [],
    exclusions: restore.exclusions ?? [],
    encryptedPasswordHex: null,
  };
}
