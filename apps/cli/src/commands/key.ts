// `cairn key add|list|remove|passwd`: manage the key slots (passwords) of a repository. The
// master keys never change, so none of these re-encrypts any data: each writes or deletes one
// small key object. The slot the current password opened is marked and cannot be removed
// (unlock with another password to remove it), and the last slot can never be removed.
import { KeySlotCorruptError, type KdfChoice, type KeySlotInfo } from "@cairn/repository";
import type { Command } from "commander";
import { CliError } from "../cli/cliError.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import type { Session } from "../cli/session.js";
import { formatTable } from "../format/table.js";
import { escapeText } from "../format/text.js";
import { parseKdf } from "../options/kdf.js";
import { readNewPassword } from "../repo/password.js";

function kdfText(slot: KeySlotInfo): string {
  const k = slot.kdf;
  return k.algorithm === "argon2id" ? `argon2id m=${k.memoryKiB}KiB t=${k.iterations} p=${k.parallelism}` : `scrypt N=2^${k.logN} r=${k.r} p=${k.p}`;
}

function slotJson(slot: KeySlotInfo, current: string): Record<string, unknown> {
  const { salt: _salt, ...kdf } = slot.kdf;
  return { id: slot.id, current: slot.id === current, label: slot.label, created: new Date(slot.createdMs).toISOString(), kdf, calibration: slot.calibration };
}

async function newPassword(session: Session, opts: Record<string, unknown>): Promise<string> {
  const pw = await readNewPassword({ env: session.env, streams: session.streams, newPasswordFile: opts.newPasswordFile as string | undefined });
  return pw.value;
}

function slotOptions(opts: Record<string, unknown>): { kdf?: KdfChoice; label?: string } {
  return { ...(opts.kdf ? { kdf: opts.kdf as KdfChoice } : {}), ...(opts.label !== undefined ? { label: opts.label as string } : {}) };
}

export function registerKey(program: Command, env: CommandEnv): void {
  const key = program.command("key").description("manage the passwords (key slots) of a repository");
  key.addHelpText("after", "\nExamples:\n  cairn key list --repo /srv/backup\n  cairn key add --repo /srv/backup --label laptop --new-password-file ./new-pw\n  cairn key remove --repo /srv/backup 3c1f\n  cairn key passwd --repo /srv/backup");

  key
    .command("list")
    .description("list the key slots (* marks the one the current password opened)")
    .action(
      runAction(env, async (session) => {
        const repo = await session.open();
        const current = repo.keySlot.id;
        const slots = await repo.listKeySlots();
        session.out.emit(slots.map((s) => (s instanceof KeySlotCorruptError ? { object: s.object, corrupt: true, message: s.message } : slotJson(s, current))));
        const rows = slots.map((s) =>
          s instanceof KeySlotCorruptError
            ? [" ", (s.object ?? "?").replace(/^keys\//, "").slice(0, 10), "", "", "CORRUPT", s.message]
            : [s.id === current ? "*" : " ", s.id.slice(0, 10), escapeText(s.label), new Date(s.createdMs).toISOString().replace("T", " ").slice(0, 19), kdfText(s), ""],
        );
        for (const line of formatTable([[" ", "ID", "Label", "Created", "KDF", ""], ...rows])) session.out.print(line);
      }),
    );

  key
    .command("add")
    .description("add a password to the repository")
    .option("--new-password-file <file>", "read the new password from FILE (default: ask twice on a terminal)")
    .option("--label <text>", "label shown by `key list` (stored in clear)")
    .option("--kdf <spec>", "password KDF (see `cairn init --help`)", parseKdf)
    .action(
      runAction(env, async (session, _args, opts) => {
        const repo = await session.open();
        const slot = await repo.addKeySlot(await newPassword(session, opts), slotOptions(opts));
        session.out.emit(slotJson(slot, repo.keySlot.id));
        session.out.message(`added key ${slot.id.slice(0, 10)}${slot.label ? ` (${escapeText(slot.label)})` : ""}`);
      }),
    );

  key
    .command("remove")
    .description("remove a key slot (not the one the current password opened, never the last one)")
    .argument("<id>", "key slot ID (a unique prefix, as `key list` shows it)")
    .action(
      runAction(env, async (session, args) => {
        const [prefix] = args as [string];
        const repo = await session.open();
        const slots = await repo.listKeySlots();
        const ids = slots.map((s) => (s instanceof KeySlotCorruptError ? (s.object ?? "").replace(/^keys\//, "") : s.id));
        const hits = ids.filter((id) => id.startsWith(prefix.toLowerCase()));
        if (!/^[0-9a-fA-F]+$/.test(prefix) || hits.length === 0) throw new CliError(`no key slot ${prefix}`, { code: "no-key", hint: "`cairn key list` shows the key slots" });
        if (hits.length > 1) throw new CliError(`key slot ID prefix ${prefix} is ambiguous: ${hits.map((h) => h.slice(0, 10)).join(", ")}`, { code: "ambiguous-key", hint: "give more characters of the ID" });
        const id = hits[0]!;
        if (id === repo.keySlot.id) throw new CliError(`key ${id.slice(0, 10)} is the one the current password opened`, { code: "current-key", hint: "unlock with another password of this repository to remove it, or use `cairn key passwd` to change it" });
        await repo.removeKeySlot(id);
        session.out.emit({ removed: id });
        session.out.message(`removed key ${id.slice(0, 10)}`);
      }),
    );

  key
    .command("passwd")
    .description("change the current password (a new slot replaces the one it opened)")
    .option("--new-password-file <file>", "read the new password from FILE (default: ask twice on a terminal)")
    .option("--label <text>", "label of the new slot (default: the old slot's)")
    .option("--kdf <spec>", "password KDF (see `cairn init --help`)", parseKdf)
    .action(
      runAction(env, async (session, _args, opts) => {
        const repo = await session.open();
        const old = repo.keySlot.id;
        const slot = await repo.changePassphrase(await newPassword(session, opts), slotOptions(opts));
        session.out.emit({ replaced: old, ...slotJson(slot, slot.id) });
        session.out.message(`changed the password: key ${old.slice(0, 10)} replaced by ${slot.id.slice(0, 10)}`);
      }),
    );
}
