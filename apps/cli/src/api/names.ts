// Agent and configuration names for tables that only carry ids (backups, restores, activity):
// one request per list, whatever the number of rows. Deleted configurations that still have
// restorable backups are named too (`?restorable=true` lists them).
import type { CairnClient } from "@cairn/api-client";
import type { Names } from "../format/jobs.js";
import { escapeText } from "../format/text.js";

export async function loadNames(client: CairnClient): Promise<Names> {
  const [agents, live, restorable] = await Promise.all([client.agents.list(), client.configurations.list(), client.configurations.list({ restorable: true })]);
  const agentNames = new Map(agents.map((a) => [a.id, escapeText(a.name)]));
  const configurationNames = new Map([...restorable, ...live].map((c) => [c.id, escapeText(c.name)]));
  return {
    agent: (id) => agentNames.get(id) ?? id,
    configuration: (id) => configurationNames.get(id) ?? id,
  };
}
