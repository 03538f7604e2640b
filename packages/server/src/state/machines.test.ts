import { describe, expect, it } from "vitest";
import { checkTransition, isRestorable, isTerminal, patchableStates } from "./machines.js";

describe("job state machines", () => {
  it("lets a backup move forward and end", () => {
    expect(checkTransition("backup", "start_requested", "queued")).toEqual({ ok: true });
    expect(checkTransition("backup", "queued", "in_progress")).toEqual({ ok: true });
    expect(checkTransition("backup", "in_progress", "completed_with_errors")).toEqual({ ok: true });
    expect(checkTransition("backup", "in_progress", "stop_requested")).toEqual({ ok: true });
    expect(checkTransition("backup", "stop_requested", "stopped")).toEqual({ ok: true });
    expect(checkTransition("backup", "start_scheduled", "skipped")).toEqual({ ok: true });
  });

  it("refuses any change to a terminal job with 409", () => {
    for (const state of ["completed", "completed_with_errors", "failed", "stopped", "skipped", "missed"] as const) {
      expect(isTerminal(state)).toBe(true);
      expect(checkTransition("backup", state, "stop_requested")).toMatchObject({ ok: false, status: 409 });
    }
  });

  it("refuses going backwards and leaving stop_requested for a non-final state", () => {
    expect(checkTransition("backup", "in_progress", "queued")).toMatchObject({ ok: false, status: 409 });
    expect(checkTransition("restore", "stop_requested", "in_progress")).toMatchObject({ ok: false, status: 409 });
    expect(checkTransition("backup", "in_progress", "skipped")).toMatchObject({ ok: false, status: 409 });
  });

  it("knows which states each kind has", () => {
    expect(checkTransition("cleanup", "queued", "preparing")).toMatchObject({ ok: false, status: 400 });
    expect(checkTransition("restore", "queued", "skipped")).toMatchObject({ ok: false, status: 400 });
    expect(checkTransition("backup", "queued", "start_requested")).toMatchObject({ ok: false, status: 400 });
    expect(patchableStates("restore")).not.toContain("skipped");
    expect(isRestorable("completed")).toBe(true);
    expect(isRestorable("failed")).toBe(false);
  });
});
