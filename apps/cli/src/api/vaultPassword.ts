// Vault passwords travel to the agent encrypted to its RSA public key, never in clear to the
// server (ARCHITECTURE decision 9; spec §4.7). The spec's clients use PKCS#1 v1.5; cairn sends
// RSA-OAEP with SHA-256, which cairn-agent accepts first (docs/agent.md: OAEP decoding is
// constant-time, v1.5 unpadding is what the Marvin attack measures).
import { constants, createPublicKey, publicEncrypt } from "node:crypto";
import type { Agent } from "@cairn/api-client";
import { CliError } from "../cli/cliError.js";
import { readPasswordFile, type Password } from "../repo/password.js";

/** The registered key's exponent as hex ("10001"; a number is taken as decimal). */
function exponentHex(e: string | number): string {
  const hex = typeof e === "number" ? e.toString(16) : e;
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

/**
 * `password` encrypted to `agent`'s RSA key (OAEP, SHA-256), as the lowercase hex the API wants.
 * @throws {CliError} if the agent's registered key is unusable.
 */
export function encryptForAgent(agent: Agent, password: string): string {
  let key;
  try {
    const n = Buffer.from(agent.rsa_public_key.modulus, "hex").toString("base64url");
    const e = Buffer.from(exponentHex(agent.rsa_public_key.exponent), "hex").toString("base64url");
    key = createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" });
  } catch (error) {
    throw new CliError(`agent ${agent.id} has no usable RSA key registered`, { code: "agent-key", hint: "re-register the agent (start cairn-agent with a fresh data directory)", cause: error });
  }
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, Buffer.from(password, "utf8")).toString("hex");
}

/** The vault password from --vault-password-file, else CAIRN_VAULT_PASSWORD, else none. */
export async function readVaultPassword(file: string | undefined, env: Record<string, string | undefined>): Promise<Password | undefined> {
  if (file !== undefined) return readPasswordFile(file, "--vault-password-file");
  const value = env.CAIRN_VAULT_PASSWORD;
  return value === undefined || value === "" ? undefined : { value, source: "CAIRN_VAULT_PASSWORD" };
}
