// A plan is checked as a whole before the executor does anything: it may come from JSON that was
// stored, sent or edited, and half-applying a bad plan would be worse than refusing it.
import { PLAN_VERSION, type RestorePlan } from "@cairn/restore-planner";
import { RestoreError } from "../errors.js";
import { planNames } from "./planPaths.js";

/** The names of each path of a checked plan, computed when asked (holding them all costs memory). */
export interface PlanNames {
  readonly removals: (i: number) => Uint8Array[];
  readonly directories: (i: number) => Uint8Array[];
  readonly files: (i: number) => Uint8Array[];
  readonly hardlinks: (i: number) => Uint8Array[];
  readonly linkTargets: (i: number) => Uint8Array[];
  readonly symlinks: (i: number) => Uint8Array[];
  readonly specials: (i: number) => Uint8Array[];
}

const fail = (detail: string): never => {
  throw new RestoreError("bad-plan", `the plan is malformed: ${detail}`);
};

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** Names of every path in `plan`, after checking its structure. @throws {RestoreError} (`bad-plan`). */
export function checkPlan(plan: RestorePlan): PlanNames {
  if (!plan || plan.version !== PLAN_VERSION) fail(`expected version ${PLAN_VERSION}, got ${plan?.version}`);
  plan.files.forEach((f, i) => {
    if (!isCount(f.size)) fail(`files[${i}].size is ${f.size}`);
    let end = 0;
    for (const w of f.writes) {
      if (!isCount(w.offset) || !isCount(w.length) || w.length === 0 || w.offset < end || w.offset + w.length > f.size) fail(`files[${i}] has a write outside the file or out of order`);
      end = w.offset + w.length;
    }
    planNames(f.path);
  });
  const covered = plan.files.map((f) => f.writes.map((w) => w.source !== "pack"));
  for (const [r, range] of plan.fetches.entries()) {
    if (!isCount(range.offset) || !isCount(range.length)) fail(`fetches[${r}] has a bad range`);
    for (const b of range.blobs) {
      if (!isCount(b.offset) || !isCount(b.length) || b.offset < range.offset || b.offset + b.length > range.offset + range.length) fail(`fetches[${r}] lists a blob outside its range`);
      for (const [fi, wi] of b.uses) {
        const write = plan.files[fi]?.writes[wi];
        if (!write || write.blob !== b.id || write.source !== "pack" || covered[fi]![wi]) fail(`fetches[${r}] feeds a write that does not want blob ${b.id}, or one fed twice`);
        covered[fi]![wi] = true;
      }
    }
  }
  covered.forEach((c, fi) => c.every(Boolean) || fail(`files[${fi}] has a write no fetch feeds`));
  // Every path is checked now, so a bad one refuses the whole plan before anything is done.
  for (const list of [plan.removals, plan.directories, plan.hardlinks, plan.symlinks, plan.specials]) for (const e of list) planNames(e.path);
  for (const l of plan.hardlinks) planNames(l.linkTo);
  return {
    removals: (i) => planNames(plan.removals[i]!.path),
    directories: (i) => planNames(plan.directories[i]!.path),
    files: (i) => planNames(plan.files[i]!.path),
    hardlinks: (i) => planNames(plan.hardlinks[i]!.path),
    linkTargets: (i) => planNames(plan.hardlinks[i]!.linkTo),
    symlinks: (i) => planNames(plan.symlinks[i]!.path),
    specials: (i) => planNames(plan.specials[i]!.path),
  };
}
