// Naming agents and configurations on the command line: the full id, a unique prefix of it (as
// the tables print them), or the exact name when only one has it. Both lists are small and
// unpaged in the API, so resolving reads the list once. Backups, restores and cleanups are named
// by their full id (their lists are paged and can be long).
import type { Agent, CairnClient, ConfigurationSummary } from "@cairn/api-client";
import { CliError, usageError } from "../cli/cliError.js";
import { escapeText } from "../format/text.js";

interface Named {
  readonly id: string;
  readonly name: string;
}

function pick<T extends Named>(items: readonly T[], ref: string, what: string, list: string): T {
  const exact = items.find((i) => i.id === ref);
  if (exact) return exact;
  const byName = items.filter((i) => i.name === ref);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw new CliError(`${byName.length} ${what}s are named ${escapeText(ref)}`, { code: "ambiguous", hint: `use the id instead (${list} shows them)` });
  const byPrefix = ref.length >= 4 ? items.filter((i) => i.id.startsWith(ref.toLowerCase())) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw new CliError(`${escapeText(ref)} is the start of ${byPrefix.length} ${what} ids`, { code: "ambiguous", hint: "give more characters of the id" });
  throw new CliError(`no ${what} ${escapeText(ref)}`, { code: "not-found", hint: `${list} shows the ${what}s (by id, id prefix or name)` });
}

/**
 * An agent by id, id prefix or name.
 * @throws {CliError} if none or several match.
 */
export async function resolveAgent(client: CairnClient, ref: string): Promise<Agent> {
  return pick(await client.agents.list(), ref, "agent", "`cairn agents`");
}

/**
 * `ref`'s agent, or the project's only agent when `ref` is not given.
 * @throws {CliError} if none matches, or `ref` is missing and the project has no or several agents.
 */
export async function resolveAgentOrOnly(client: CairnClient, ref: string | undefined, option = "--agent"): Promise<Agent> {
  if (ref !== undefined) return resolveAgent(client, ref);
  const agents = await client.agents.list();
  if (agents.length === 1) return agents[0]!;
  if (agents.length === 0) {
    throw new CliError("no agent is registered with this server yet", { code: "no-agent", hint: "start one: CAIRN_USER=… CAIRN_PASSWORD=… cairn-agent --server URL --data-dir DIR" });
  }
  throw usageError(`the project has ${agents.length} agents: say which with ${option} (${agents.map((a) => escapeText(a.name)).join(", ")})`);
}

/**
 * A configuration by id, id prefix or name.
 * @throws {CliError} if none or several match.
 */
export async function resolveConfiguration(client: CairnClient, ref: string): Promise<ConfigurationSummary> {
  return pick(await client.configurations.list(), ref, "configuration", "`cairn configs`");
}
