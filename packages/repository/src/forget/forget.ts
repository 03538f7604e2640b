// `forget`: apply a retention policy and delete the snapshot objects it does not keep. Data is
// not touched; `prune` reclaims what no remaining snapshot references. Deleting a snapshot
// needs no lock: a concurrent backup only adds snapshots, and a concurrent prune that listed
// the snapshot before it vanished merely keeps its data one round longer.
import type { Snapshot, SnapshotId } from "@cairn/manifest";
import { applyRetentionPolicy, type GroupDecision, type PolicyOptions, type RetentionPolicy } from "./policy.js";

export interface ForgetOptions extends PolicyOptions {
  /** Decide only; delete nothing. */
  readonly dryRun?: boolean;
}

export interface ForgetResult {
  readonly groups: readonly GroupDecision[];
  /** Snapshots deleted (empty on a dry run). */
  readonly removed: readonly SnapshotId[];
}

/** The narrow view of a repository that forget needs. */
export interface ForgetTarget {
  listSnapshots(): Promise<{ id: SnapshotId; snapshot: Snapshot }[]>;
  deleteSnapshot(id: SnapshotId): Promise<void>;
}

/** @throws {RangeError} for a policy without rules (see `applyRetentionPolicy`). */
export async function forgetSnapshots(target: ForgetTarget, policy: RetentionPolicy, options: ForgetOptions = {}): Promise<ForgetResult> {
  const groups = applyRetentionPolicy(await target.listSnapshots(), policy, options);
  const removed: SnapshotId[] = [];
  if (!options.dryRun) {
    for (const g of groups) {
      for (const d of g.remove) {
        await target.deleteSnapshot(d.id);
        removed.push(d.id);
      }
    }
  }
  return { groups, removed };
}
