// Identifiers: UUIDs for resources, 256-bit random secrets for tokens and keys.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** A new random (v4) UUID. */
export const newId = (): string => randomUUID();

/** A new secret: 32 random bytes as 64 lowercase hex digits. */
export const newSecret = (): string => randomBytes(32).toString("hex");

/** SHA-256 of a string, hex. Used to store high-entropy secrets (tokens, API keys). */
export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** Constant-time comparison of two hex digests (false when the lengths differ). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID string (any version). */
export const isUuid = (value: string): boolean => UUID.test(value);
