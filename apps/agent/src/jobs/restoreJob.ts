// One restore (spec §2.7, §4.4): find the backup's snapshot in the source vault — always read
// through the restore's own vault route, which works for this agent's vault and, read-only, for
// another agent's (the server allows it only while this restore runs) — then let @cairn/engine
// restore the selection to `destination_path` (null: the original locations), overwriting
// existing files only with `overwrite_files`.
import { RestoreIncompleteErrorName, type RestoreSpec } from "./restoreSpec.js";
import { decryptVaultPassword } from "../identity/passwordDecrypt.js";
import { SnapshotNotFoundError, VaultPasswordError, VaultRepositories, type OpenedGeneration } from "../vault/vaultRepository.js";
import type { JobContext } from "./jobContext.js";
import { diagnosticsOf, JobReporter, type ErrorListItem } from "./jobReporter.js";
import { StopRequested } from "./backupJob.js";

/** Runs one restore to the end. Never throws: every failure is reported. */
export async function runRestore(ctx: JobContext, spec: RestoreSpec, signal: AbortSignal): Promise<void> {
  const reporter = new JobReporter(ctx, "restore", spec.restoreId);
  const startedMs = ctx.clock.now();
  let opened: OpenedGeneration | undefined;
  try {
    await reporter.state("preparing");
    const engine = await ctx.engine();
    const password = spec.encryptedPasswordHex === null ? null : decryptVaultPassword(ctx.privateKey, spec.encryptedPasswordHex, "implicit");
    const vaults = new VaultRepositories(ctx.vault({ kind: "restore", restoreId: spec.restoreId }), spec.vaultId ?? "unknown", { readOnly: true });
    const found = await vaults.findBackup(spec.backupId, spec.snapshotNumber, password);
    opened = found.opened;
    signal.throwIfAborted();
    await reporter.state("in_progress", { started_time: new Date(startedMs).toISOString() });
    const target = spec.destinationPath ?? "/";
    const result = await engine.restore(opened.repo, found.snapshotId, {
      target,
      ...(spec.inclusions.length > 0 ? { include: spec.inclusions.map((r) => r.path) } : {}),
      ...(spec.exclusions.length > 0 ? { exclude: spec.exclusions.map((r) => r.path) } : {}),
      overwrite: spec.overwriteFiles ? "always" : "never",
      signal,
      onProgress: (p) => reporter.progress(p.bytesDone, p.bytesTotal),
    });
    await reporter.finish("completed", { started_time: new Date(startedMs).toISOString(), files_restored: result.filesWritten, bytes_restored: result.bytesWritten });
  } catch (error) {
    const fields = { started_time: new Date(startedMs).toISOString() };
    if (signal.aborted && signal.reason instanceof StopRequested) {
      await reporter.finish("stopped", fields);
      return;
    }
    const incomplete = error as { name?: string; failures?: { path: string; message: string }[]; result?: { filesWritten: number; bytesWritten: number } };
    if (incomplete?.name === RestoreIncompleteErrorName && Array.isArray(incomplete.failures)) {
      const list: ErrorListItem[] = incomplete.failures.map((f) => ({ path: f.path, type: "phx_exception", exception: { code: 4010, description: "restore failed for this entry", details: f.message } }));
      await reporter.finish("completed_with_errors", { ...fields, files_restored: incomplete.result?.filesWritten ?? 0, bytes_restored: incomplete.result?.bytesWritten ?? 0 }, { reason: "unable_to_process_some_files", diagnostics: null, list });
      return;
    }
    ctx.log.warn("restore failed", { id: spec.restoreId, error: diagnosticsOf(error) });
    const reason = error instanceof VaultPasswordError ? "vault_password" : error instanceof SnapshotNotFoundError ? "snapshot_not_found" : signal.aborted ? "agent_shutdown" : "restore_failed";
    await reporter.finish("failed", fields, { reason, diagnostics: diagnosticsOf(error), list: [] });
  } finally {
    await opened?.repo.close().catch(() => undefined);
  }
}
