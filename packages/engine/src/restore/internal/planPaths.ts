// Plan paths back to bytes, checked again: a plan is JSON that may have been stored, sent or
// edited, so the executor trusts none of its paths. Also the temporary names the executor writes
// under before renaming into place.
import { Buffer } from "node:buffer";
import { isSafeName, unescapeName } from "@cairn/manifest";
import { RestoreError } from "../errors.js";

/** Names of a plan path (escaped, relative to the target). @throws {RestoreError} (`bad-plan`). */
export function planNames(path: string): Uint8Array[] {
  let bytes: Uint8Array;
  try {
    bytes = unescapeName(path);
  } catch (error) {
    throw new RestoreError("bad-plan", `the plan has a malformed path ${JSON.stringify(path)}`, { cause: error });
  }
  const names: Uint8Array[] = [];
  let begin = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x2f) {
      const name = bytes.slice(begin, i);
      if (!isSafeName(name)) throw new RestoreError("bad-plan", `the plan has an unsafe path ${JSON.stringify(path)}: every component must be a safe name (no "..", ".", empty or NUL)`);
      names.push(name);
      begin = i + 1;
    }
  }
  return names;
}

/** Prefix of every temporary name the executor creates (never restored, never deleted as extraneous). */
export const TEMP_PREFIX = ".cairn-restore-";
export const TEMP_SUFFIX = ".tmp";

/**
 * The temporary name for `name` in the same directory: fixed per name (FNV-1a, two 32-bit lanes;
 * not a security boundary — temporary names are created O_EXCL and a stale one is unlinked first),
 * so a rerun replaces what an interrupted run left.
 */
export function tempName(name: Uint8Array): Uint8Array {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ name.length;
  for (let i = 0; i < name.length; i++) {
    a = Math.imul(a ^ name[i]!, 0x01000193) >>> 0;
    b = Math.imul(b ^ name[i]!, 0x5bd1e995) >>> 0;
  }
  return Buffer.from(`${TEMP_PREFIX}${a.toString(16).padStart(8, "0")}${b.toString(16).padStart(8, "0")}${TEMP_SUFFIX}`);
}

export function isTempName(name: Uint8Array): boolean {
  const text = Buffer.from(name).toString("latin1");
  return text.startsWith(TEMP_PREFIX) && text.endsWith(TEMP_SUFFIX);
}
