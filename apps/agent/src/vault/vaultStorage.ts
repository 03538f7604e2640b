// Where a vault's objects are, as a Storage. This is the one place that knows vaults are served
// by the Cairn server over HTTP (packages/server/src/routes/vaultData.ts): everything else in the
// agent (backups, restores, cleanups, encryption) only sees a `Storage`. A later S3 or Swift
// vault is a new `VaultAddress` flavor handled here; no job code changes.
import { HttpStorage, withRetry, type RetryEvent, type Storage } from "@cairn/storage";

/** How the agent authenticates its requests (an agent token that can be renewed). */
export interface TokenSource {
  token(): Promise<string>;
  /** Logs in again (after a 401). */
  renew(): Promise<void>;
}

/** Which vault: the agent's own, or the source vault of a restore it was assigned. */
export type VaultAddress = { readonly kind: "own"; readonly agentId: string } | { readonly kind: "restore"; readonly restoreId: string };

export interface VaultStorageOptions {
  readonly serverUrl: string;
  readonly projectId: string;
  readonly auth: TokenSource;
  /** Attempts per operation on transient failures (default 8, backoff capped at 5 s). */
  readonly attempts?: number;
  readonly onRetry?: (event: RetryEvent) => void;
  readonly fetch?: typeof fetch;
}

/** The base URL of a vault's object namespace on the server. */
export function vaultBaseUrl(serverUrl: string, projectId: string, address: VaultAddress): string {
  const root = `${serverUrl.replace(/\/+$/, "")}/v2/${encodeURIComponent(projectId)}`;
  return address.kind === "own" ? `${root}/agents/${encodeURIComponent(address.agentId)}/vault` : `${root}/restores/${encodeURIComponent(address.restoreId)}/vault`;
}

/**
 * A Storage for the vault at `address`, retrying transient failures (the server restarting, a
 * dropped connection) with capped exponential backoff.
 * @throws {TypeError} for a malformed server URL.
 */
export function openVaultStorage(address: VaultAddress, options: VaultStorageOptions): Storage {
  const http = new HttpStorage({
    baseUrl: vaultBaseUrl(options.serverUrl, options.projectId, address),
    headers: async () => ({ "x-auth-token": await options.auth.token() }),
    onUnauthorized: () => options.auth.renew(),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return withRetry(http, { attempts: options.attempts ?? 8, baseDelayMs: 200, maxDelayMs: 5_000, ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }) });
}
