// The agent's own settings document (spec §2.3, GET /agents/{id}/configuration): polling and
// heartbeat policy, its vault, and its live configurations with the next run `times`.
import { isoTime } from "../clock.js";
import type { Hrefs } from "../http/links.js";
import { effectiveMode, HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, POLLING_INTERVAL_MS, POLLING_TIMEOUT_MS } from "../services/agentPolicy.js";
import { AGENT_VIEW_TIMES, upcomingRuns } from "../services/schedules.js";
import type { AgentRecord, ConfigurationRecord } from "../store/model.js";
import { vaultLinks } from "./agentView.js";

/** Builds the agent configuration document. */
export function agentConfigurationView(hrefs: Hrefs, agent: AgentRecord, configurations: readonly ConfigurationRecord[], now: number): Record<string, unknown> {
  const vault = agent.doc.vault;
  return {
    system_preferences: {
      environment: { minimum_disk_space_mb: { backup: 100, restore: 100, cleanup: 100 } },
      logging: { level: agent.doc.log_level },
      events: {
        // [our choice] the "RSE" channel is this API's own agent feed (long-poll with ?wait=).
        rse: {
          host: hrefs.root,
          channel: new URL(hrefs.project("agents", agent.id, "events")).pathname,
          polling: { interval_ms: POLLING_INTERVAL_MS, timeout_ms: POLLING_TIMEOUT_MS },
          heartbeat: { interval_ms: HEARTBEAT_INTERVAL_MS, timeout_ms: HEARTBEAT_TIMEOUT_MS },
        },
        mode: effectiveMode(agent, now),
      },
      backup_controls: { disable_vss: 0 },
    },
    vaults: vault === null ? [] : [{ id: vault.id, use_internal: vault.use_internal, encrypted: vault.encrypted, links: vaultLinks(hrefs, vault, true) }],
    configurations: configurations.map((c) => {
      const times = upcomingRuns(c, now, AGENT_VIEW_TIMES);
      return {
        id: c.id,
        name: c.doc.name,
        enabled: c.doc.enabled,
        vault_id: vault?.id ?? null,
        retention: c.doc.retention,
        times: c.doc.schedule === null ? null : times.map(isoTime),
        inclusions: c.doc.inclusions,
        exclusions: c.doc.exclusions,
      };
    }),
  };
}
