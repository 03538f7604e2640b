// One backup: open the newest generation of the agent's own vault, run @cairn/engine's backup
// over the configuration's inclusions and exclusions, report queued → preparing → in_progress
// → completed | completed_with_errors | failed | stopped with the counters of spec §2.5 and the
// per-file error list. A stop request aborts the engine: what it stored stays indexed, no
// snapshot is written, and the backup ends `stopped`.
import { hostname } from "node:os";
import type { AgentConfiguration } from "@cairn/api-client";
import { BACKUP_TAG, SNAPSHOT_NUMBER_TAG, VaultRepositories, VaultPasswordError, type OpenedGeneration } from "../vault/vaultRepository.js";
import type { EngineBackupFileError, EngineBackupProgress } from "../engine.js";
import { storedVaultPassword, type JobContext } from "./jobContext.js";
import { diagnosticsOf, JobReporter, type ErrorListItem } from "./jobReporter.js";

type ConfigurationEntry = AgentConfiguration["configurations"][number];

const ERROR_TYPES: Record<EngineBackupFileError["kind"], { type: string; code: number }> = {
  missing: { type: "file_or_folder_missing", code: 3015 },
  unreadable: { type: "phx_exception", code: 3010 },
  changed: { type: "file_missing_blocks", code: 3020 },
  unsupported: { type: "phx_exception", code: 3030 },
};

export interface BackupRequest {
  readonly backupId: string;
  readonly configuration: ConfigurationEntry;
  readonly vault: { readonly id: string; readonly encrypted: boolean };
}

/** Runs one backup to the end, reporting as it goes. Never throws: every failure is reported. */
export async function runBackup(ctx: JobContext, request: BackupRequest, signal: AbortSignal): Promise<void> {
  const reporter = new JobReporter(ctx, "backup", request.backupId);
  const startedMs = ctx.clock.now();
  let opened: OpenedGeneration | undefined;
  try {
    await reporter.state("preparing");
    const engine = await ctx.engine();
    const vaults = new VaultRepositories(ctx.vault({ kind: "own", agentId: ctx.session.agentId }), request.vault.id, { ...(ctx.kdf ? { kdf: ctx.kdf } : {}) });
    // The stored password, whatever the (possibly stale) flag says: it is there once encryption was enabled here.
    const password = await storedVaultPassword(ctx, request.vault.id);
    opened = await vaults.openForBackup(request.vault.encrypted || password !== null, password);
    if (password !== null && !opened.encrypted) {
      throw new VaultPasswordError("the vault is marked encrypted but its newest generation is not; enable encryption again");
    }
    const number = await VaultRepositories.nextSnapshotNumber(opened.repo, opened.generation);
    signal.throwIfAborted();
    await reporter.state("in_progress", { started_time: new Date(startedMs).toISOString() });
    let last: EngineBackupProgress | undefined;
    const result = await engine.backup(opened.repo, {
      selection: { inclusions: request.configuration.inclusions, exclusions: request.configuration.exclusions },
      host: hostname(),
      tags: [`${BACKUP_TAG}${request.backupId}`, `${SNAPSHOT_NUMBER_TAG}${number}`].sort(),
      agentId: ctx.session.agentId,
      configurationId: request.configuration.id,
      programVersion: `cairn-agent ${ctx.version}`,
      time: new Date(startedMs),
      signal,
      ...(ctx.workers === undefined ? {} : { workers: ctx.workers }),
      onProgress: (p) => {
        last = p;
        reporter.progress(p.bytesDone, p.bytesTotal);
      },
    });
    const stats = result.snapshot.stats as unknown as Record<string, number | bigint | undefined>;
    const num = (v: number | bigint | undefined): number => (typeof v === "bigint" ? Number(v) : (v ?? 0));
    const bytesStored = last?.bytesStored ?? 0;
    const seconds = Math.max((ctx.clock.now() - startedMs) / 1000, 0.001);
    const fields = {
      started_time: new Date(startedMs).toISOString(),
      snapshot_id: number,
      files_searched: last?.filesTotal ?? num(stats.files),
      files_backed_up: (last?.filesNew ?? 0) + (last?.filesChanged ?? 0),
      bytes_searched: last?.bytesTotal ?? 0,
      bytes_backed_up: last?.bytesAdded ?? 0,
      bytes_in_db: bytesStored,
      bandwidth_avg_bps: Math.round(bytesStored / seconds),
    };
    reporter.progress(fields.bytes_searched, fields.bytes_searched, true);
    if (result.errors.length === 0 && result.snapshot.errorCount === 0) {
      await reporter.finish("completed", fields);
    } else {
      const list: ErrorListItem[] = result.errors.map((e) => ({ path: e.path, type: ERROR_TYPES[e.kind].type, exception: { code: ERROR_TYPES[e.kind].code, description: e.kind, details: e.message } }));
      await reporter.finish("completed_with_errors", fields, { reason: "unable_to_process_some_files", diagnostics: result.warnings.join("\n") || null, list, count: Math.max(result.snapshot.errorCount, list.length) });
    }
  } catch (error) {
    const fields = { started_time: new Date(startedMs).toISOString() };
    if (signal.aborted && signal.reason instanceof StopRequested) {
      await reporter.finish("stopped", fields);
    } else {
      ctx.log.warn("backup failed", { id: request.backupId, error: diagnosticsOf(error) });
      const reason = signal.aborted ? "agent_shutdown" : error instanceof VaultPasswordError ? "vault_password" : "backup_failed";
      await reporter.finish("failed", fields, { reason, diagnostics: signal.aborted ? `the agent shut down during the backup (${String(signal.reason)})` : diagnosticsOf(error), list: [] });
    }
  } finally {
    await opened?.repo.close().catch((error: unknown) => ctx.log.warn("closing the repository failed", { error: diagnosticsOf(error) }));
  }
}

/** The abort reason of a user's stop request (anything else aborting a job is a shutdown). */
export class StopRequested extends Error {
  override readonly name = "StopRequested";
  constructor() {
    super("stop requested");
  }
}
