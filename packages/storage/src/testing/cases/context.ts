// What every group of conformance cases gets: the store under test and the suite's knobs, plus
// the few assertions the groups share. Uses vitest's `expect`.
import { expect } from "vitest";
import { StorageError } from "../../errors.js";
import type { ObjectInfo, Storage } from "../../storage.js";
import { seededBytes } from "../prng.js";

export interface CaseContext {
  /** The fresh, empty store of the running test. */
  storage(): Storage;
  readonly largeObjectBytes: number;
  readonly manyObjects: number;
  readonly timeoutMs: number;
}

/** Deterministic test bytes: a different `seed` gives different bytes. */
export const bytesFor = seededBytes;

/** Everything `list(prefix)` yields, in the order yielded. */
export async function listAll(storage: Storage, prefix?: string): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of prefix === undefined ? storage.list() : storage.list(prefix)) out.push(info);
  return out;
}

/** The keys `list(prefix)` yields, sorted, after checking that none is yielded twice. */
export async function listKeys(storage: Storage, prefix?: string): Promise<string[]> {
  const keys = (await listAll(storage, prefix)).map((info) => info.key).sort();
  expect(new Set(keys).size, "list yields each key once").toBe(keys.length);
  return keys;
}

/** Awaits `promise`, expecting it to reject, and returns the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the operation to reject, but it resolved"),
    (error: unknown) => error,
  );
}

/** Expects `promise` to reject with an instance of `type` that is about `key` and not retryable. */
export async function expectStorageError(promise: Promise<unknown>, type: abstract new (...args: never[]) => StorageError, key: string): Promise<StorageError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ key, retryable: false });
  return error as StorageError;
}

/** Expects `promise` to reject with a TypeError or RangeError (misuse), never a StorageError. */
export async function expectMisuse(promise: Promise<unknown>, type: typeof TypeError | typeof RangeError = RangeError): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(type);
  expect(error).not.toBeInstanceOf(StorageError);
}

/** Compares bytes with a readable failure (lengths and first difference, not a MiB dump). */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what = "bytes"): void {
  expect(actual, `${what}: a Uint8Array`).toBeInstanceOf(Uint8Array);
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const first = actual.findIndex((b, i) => b !== expected[i]);
  expect(first, `${what}: index of the first differing byte`).toBe(-1);
}
