// The agent's RSA key pair (spec §2.1, §4.7): clients encrypt vault passwords to its public key;
// the private key never leaves the data directory (PKCS#8 PEM, mode 0600). 3072-bit keys: the
// strength NIST SP 800-57 pairs with 128-bit security.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { writePrivate } from "../state/jsonFile.js";

export const RSA_BITS = 3072;

/** The public key as the v2 API carries it: upper-case hex modulus, exponent as hex text. */
export interface WirePublicKey {
  modulus: string;
  exponent: string;
}

/** Loads the private key at `path`, creating a new key pair there on first use. */
export async function loadOrCreateKey(path: string): Promise<KeyObject> {
  try {
    return createPrivateKey(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read the agent key ${path}: ${(error as Error).message}`, { cause: error });
  }
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: RSA_BITS, publicExponent: 65537 });
  await writePrivate(path, privateKey.export({ type: "pkcs8", format: "pem" }) as string);
  return privateKey;
}

/** The wire form of `key`'s public half. */
export function wirePublicKey(key: KeyObject): WirePublicKey {
  const jwk = createPublicKey(key).export({ format: "jwk" }) as { n: string; e: string };
  const hex = (b64url: string): string => Buffer.from(b64url, "base64url").toString("hex").toUpperCase();
  return { modulus: hex(jwk.n), exponent: hex(jwk.e).replace(/^0+/, "") };
}
