// One cleanup (spec §2.8, §4.5): in every generation of the agent's own vault, forget the
// snapshots each configuration's `retention.days` no longer keeps (0 = forever; snapshots of
// configurations this agent no longer has are kept), then prune: repack and delete data no
// snapshot references. Reports the removed snapshots' numbers and the vault's pack bytes
// before and after.
import type { AgentConfiguration } from "@cairn/api-client";
import { forgetSnapshots } from "@cairn/repository";
import { snapshotNumber, VaultRepositories, type OpenedGeneration } from "../vault/vaultRepository.js";
import { storedVaultPassword, type JobContext } from "./jobContext.js";
import { diagnosticsOf, JobReporter } from "./jobReporter.js";
import { StopRequested } from "./backupJob.js";

const DAY_MS = 86_400_000;

export interface CleanupRequest {
  readonly cleanupId: string;
  readonly vault: { readonly id: string; readonly encrypted: boolean };
  readonly configurations: AgentConfiguration["configurations"];
}

/** Runs one cleanup to the end. Never throws: every failure is reported. */
export async function runCleanup(ctx: JobContext, request: CleanupRequest, signal: AbortSignal): Promise<void> {
  const reporter = new JobReporter(ctx, "cleanup", request.cleanupId);
  const startedMs = ctx.clock.now();
  const removed: number[] = [];
  let bytesBefore = 0;
  let bytesAfter = 0;
  try {
    await reporter.state("in_progress", { started_time: new Date(startedMs).toISOString() });
    const vaults = new VaultRepositories(ctx.vault({ kind: "own", agentId: ctx.session.agentId }), request.vault.id, { ...(ctx.kdf ? { kdf: ctx.kdf } : {}) });
    const password = await storedVaultPassword(ctx, request.vault.id);
    const retention = new Map(request.configurations.map((c) => [c.id, c.retention.days]));
    const now = ctx.clock.now();
    for (const n of await vaults.generations()) {
      signal.throwIfAborted();
      let g: OpenedGeneration;
      try {
        g = await vaults.open(n, password);
      } catch (error) {
        ctx.log.warn("cleanup: a generation stays locked; skipped", { generation: n, error: diagnosticsOf(error) });
        continue;
      }
      try {
        const all = await g.repo.listSnapshots();
        for (const [configurationId, days] of retention) {
          if (days <= 0) continue;
          const mine = all.filter((s) => s.snapshot.configurationId === configurationId);
          const result = await forgetSnapshots(
            { listSnapshots: async () => mine, deleteSnapshot: (id) => g.repo.deleteSnapshot(id) },
            { retentionDays: days },
            { nowMs: now, groupBy: [] },
          );
          for (const id of result.removed) {
            const hit = mine.find((s) => s.id === id);
            const num = hit === undefined ? null : snapshotNumber(hit.snapshot);
            if (num !== null) removed.push(num);
          }
        }
        signal.throwIfAborted();
        const pruned = await g.repo.prune({ nowMs: now, graceMs: DAY_MS });
        bytesBefore += pruned.bytesBefore;
        bytesAfter += pruned.bytesAfter;
      } finally {
        await g.repo.close().catch(() => undefined);
      }
    }
    await reporter.finish("completed", { started_time: new Date(startedMs).toISOString(), snapshot_ids: removed.sort((a, b) => a - b), bytes_before: bytesBefore, bytes_after: bytesAfter });
  } catch (error) {
    const fields = { started_time: new Date(startedMs).toISOString(), snapshot_ids: removed, bytes_before: bytesBefore, bytes_after: bytesAfter };
    if (signal.aborted && signal.reason instanceof StopRequested) {
      await reporter.finish("stopped", fields);
      return;
    }
    ctx.log.warn("cleanup failed", { id: request.cleanupId, error: diagnosticsOf(error) });
    await reporter.finish("failed", fields, { reason: "cleanup_failed", diagnostics: null, list: [] });
  }
}
