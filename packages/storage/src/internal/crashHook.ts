// The seam fault injection uses to simulate a writer that dies halfway through a put. A backend
// that can leave such debris (the filesystem backend leaves a temporary file) implements the
// method under this symbol; `withFaults` calls it for a "crash" fault. Backends whose puts are
// all-or-nothing (memory, S3) need not: a crash there leaves nothing behind.

export const simulateCrashedPut: unique symbol = Symbol("cairn.storage.simulateCrashedPut");

export interface CrashablePut {
  /** Leaves exactly what a writer killed after writing `partial` (a prefix of the data) would. */
  [simulateCrashedPut](key: string, partial: Uint8Array): Promise<void>;
}

export function canSimulateCrash(storage: object): storage is CrashablePut {
  return typeof (storage as Partial<CrashablePut>)[simulateCrashedPut] === "function";
}
