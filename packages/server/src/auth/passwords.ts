// Password hashing with scrypt (node:crypto) for secrets people choose. Stored form:
// `scrypt$N$r$p$<salt b64>$<hash b64>`, so the cost can be raised later without invalidating
// existing hashes. Server-generated random secrets (agent passwords) use a plain SHA-256
// (`hashSecret`): a slow hash only helps against guessing, and 256 random bits cannot be guessed.
import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** Production cost: N=2^15, r=8, p=1 (~32 MiB, tens of milliseconds). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 32768, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password with a fresh 16-byte salt. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** True when `password` matches `stored` (constant-time comparison; false for a malformed hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const expected = Buffer.from(parts[5] ?? "", "base64");
  const actual = await derive(password, salt, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Hashes a server-generated 256-bit secret (an agent password): SHA-256 is enough for a secret
 * nobody can guess, and keeps the anonymous agent-login route cheap (no scrypt per attempt, so
 * it is no CPU lever for an attacker). Stored form: `sha256$<hex>`.
 */
export function hashSecret(secret: string): string {
  return `sha256$${createHash("sha256").update(secret, "utf8").digest("hex")}`;
}

/**
 * True when `secret` matches `stored` — a {@link hashSecret} digest (constant-time comparison),
 * or an older scrypt hash (agents registered by 0.1.0 before this change).
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  if (stored.startsWith("scrypt$")) return verifyPassword(secret, stored);
  if (!stored.startsWith("sha256$")) return false;
  const expected = Buffer.from(stored.slice("sha256$".length), "hex");
  const actual = createHash("sha256").update(secret, "utf8").digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
