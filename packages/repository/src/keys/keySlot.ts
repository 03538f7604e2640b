// One key slot (`keys/<id>`): a passphrase-protected copy of the master keys (FORMAT.md §3.3).
//
//   KEK    = KDF(passphrase, slot salt, slot params)               (passwordKdf.ts)
//   sealed = AES-256-GCM(KEK, nonce = 0^12, master keys, AAD)      (each KEK seals exactly once)
//   AAD    = "cairn/v1/key-slot|" + id + "|" + canonical params  || salt
//
// The slot is cleartext JSON apart from `sealed`, so any reader can see which KDF to run. The
// AAD binds the slot id and every KDF parameter: a slot whose cost was lowered by an attacker,
// or copied under another id, does not open. `checksum` (SHA-256 over AAD and sealed bytes) tells
// bit rot apart from a wrong passphrase: a damaged slot fails its checksum before any KDF runs.
import type { Aes } from "@cairn/core";
import { KeySlotCorruptError } from "../errors.js";
import { concatBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from "../internal/bytes.js";
import { decodeMasterKeys, encodeMasterKeys, type MasterKeys } from "../crypto/masterKeys.js";
import { deriveKek, kdfParamsProblem, type KdfCalibration, type KdfParams } from "./passwordKdf.js";

export const KEY_SLOT_VERSION = 1;
const ZERO_NONCE = new Uint8Array(12);

/** What a key slot says about itself (everything but the sealed keys). */
export interface KeySlotInfo {
  readonly id: string;
  readonly createdMs: number;
  readonly label: string;
  readonly kdf: KdfParams;
  readonly calibration: KdfCalibration | null;
}

/** A parsed key slot: its info plus the sealed master keys. */
export interface KeySlot extends KeySlotInfo {
  readonly sealed: Uint8Array;
}

export function keySlotKey(id: string): string {
  return `keys/${id}`;
}

function canonicalParams(kdf: KdfParams): string {
  return kdf.algorithm === "argon2id" ? `argon2id|v=19|m=${kdf.memoryKiB}|t=${kdf.iterations}|p=${kdf.parallelism}` : `scrypt|logN=${kdf.logN}|r=${kdf.r}|p=${kdf.p}`;
}

function associatedData(id: string, kdf: KdfParams): Uint8Array {
  return concatBytes(utf8(`cairn/v1/key-slot|${id}|${canonicalParams(kdf)}`), kdf.salt);
}

async function checksum(id: string, kdf: KdfParams, sealed: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", concatBytes(associatedData(id, kdf), sealed) as BufferSource)));
}

/** Seals `keys` into a new slot and returns its stored bytes. `kek` is not wiped here. */
export async function sealKeySlot(aes: Aes, info: KeySlotInfo, kek: Uint8Array, keys: MasterKeys): Promise<Uint8Array> {
  const plain = encodeMasterKeys(keys);
  const sealed = await aes.seal(kek, ZERO_NONCE, plain, associatedData(info.id, info.kdf));
  plain.fill(0);
  const kdf =
    info.kdf.algorithm === "argon2id"
      ? { algorithm: "argon2id", memoryKiB: info.kdf.memoryKiB, iterations: info.kdf.iterations, parallelism: info.kdf.parallelism, salt: toBase64(info.kdf.salt) }
      : { algorithm: "scrypt", logN: info.kdf.logN, r: info.kdf.r, p: info.kdf.p, salt: toBase64(info.kdf.salt) };
  const json = {
    cairn: "key-slot",
    version: KEY_SLOT_VERSION,
    id: info.id,
    createdMs: info.createdMs,
    label: info.label,
    kdf,
    calibration: info.calibration,
    sealed: toBase64(sealed),
    checksum: await checksum(info.id, info.kdf, sealed),
  };
  return utf8(`${JSON.stringify(json, null, 2)}\n`);
}

/**
 * Parses and checksums a stored slot.
 * @throws {KeySlotCorruptError} if it is not a valid slot or fails its checksum.
 */
export async function parseKeySlot(object: string, bytes: Uint8Array): Promise<KeySlot> {
  const fail = (detail: string, cause?: unknown): never => {
    throw new KeySlotCorruptError(object, detail, { cause });
  };
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as Record<string, unknown>;
  } catch (error) {
    fail("not UTF-8 JSON", error);
  }
  if (typeof json !== "object" || json === null || json.cairn !== "key-slot") fail('not a key slot (field "cairn" is not "key-slot")');
  if (json.version !== KEY_SLOT_VERSION) fail(`unsupported key slot version ${String(json.version)}`);
  const id = json.id;
  if (typeof id !== "string" || !fromHex(id, 32) || object !== keySlotKey(id)) fail(`id ${JSON.stringify(id)} does not match the object name`);
  const k = json.kdf as Record<string, unknown> | null;
  const salt = typeof k?.salt === "string" ? fromBase64(k.salt) : undefined;
  if (!k || !salt) return fail("kdf.salt is missing or not base64");
  const num = (v: unknown) => (typeof v === "number" ? v : NaN);
  const kdf: KdfParams =
    k.algorithm === "argon2id"
      ? { algorithm: "argon2id", memoryKiB: num(k.memoryKiB), iterations: num(k.iterations), parallelism: num(k.parallelism), salt }
      : k.algorithm === "scrypt"
        ? { algorithm: "scrypt", logN: num(k.logN), r: num(k.r), p: num(k.p), salt }
        : fail(`unknown kdf algorithm ${JSON.stringify(k.algorithm)}`);
  const problem = kdfParamsProblem(kdf);
  if (problem) fail(`kdf parameters: ${problem}`);
  const sealed = typeof json.sealed === "string" ? fromBase64(json.sealed) : undefined;
  if (!sealed || sealed.length !== 97 + 16) fail("sealed master keys are missing or have the wrong length");
  if (json.checksum !== (await checksum(id as string, kdf, sealed!))) fail("checksum mismatch (the slot was damaged or edited)");
  const calibration = json.calibration as KdfCalibration | null;
  return {
    id: id as string,
    createdMs: num(json.createdMs),
    label: typeof json.label === "string" ? json.label : "",
    kdf,
    calibration: calibration && typeof calibration.targetMs === "number" && typeof calibration.measuredMs === "number" ? { targetMs: calibration.targetMs, measuredMs: calibration.measuredMs } : null,
    sealed: sealed!,
  };
}

/**
 * Runs the slot's KDF on `passphrase` and opens the master keys.
 * @returns the master keys, or undefined if the passphrase is wrong for this slot.
 */
export async function openKeySlot(aes: Aes, slot: KeySlot, passphrase: string | Uint8Array): Promise<MasterKeys | undefined> {
  const kek = await deriveKek(passphrase, slot.kdf);
  try {
    const plain = await aes.open(kek, ZERO_NONCE, slot.sealed, associatedData(slot.id, slot.kdf));
    const keys = decodeMasterKeys(plain, keySlotKey(slot.id));
    plain.fill(0);
    return keys;
  } catch (error) {
    if ((error as Error).name === "AuthenticationError") return undefined;
    throw error;
  } finally {
    kek.fill(0);
  }
}
