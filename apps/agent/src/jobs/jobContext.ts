// What every job handler gets: the session, the outbox and journal, the clock, the log, the
// engine, and how to reach vaults and the agent's stored vault password.
import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import type { KdfChoice } from "@cairn/repository";
import type { Storage } from "@cairn/storage";
import type { Outbox } from "../channel/outbox.js";
import type { Clock } from "../clock.js";
import type { Engine } from "../engine.js";
import type { Logger } from "../log.js";
import type { AgentSession } from "../session.js";
import type { Journal } from "../state/journal.js";
import { readJson, writeJson } from "../state/jsonFile.js";
import type { VaultAddress } from "../vault/vaultStorage.js";

export interface JobContext {
  readonly session: AgentSession;
  readonly outbox: Outbox;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly log: Logger;
  readonly dataDir: string;
  readonly version: string;
  readonly privateKey: KeyObject;
  /** KDF for new password key slots (tests choose a fast one). */
  readonly kdf: KdfChoice | undefined;
  /** Backup worker threads (default: the engine's). */
  readonly workers: number | undefined;
  engine(): Promise<Engine>;
  vault(address: VaultAddress): Storage;
}

/** The password of the agent's own encrypted vault, kept in <data dir>/vault-password.json (0600). */
export async function storedVaultPassword(ctx: JobContext, vaultId: string): Promise<string | null> {
  const stored = await readJson<{ vaultId: string; password: string }>(join(ctx.dataDir, "vault-password.json"));
  return stored !== undefined && stored.vaultId === vaultId ? stored.password : null;
}

export async function storeVaultPassword(ctx: JobContext, vaultId: string, password: string): Promise<void> {
  await writeJson(join(ctx.dataDir, "vault-password.json"), { vaultId, password });
}
