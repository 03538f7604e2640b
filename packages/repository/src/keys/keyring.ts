// Key slot management over storage: create, unlock, list, remove. The master keys never change,
// so adding a passphrase, removing one or changing one never re-encrypts data — it only writes
// or deletes one small `keys/<id>` object.
//
// Not guaranteed: two processes removing *different* slots at the same moment could each see the
// other's slot and both proceed, leaving none. Key management is an interactive, rare operation;
// run it from one place at a time.
import type { Aes } from "@cairn/core";
import { ObjectNotFoundError, type Storage } from "@cairn/storage";
import { KeySlotCorruptError, LastKeySlotError, RepositoryNotFoundError, WrongPasswordError } from "../errors.js";
import { randomBytes, toHex } from "../internal/bytes.js";
import type { MasterKeys } from "../crypto/masterKeys.js";
import { chooseKdfParams, deriveKek, type KdfChoice } from "./passwordKdf.js";
import { keySlotKey, openKeySlot, parseKeySlot, sealKeySlot, type KeySlot, type KeySlotInfo } from "./keySlot.js";

/** Calibrated Argon2id at ~0.5 s: the default for new slots. */
export const DEFAULT_KDF: KdfChoice = { algorithm: "argon2id", calibrate: { targetMs: 500 } };

export interface NewSlotOptions {
  readonly kdf?: KdfChoice;
  /** Free text shown by `listKeySlots` (e.g. "laptop", "recovery"). Stored in clear: no secrets. */
  readonly label?: string;
}

/**
 * Writes a new slot holding `keys` under `passphrase`.
 * @returns the new slot's info (id, parameters, calibration).
 */
export async function createKeySlot(storage: Storage, aes: Aes, keys: MasterKeys, passphrase: string | Uint8Array, options: NewSlotOptions = {}): Promise<KeySlotInfo> {
  if (typeof passphrase === "string" ? passphrase.length === 0 : passphrase.length === 0) throw new RangeError("passphrase: expected at least one character, got an empty passphrase");
  const choice = options.kdf ?? DEFAULT_KDF;
  const kdf = await chooseKdfParams(choice);
  const start = performance.now();
  const kek = await deriveKek(passphrase, kdf);
  const measuredMs = Math.round(performance.now() - start);
  const info: KeySlotInfo = {
    id: toHex(randomBytes(32)),
    createdMs: Date.now(),
    label: options.label ?? "",
    kdf,
    calibration: "calibrate" in choice ? { targetMs: choice.calibrate.targetMs, measuredMs } : { targetMs: 0, measuredMs },
  };
  try {
    await storage.put(keySlotKey(info.id), await sealKeySlot(aes, info, kek, keys));
  } finally {
    kek.fill(0);
  }
  return info;
}

/** Every slot, parsed; corrupt ones are returned as errors rather than thrown. */
export async function readKeySlots(storage: Storage): Promise<(KeySlot | KeySlotCorruptError)[]> {
  const out: (KeySlot | KeySlotCorruptError)[] = [];
  for await (const { key } of storage.list("keys/")) {
    let bytes: Uint8Array;
    try {
      bytes = await storage.get(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) continue; // removed while we listed
      throw error;
    }
    try {
      out.push(await parseKeySlot(key, bytes));
    } catch (error) {
      if (error instanceof KeySlotCorruptError) out.push(error);
      else throw error;
    }
  }
  return out;
}

/**
 * Finds the slot `passphrase` opens (only `slotId` if given) and returns the master keys.
 * Each slot tried costs one KDF run (~0.5 s by default).
 * @throws {WrongPasswordError} if no intact slot opens.
 * @throws {KeySlotCorruptError} if every slot is corrupt (or the chosen one is).
 * @throws {RepositoryNotFoundError} if there are no key slots at all.
 */
export async function unlockKeySlots(storage: Storage, aes: Aes, passphrase: string | Uint8Array, slotId?: string): Promise<{ keys: MasterKeys; slot: KeySlotInfo }> {
  const slots = (await readKeySlots(storage)).filter((s) => slotId === undefined || (s instanceof KeySlotCorruptError ? s.object === keySlotKey(slotId) : s.id === slotId));
  if (slots.length === 0) throw new RepositoryNotFoundError(slotId === undefined ? "no key slots under keys/" : `no key slot ${slotId}`);
  const intact = slots.filter((s): s is KeySlot => !(s instanceof KeySlotCorruptError));
  const corrupt = slots.filter((s): s is KeySlotCorruptError => s instanceof KeySlotCorruptError);
  if (intact.length === 0) throw corrupt[0]!;
  for (const slot of intact) {
    const keys = await openKeySlot(aes, slot, passphrase);
    if (keys) return { keys, slot: { id: slot.id, createdMs: slot.createdMs, label: slot.label, kdf: slot.kdf, calibration: slot.calibration } };
  }
  throw new WrongPasswordError(corrupt.map((c) => c.object ?? "?"));
}

/**
 * Deletes slot `id`, refusing to delete the last intact one.
 * @throws {LastKeySlotError} if no other intact slot would remain.
 * @throws {RangeError} if there is no such slot.
 */
export async function removeKeySlot(storage: Storage, id: string): Promise<void> {
  const slots = await readKeySlots(storage);
  const key = keySlotKey(id);
  if (!slots.some((s) => (s instanceof KeySlotCorruptError ? s.object : keySlotKey(s.id)) === key)) throw new RangeError(`key slot ${id}: no such slot`);
  const othersIntact = slots.filter((s) => !(s instanceof KeySlotCorruptError) && s.id !== id);
  if (othersIntact.length === 0) throw new LastKeySlotError(key);
  await storage.delete(key);
}
