// State machines of backups, restores and cleanups (spec §4.3–4.5).
//
//   start_requested | start_scheduled → queued → preparing → in_progress → terminal
//   (any non-terminal) → stop_requested → stopped (or the agent's own final state)
//
// Forward jumps are allowed (an agent may report `in_progress` without `queued`), backward
// moves are not; any change to a terminal job is a 409. `skipped`/`missed` exist for backups
// only, `preparing` for backups and restores only.

/** The three job kinds; they are also the activity `type`s. */
export type ActivityKind = "backup" | "restore" | "cleanup";

export type JobState =
  | "start_requested"
  | "start_scheduled"
  | "queued"
  | "preparing"
  | "in_progress"
  | "stop_requested"
  | "completed"
  | "completed_with_errors"
  | "failed"
  | "stopped"
  | "skipped"
  | "missed";

/** Every job state, in progress order (activity `state` filters accept exactly these). */
export const JOB_STATES: readonly JobState[] = [
  "start_requested",
  "start_scheduled",
  "queued",
  "preparing",
  "in_progress",
  "stop_requested",
  "completed",
  "completed_with_errors",
  "failed",
  "stopped",
  "skipped",
  "missed",
];

const TERMINAL: ReadonlySet<JobState> = new Set(["completed", "completed_with_errors", "failed", "stopped", "skipped", "missed"]);

/** Progress order of the non-terminal states. */
const RANK: Partial<Record<JobState, number>> = { start_requested: 0, start_scheduled: 0, queued: 1, preparing: 2, in_progress: 3, stop_requested: 4 };

const STATES: Record<ActivityKind, ReadonlySet<JobState>> = {
  backup: new Set<JobState>(["start_requested", "start_scheduled", "queued", "preparing", "in_progress", "stop_requested", "completed", "completed_with_errors", "failed", "stopped", "skipped", "missed"]),
  restore: new Set<JobState>(["start_requested", "queued", "preparing", "in_progress", "stop_requested", "completed", "completed_with_errors", "failed", "stopped"]),
  cleanup: new Set<JobState>(["start_requested", "start_scheduled", "queued", "in_progress", "stop_requested", "completed", "completed_with_errors", "failed", "stopped"]),
};

/** States a client may PATCH into (the start states are set only by POST). */
export function patchableStates(kind: ActivityKind): JobState[] {
  return [...STATES[kind]].filter((s) => s !== "start_requested" && s !== "start_scheduled" && !(kind === "backup" && s === "missed"));
}

/** True for completed, completed_with_errors, failed, stopped, skipped and missed. */
export const isTerminal = (state: JobState): boolean => TERMINAL.has(state);

/** True when a backup in `state` has a usable snapshot (§4.3). */
export const isRestorable = (state: JobState): boolean => state === "completed" || state === "completed_with_errors";

/** Outcome of a transition check: ok, or the reason with its HTTP status. */
export type TransitionCheck = { ok: true } | { ok: false; status: 400 | 409; message: string };

/**
 * Checks `from → to` for a job of `kind`.
 * 409 when `from` is terminal or the move goes backwards; 400 when `to` is not a state of this kind.
 */
export function checkTransition(kind: ActivityKind, from: JobState, to: JobState): TransitionCheck {
  if (isTerminal(from)) return { ok: false, status: 409, message: `The ${kind} is already in a terminal state (${from}) and cannot be modified.` };
  if (!STATES[kind].has(to) || to === "start_requested" || to === "start_scheduled") {
    return { ok: false, status: 400, message: `"${to}" is not a state a ${kind} can be set to; expected one of: ${patchableStates(kind).join(", ")}.` };
  }
  if (to === from) return { ok: true };
  if (isTerminal(to)) {
    if ((to === "skipped" || to === "missed") && (RANK[from] ?? 0) > RANK.queued!) {
      return { ok: false, status: 409, message: `A ${kind} that has started cannot become ${to}.` };
    }
    return { ok: true };
  }
  if (from === "stop_requested") return { ok: false, status: 409, message: `A stop was requested for this ${kind}; it can only end (stopped, failed, completed…).` };
  if ((RANK[to] ?? 0) < (RANK[from] ?? 0)) return { ok: false, status: 409, message: `A ${kind} cannot go back from ${from} to ${to}.` };
  return { ok: true };
}
