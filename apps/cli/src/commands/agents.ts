// `cairn agents` / `cairn agents show AGENT`: the agents registered in the project (the servers
// being backed up), whether they are online or busy, their vault and configurations. Agents
// register themselves (`cairn-agent --server URL --data-dir DIR`); nothing here creates one.
// `cairn agents encrypt` turns on (or changes) the encryption of an agent's vault with a password
// only the user knows: it travels encrypted to the agent's RSA key, the agent re-wraps the vault
// key with it, and the server never sees it (ARCHITECTURE decision 9).
import { waitForResult, type Agent, type AgentStatus, type CairnClient } from "@cairn/api-client";
import type { Command } from "commander";
import { resolveAgent, resolveAgentOrOnly } from "../api/resolve.js";
import { encryptForAgent, readVaultPassword } from "../api/vaultPassword.js";
import { CliError, usageError } from "../cli/cliError.js";
import { EXIT_FAILURE, EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { readPasswordFile } from "../repo/password.js";
import { formatTable } from "../format/table.js";
import { escapeText } from "../format/text.js";
import { localFromIso } from "../format/time.js";

function statusText(s: AgentStatus, enabled: boolean): string {
  return `${s.online ? "online" : "offline"}${s.busy ? ", busy" : ""}${enabled ? "" : ", disabled"}`;
}

async function withStatus(client: CairnClient, agents: readonly Agent[]): Promise<{ agent: Agent; status: AgentStatus }[]> {
  return Promise.all(agents.map(async (agent) => ({ agent, status: await client.agents.status(agent.id) })));
}

export function registerAgents(program: Command, env: CommandEnv): void {
  const agents = program
    .command("agents")
    .description("list the agents of the project (Cairn server API), or show one")
    .addHelpText("after", "\nExamples:\n  cairn agents --server http://127.0.0.1:8080\n  cairn agents show web1\n\nConnection: --server URL (or CAIRN_SERVER), CAIRN_USER with CAIRN_PASSWORD or CAIRN_API_KEY.");

  agents
    .command("list", { isDefault: true })
    .description("list the agents (the default)")
    .action(
      runAction(env, async (session) => {
        const { client } = await session.api();
        const list = await withStatus(client, await client.agents.list());
        session.out.emit(list.map(({ agent, status }) => ({ ...agent, status })));
        if (list.length === 0) {
          session.out.message("no agents yet: start one with CAIRN_USER=… CAIRN_PASSWORD=… cairn-agent --server URL --data-dir DIR");
          return;
        }
        const rows = list.map(({ agent, status }) => [agent.id, escapeText(agent.name), statusText(status, agent.enabled), escapeText(agent.version), agent.vault === null ? "none" : agent.vault.encrypted ? "encrypted" : "not encrypted", localFromIso(agent.registered_time)]);
        for (const line of formatTable([["ID", "Name", "Status", "Version", "Vault", "Registered"], ...rows])) session.out.print(line);
      }),
    );

  agents
    .command("show")
    .description("show one agent: status, host, vault, configurations")
    .argument("<agent>", "agent id, id prefix or name")
    .action(
      runAction(env, async (session, args) => {
        const { client } = await session.api();
        const agent = await resolveAgent(client, args[0] as string);
        const [status, configurations] = await Promise.all([client.agents.status(agent.id), client.agents.configurations(agent.id)]);
        session.out.emit({ ...agent, status, configurations });
        const host = agent.host;
        const lines: [string, string][] = [
          ["agent", agent.id],
          ["name", escapeText(agent.name)],
          ["status", statusText(status, agent.enabled)],
          ["version", escapeText(agent.version)],
          ["host", `${escapeText(host.os.name)} ${escapeText(host.os.version)} ${escapeText(host.os.architecture)}${host.addresses.length > 0 ? `, ${host.addresses.map((a) => escapeText(a.addr)).join(" ")}` : ""}`],
          ["vault", agent.vault === null ? "none" : `${agent.vault.id} (${agent.vault.encrypted ? "encrypted" : "not encrypted"})`],
          ["log level", agent.log_level],
          ["registered", localFromIso(agent.registered_time)],
        ];
        if (configurations.length === 0) lines.push(["configs", "none (create one with `cairn configs create --agent …`)"]);
        for (const c of configurations) lines.push(["config", `${escapeText(c.name)} (${c.id})${c.enabled ? "" : ", disabled"}${c.backups.next ? `, next run ${localFromIso(c.backups.next.scheduled_time)}` : ""}`]);
        for (const line of formatTable(lines)) session.out.print(line);
      }),
    );

  agents
    .command("encrypt")
    .description("encrypt an agent's vault with a password only you know, or change that password")
    .argument("[agent]", "agent id, id prefix or name (default: the only agent)")
    .option("--vault-password-file <file>", "the new vault password (default: $CAIRN_VAULT_PASSWORD)")
    .option("--old-vault-password-file <file>", "the current password, to change it (the vault is already encrypted)")
    .option("--timeout <seconds>", "how long to wait for the agent's answer", (v) => Number(v), 120)
    .addHelpText(
      "after",
      "\nThe password is sent encrypted to the agent's RSA key; the server never sees it. Keep it safe:\nrestores and browsing of this vault need it, and nobody can recover it.\n\nExamples:\n  CAIRN_VAULT_PASSWORD=… cairn agents encrypt web1\n  cairn agents encrypt web1 --old-vault-password-file old.txt --vault-password-file new.txt",
    )
    .action(
      runAction(env, async (session, args, opts) => {
        const password = await readVaultPassword(opts.vaultPasswordFile as string | undefined, session.env);
        if (password === undefined) throw usageError("no vault password given", "pass --vault-password-file FILE or set CAIRN_VAULT_PASSWORD");
        const old = opts.oldVaultPasswordFile === undefined ? undefined : await readPasswordFile(opts.oldVaultPasswordFile as string, "--old-vault-password-file");
        const { client } = await session.api();
        const agent = await resolveAgentOrOnly(client, args[0] as string | undefined, "the AGENT argument");
        const encrypted = agent.vault?.encrypted === true;
        if (encrypted && old === undefined) throw usageError(`the vault of agent ${escapeText(agent.name)} is already encrypted`, "to change its password, also pass --old-vault-password-file FILE");
        if (!encrypted && old !== undefined) throw usageError(`the vault of agent ${escapeText(agent.name)} is not encrypted yet`, "leave out --old-vault-password-file to enable encryption");
        const request = await client.agentRequests.requestEncryption(agent.id, {
          old_encrypted_password_hex: old === undefined ? null : encryptForAgent(agent, old.value),
          new_encrypted_password_hex: encryptForAgent(agent, password.value),
        });
        const verb = encrypted ? "change of the vault password" : "vault encryption";
        session.out.note(`${verb} requested on agent ${escapeText(agent.name)}; waiting for it`);
        const timeoutMs = Math.max(1, opts.timeout as number) * 1000;
        let result;
        try {
          result = await waitForResult(() => client.agentRequests.encryptionResult(agent.id, request.id, { signal: session.signal }), { timeoutMs, signal: session.signal });
        } catch (error) {
          if (session.signal.aborted) throw error;
          throw new CliError(`agent ${escapeText(agent.name)} did not answer within ${opts.timeout as number} s`, { code: "timeout", hint: "is it online (`cairn agents`)? The request stays queued for it", cause: error });
        }
        session.out.emit({ agent: agent.id, request: request.id, event: result.event, succeeded: result.succeeded });
        if (!result.succeeded) {
          session.out.warn(encrypted ? "the agent refused: the old password is not the vault's password" : "the agent could not encrypt the vault (see its log)");
          return EXIT_FAILURE;
        }
        session.out.print(encrypted ? `vault password of agent ${escapeText(agent.name)} changed` : `vault of agent ${escapeText(agent.name)} is now encrypted`);
        session.out.message("restores of its backups now need the password: --vault-password-file FILE or CAIRN_VAULT_PASSWORD");
        return EXIT_OK;
      }),
    );
}
