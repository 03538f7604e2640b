// Wire form of agents and vaults (spec §2.1, §2.2). Never includes the password (except in
// the registration response) nor the fingerprint (write-only).
import { isoTime } from "../clock.js";
import type { Hrefs } from "../http/links.js";
import type { AgentRecord, Vault } from "../store/model.js";

/** A vault's container links ([our choice]: placeholder URLs under `/storage/` until the storage service lands). */
export function vaultLinks(hrefs: Hrefs, vault: Vault, withDataServices = false): { href: string; rel: string }[] {
  const container = `${hrefs.root}/storage/${encodeURIComponent(hrefs.projectId)}/${encodeURIComponent(vault.name)}`;
  const links = [
    { href: container, rel: "publicURL" },
    { href: container, rel: "internalURL" },
  ];
  if (withDataServices) links.push({ href: `${hrefs.root}/storage/${encodeURIComponent(hrefs.projectId)}`, rel: "data_services" });
  return links;
}

/** The vault as embedded in an agent. */
export function vaultView(hrefs: Hrefs, vault: Vault | null): Record<string, unknown> | null {
  if (vault === null) return null;
  return { ...vault, links: vaultLinks(hrefs, vault) };
}

/** The agent resource. */
export function agentView(hrefs: Hrefs, agent: AgentRecord): Record<string, unknown> {
  const d = agent.doc;
  const id = agent.id;
  return {
    project_id: agent.projectId,
    id,
    name: d.name,
    version: d.version,
    host: {
      flavor: d.host.flavor,
      region: d.host.region,
      machine: { id: d.host.machine.id, links: [] },
      os: d.host.os,
      addresses: d.host.addresses,
    },
    enabled: d.enabled,
    rsa_public_key: d.rsa_public_key,
    vault: vaultView(hrefs, d.vault),
    log_level: d.log_level,
    registered_time: isoTime(agent.registeredAt).replace(/Z$/, "+00:00"),
    links: [
      hrefs.link("self", "agents", id),
      hrefs.link("activities", "agents", id, "activities"),
      hrefs.link("configuration", "agents", id, "configuration"),
      hrefs.link("configurations", "agents", id, "configurations"),
      hrefs.link("events", "agents", id, "events"),
      hrefs.link("logfiles", "agents", id, "logfiles"),
      hrefs.link("status", "agents", id, "status"),
    ],
  };
}
