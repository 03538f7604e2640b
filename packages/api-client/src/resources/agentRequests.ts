// Work handed to an agent that it answers later (spec §3.4, §4.6–4.9): host browsing, vault
// encryption and password verification, vault moves, log files.
import { ApiError } from "../errors.js";
import type { Core } from "../internal/core.js";
import { sleep, type CallOptions } from "../internal/transport.js";
import type { PatchOperation } from "../patch.js";
import type { BrowseResult, Logfile, RequestAccepted, RequestResult } from "../types.js";

/**
 * Polls `get` until it stops answering 404 ("not ready yet") or `timeoutMs` passes.
 * @throws the last ApiError 404 on timeout, or any other error at once.
 */
export async function waitForResult<T>(get: () => Promise<T>, options: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      return await get();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404 || Date.now() >= deadline) throw error;
    }
    await sleep(options.intervalMs ?? 500, options.signal);
  }
}

/** `client.agentRequests`. */
export class AgentRequests {
  constructor(private readonly core: Core) {}

  browse(agentId: string, input: { path: string; path_encoded?: string | null }, options?: CallOptions): Promise<RequestAccepted> {
    return this.core.post(["agents", agentId, "browse-requests"], input, options);
  }

  /** 404 (ApiError) until the agent has answered. */
  browseResult(agentId: string, requestId: string, options?: CallOptions): Promise<BrowseResult> {
    return this.core.get(["agents", agentId, "browse-requests", requestId], undefined, options);
  }

  /** Enable (old null) or change the vault password; both RSA-encrypted to the agent's key, hex. */
  requestEncryption(agentId: string, input: { old_encrypted_password_hex: string | null; new_encrypted_password_hex: string }, options?: CallOptions): Promise<RequestAccepted> {
    return this.core.post(["agents", agentId, "vault-encryption-requests"], input, options);
  }

  /** Agent side: report the outcome. */
  reportEncryption(agentId: string, requestId: string, input: { action: "enabled" | "changed"; succeeded: boolean }, options?: CallOptions): Promise<void> {
    return this.core.post(["agents", agentId, "vault-encryption-requests", requestId], input, options);
  }

  encryptionResult(agentId: string, requestId: string, options?: CallOptions): Promise<RequestResult & { succeeded: boolean }> {
    return this.core.get(["agents", agentId, "vault-encryption-requests", requestId], undefined, options);
  }

  requestPasswordVerification(agentId: string, input: { encrypted_password_hex: string; agent_id?: string | null }, options?: CallOptions): Promise<RequestAccepted> {
    return this.core.post(["agents", agentId, "vault-password-verification-requests"], { agent_id: null, ...input }, options);
  }

  reportPasswordVerification(agentId: string, requestId: string, input: { verified: boolean }, options?: CallOptions): Promise<void> {
    return this.core.post(["agents", agentId, "vault-password-verification-requests", requestId], input, options);
  }

  passwordVerificationResult(agentId: string, requestId: string, options?: CallOptions): Promise<RequestResult & { valid: boolean }> {
    return this.core.get(["agents", agentId, "vault-password-verification-requests", requestId], undefined, options);
  }

  /** Moves `sourceAgentId`'s vault to `agentId`. */
  moveVault(agentId: string, sourceAgentId: string, options?: CallOptions): Promise<void> {
    return this.core.post(["agents", agentId, "vault"], { source_agent_id: sourceAgentId }, options);
  }

  requestLogfile(agentId: string, options?: CallOptions): Promise<Logfile> {
    return this.core.post(["agents", agentId, "logfiles"], undefined, options);
  }

  async logfiles(agentId: string, options?: CallOptions): Promise<Logfile[]> {
    return (await this.core.get<{ logfiles: Logfile[] }>(["agents", agentId, "logfiles"], undefined, options)).logfiles;
  }

  logfile(agentId: string, logfileId: string, options?: CallOptions): Promise<Logfile> {
    return this.core.get(["agents", agentId, "logfiles", logfileId], undefined, options);
  }

  /** Agent side: `replace /state` with started or completed. */
  updateLogfile(agentId: string, logfileId: string, operations: readonly PatchOperation[], options?: CallOptions): Promise<void> {
    return this.core.patch(["agents", agentId, "logfiles", logfileId], operations, options);
  }

  deleteLogfile(agentId: string, logfileId: string, options?: CallOptions): Promise<void> {
    return this.core.delete(["agents", agentId, "logfiles", logfileId], options);
  }
}
