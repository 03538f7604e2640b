// Decrypting the vault passwords that reach the agent RSA-encrypted to its public key, hex
// encoded (spec §4.7: RSA PKCS#1 v1.5, as Rackspace's own tooling sends; RSA-OAEP with SHA-256
// or SHA-1 as Cairn's extension, which the cairn CLI uses).
//
// Why not `crypto.privateDecrypt(…, RSA_PKCS1_PADDING)`: Node 20 refuses it (CVE-2023-46809,
// the Marvin attack: timing differences in PKCS#1 v1.5 unpadding let an attacker who can submit
// ciphertexts decrypt a captured one, Bleichenbacher-style). We do not turn that protection off
// (`--security-revert`); instead:
//   1. OAEP is tried first (OpenSSL's OAEP decoding is constant-time; a v1.5 ciphertext passes
//      its hash check with probability ~2^-160), so OAEP clients never touch v1.5 code;
//   2. otherwise the raw RSA operation (RSA_NO_PADDING, still blinded by OpenSSL) is followed by
//      a branch-free unpadding written with masks over every byte, and
//   3. in `implicit` mode a malformed padding yields a deterministic synthetic password derived
//      from the ciphertext and a secret of the key (the "implicit rejection" of RFC 8017's
//      successor drafts and OpenSSL 3.2): to whoever submitted it, a bad ciphertext looks exactly
//      like a wrong password. Reads (restores, browsing, verification) use it.
//      Enabling or changing encryption uses `explicit` mode instead, because silently setting a
//      synthetic password would lock the vault; that reveals padding validity, but every
//      "valid" answer changes the vault password, so the oracle answers at most once.
// Residual risk (docs/agent.md): JavaScript gives no constant-time guarantee; the unpadding
// avoids data-dependent branches and indexing, which is what the attack measures.
import { constants, createHmac, createPublicKey, privateDecrypt, type KeyObject } from "node:crypto";

/** The ciphertext could not be decrypted (malformed hex, wrong length, or, in explicit mode, bad padding). */
export class PasswordDecryptError extends Error {
  override readonly name = "PasswordDecryptError";
}

export type RejectionMode = "implicit" | "explicit";

function modulusBytes(key: KeyObject): number {
  const jwk = createPublicKey(key).export({ format: "jwk" }) as { n: string };
  return Buffer.from(jwk.n, "base64url").length;
}

/** Secret bytes tied to the private key, for synthetic passwords (never leaves the process). */
function rejectionKey(key: KeyObject): Buffer {
  const der = key.export({ type: "pkcs8", format: "der" });
  return createHmac("sha256", "cairn-agent implicit rejection v1").update(der).digest();
}

/**
 * PKCS#1 v1.5 type 2 unpadding without data-dependent branches: returns the message, or null.
 * EM = 0x00 || 0x02 || PS (≥ 8 non-zero bytes) || 0x00 || M.
 */
function unpadV15(em: Buffer): { ok: number; start: number } {
  let ok = ((em[0] ?? 1) === 0 ? 1 : 0) & ((em[1] ?? 0) === 2 ? 1 : 0);
  let found = 0;
  let separator = 0;
  for (let i = 2; i < em.length; i++) {
    const isZero = (((em[i] as number) - 1) >>> 31) & 1; // 1 when the byte is 0
    const first = isZero & (found ^ 1);
    separator |= -first & i; // keeps the first zero's index
    found |= isZero;
  }
  ok &= found;
  ok &= ((9 - separator) >>> 31) & 1; // separator ≥ 10: at least 8 padding bytes
  return { ok, start: separator + 1 };
}

/**
 * The password inside `hex`, decrypted with the agent's private key.
 * @throws {PasswordDecryptError} for malformed input, and in `explicit` mode for bad padding.
 */
export function decryptVaultPassword(key: KeyObject, hex: string, mode: RejectionMode = "implicit"): string {
  const k = modulusBytes(key);
  if (typeof hex !== "string" || !/^[0-9a-fA-F]*$/.test(hex) || hex.length !== 2 * k) {
    throw new PasswordDecryptError(`expected ${2 * k} hex digits (an RSA-${8 * k} ciphertext)`);
  }
  const ciphertext = Buffer.from(hex, "hex");
  for (const oaepHash of ["sha256", "sha1"]) {
    try {
      return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ciphertext).toString("utf8");
    } catch {
      // not OAEP with this hash: try the next form
    }
  }
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
  } catch (error) {
    throw new PasswordDecryptError(`RSA decryption failed: ${(error as Error).message}`);
  }
  const { ok, start } = unpadV15(em);
  // Always compute the synthetic password, whatever the padding, so both outcomes cost the same.
  const synthetic = createHmac("sha256", rejectionKey(key)).update(ciphertext).digest("hex");
  const message = em.subarray(Math.min(start, em.length)).toString("utf8");
  if (ok === 1) return message;
  if (mode === "explicit") throw new PasswordDecryptError("the ciphertext is not a valid PKCS#1 v1.5 or OAEP encryption to this agent's key");
  return synthetic;
}
