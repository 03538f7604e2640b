// Agent runtime policy: polling/heartbeat intervals per activation mode (returned to agents in
// `system_preferences.events`), the effective mode, and `online` derived from heartbeats.
// [our choice] values (docs/api.md): an agent is online when its last heartbeat is no older
// than `heartbeat.timeout_ms` of its current mode.
import type { ActivationMode, AgentRecord } from "../store/model.js";

type PerMode = Record<ActivationMode, number>;

export const POLLING_INTERVAL_MS: PerMode = { idle: 10_000, active: 1_000, real_time: 300 };
/** How long an agent's long-poll (`wait`) should be in each mode. */
export const POLLING_TIMEOUT_MS: PerMode = { idle: 60_000, active: 30_000, real_time: 10_000 };
export const HEARTBEAT_INTERVAL_MS: PerMode = { idle: 60_000, active: 10_000, real_time: 2_000 };
export const HEARTBEAT_TIMEOUT_MS: PerMode = { idle: 180_000, active: 30_000, real_time: 6_000 };
/** The shortest heartbeat timeout of any mode: a heartbeat this recent means online in every mode. */
export const MIN_HEARTBEAT_TIMEOUT_MS = Math.min(...Object.values(HEARTBEAT_TIMEOUT_MS));

/** The agent's mode now (an activation lapses back to idle). */
export function effectiveMode(agent: AgentRecord, now: number): ActivationMode {
  return agent.modeUntil !== null && now > agent.modeUntil ? "idle" : agent.mode;
}

/** True when the agent sent a heartbeat recently enough for its mode. */
export function isOnline(agent: AgentRecord, now: number): boolean {
  return agent.lastHeartbeatAt !== null && now - agent.lastHeartbeatAt <= HEARTBEAT_TIMEOUT_MS[effectiveMode(agent, now)];
}
