// Requests an agent answers without a job resource (spec §2.11–§2.14, §4.6–§4.8): browsing the
// host or a backup, enabling or changing vault encryption, verifying a vault password, and
// uploading its log file. Results go back through the outbox (encryption, verification, log
// file states) or as `host_browsed` / `backup_browsed` signals.
import { gzipSync } from "node:zlib";
import { readFile, readdir, lstat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { BrowseItem, FeedEvent } from "@cairn/api-client";
import { findNode, nameFromString, nameToDisplayString, type Tree } from "@cairn/manifest";
import { PrefixedStorage } from "../vault/prefixedStorage.js";
import { decryptVaultPassword } from "../identity/passwordDecrypt.js";
import { VaultPasswordError, VaultRepositories } from "../vault/vaultRepository.js";
import { storedVaultPassword, storeVaultPassword, type JobContext } from "./jobContext.js";
import { diagnosticsOf } from "./jobReporter.js";

const MAX_ITEMS = 10_000;
const DIRECTORY = "inode/directory";
const SYMLINK = "application/x-symlink-file";
const FILE = "application/octet-stream";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

async function sendBrowse(ctx: JobContext, event: "host_browsed" | "backup_browsed", requestId: string, path: string, result: { succeeded: boolean; items: BrowseItem[] }): Promise<void> {
  await ctx.session.client.agents.signal(ctx.session.agentId, { event, request_id: requestId, succeeded: result.succeeded, path, path_encoded: null, items: result.items });
}

/** host_browse: the entries of a directory on this host. */
export async function answerHostBrowse(ctx: JobContext, e: FeedEvent): Promise<void> {
  const requestId = str(e.request_id) ?? "";
  const path = str(e.path) ?? "/";
  let items: BrowseItem[] = [];
  let succeeded = true;
  try {
    const dir = resolve("/", path);
    for (const entry of (await readdir(dir, { withFileTypes: true })).slice(0, MAX_ITEMS)) {
      const full = join(dir, entry.name);
      const st = await lstat(full).catch(() => undefined);
      items.push({ name: entry.name, name_encoded: null, bytes: entry.isFile() ? (st?.size ?? 0) : 0, mime_type: entry.isDirectory() ? DIRECTORY : entry.isSymbolicLink() ? SYMLINK : FILE });
    }
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    ctx.log.info("host browse failed", { path, error: diagnosticsOf(error) });
    succeeded = false;
    items = [];
  }
  await sendBrowse(ctx, "host_browsed", requestId, path, { succeeded, items });
}

function listTree(tree: Tree): BrowseItem[] {
  return tree.nodes.slice(0, MAX_ITEMS).map((n) => ({
    name: nameToDisplayString(n.name),
    name_encoded: null,
    bytes: n.type === "file" ? Number(n.size) : 0,
    mime_type: n.type === "dir" ? DIRECTORY : n.type === "symlink" ? SYMLINK : FILE,
  }));
}

/** backup_browse: the entries of a directory inside a backup of this agent's own vault. */
export async function answerBackupBrowse(ctx: JobContext, e: FeedEvent, ownVaultId: string | null): Promise<void> {
  const requestId = str(e.request_id) ?? "";
  const path = str(e.path) ?? "/";
  const backup = obj(e.backup);
  const vaultId = str(obj(e.vault).id) ?? null;
  let items: BrowseItem[] = [];
  let succeeded = false;
  try {
    if (vaultId === null || vaultId !== ownVaultId) throw new Error("only backups in this agent's own vault can be browsed by it");
    const hex = str(e.encrypted_password_hex);
    const password = hex !== undefined ? decryptVaultPassword(ctx.privateKey, hex, "implicit") : await storedVaultPassword(ctx, vaultId);
    const vaults = new VaultRepositories(ctx.vault({ kind: "own", agentId: ctx.session.agentId }), vaultId, { readOnly: true });
    const found = await vaults.findBackup(str(backup.id) ?? "", typeof backup.snapshot_id === "number" ? backup.snapshot_id : null, password);
    try {
      let tree = await found.opened.repo.loadTree(found.snapshot.tree);
      for (const part of path.split("/").filter((p) => p.length > 0)) {
        const node = findNode(tree, nameFromString(part));
        if (node === undefined || node.type !== "dir") throw new Error(`${path} is not a directory in the backup`);
        tree = await found.opened.repo.loadTree(node.subtree);
      }
      items = listTree(tree);
      succeeded = true;
    } finally {
      await found.opened.repo.close().catch(() => undefined);
    }
  } catch (error) {
    ctx.log.info("backup browse failed", { path, error: diagnosticsOf(error) });
  }
  await sendBrowse(ctx, "backup_browsed", requestId, path, { succeeded, items });
}

/** vault_encryption_enable / vault_encryption_change on this agent's own vault. */
export async function answerEncryption(ctx: JobContext, e: FeedEvent, vaultId: string): Promise<void> {
  const requestId = str(e.request_id) ?? "";
  const enable = e.event === "vault_encryption_enable";
  let succeeded = false;
  try {
    // Explicit rejection here: silently setting a synthetic password would lock the vault (see passwordDecrypt.ts).
    const vaults = new VaultRepositories(ctx.vault({ kind: "own", agentId: ctx.session.agentId }), vaultId, { ...(ctx.kdf ? { kdf: ctx.kdf } : {}) });
    if (enable) {
      const password = decryptVaultPassword(ctx.privateKey, str(e.encrypted_password_hex) ?? "", "explicit");
      const generation = await vaults.enableEncryption(password);
      await storeVaultPassword(ctx, vaultId, password);
      ctx.log.info("vault encryption enabled", { generation });
    } else {
      const oldPassword = decryptVaultPassword(ctx.privateKey, str(e.old_encrypted_password_hex) ?? "", "explicit");
      const newPassword = decryptVaultPassword(ctx.privateKey, str(e.new_encrypted_password_hex) ?? "", "explicit");
      await vaults.changePassword(oldPassword, newPassword);
      await storeVaultPassword(ctx, vaultId, newPassword);
      ctx.log.info("vault password changed");
    }
    succeeded = true;
  } catch (error) {
    ctx.log.warn(`vault encryption ${enable ? "enable" : "change"} failed`, { error: diagnosticsOf(error) });
  }
  await ctx.outbox.add({ type: "encryption", requestId, action: enable ? "enabled" : "changed", succeeded });
}

/** vault_password_verify: does the password open this agent's own (encrypted) vault? */
export async function answerVerification(ctx: JobContext, e: FeedEvent, ownVaultId: string | null): Promise<void> {
  const requestId = str(e.request_id) ?? "";
  const vaultId = str(obj(e.vault).id) ?? ownVaultId;
  let verified = false;
  try {
    if (vaultId !== ownVaultId || vaultId === null) throw new Error("this agent can only verify the password of its own vault");
    const password = decryptVaultPassword(ctx.privateKey, str(e.encrypted_password_hex) ?? "", "implicit");
    verified = await new VaultRepositories(ctx.vault({ kind: "own", agentId: ctx.session.agentId }), vaultId, { readOnly: true }).verify(password);
  } catch (error) {
    if (!(error instanceof VaultPasswordError)) ctx.log.warn("password verification failed", { error: diagnosticsOf(error) });
  }
  await ctx.outbox.add({ type: "verification", requestId, verified });
}

/**
 * logfile_upload: gzip the agent's log into its own vault at `logs/<logfile id>.gz` (the server
 * has no separate log store; users with `creator` can read it there), reporting started → completed.
 */
export async function answerLogfile(ctx: JobContext, e: FeedEvent): Promise<void> {
  const logfileId = str(e.request_id) ?? "";
  await ctx.outbox.add({ type: "logfile", logfileId, state: "started" });
  try {
    const text = await readFile(ctx.log.path).catch(() => Buffer.alloc(0));
    const logs = new PrefixedStorage(ctx.vault({ kind: "own", agentId: ctx.session.agentId }), "logs/");
    await logs.put(`${logfileId.toLowerCase()}.gz`, new Uint8Array(gzipSync(text)));
    await ctx.outbox.add({ type: "logfile", logfileId, state: "completed" });
  } catch (error) {
    ctx.log.warn("log upload failed", { error: diagnosticsOf(error) });
  }
}
