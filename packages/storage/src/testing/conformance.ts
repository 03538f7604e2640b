// The Storage conformance suite: the executable form of the contract in storage.ts. Every
// backend runs it (restic's internal/backend/test is the model), and so does every wrapper
// over a backend, so "it passes the suite" is what "it is a Storage" means.
//
// Usage, in a vitest test file:
//
//   describeStorageConformance("MyStorage", async () => {
//     const storage = await MyStorage.open(...);
//     return { storage, cleanup: () => removeEverything() };
//   });
//
// Each test gets a fresh, empty store from `factory` and calls `cleanup` afterwards, so tests
// can run in any order. Keys used by the suite stay compatible with stores that shard `data/`
// (names under `data/` are single segments of at least 2 characters).
import { afterEach, beforeEach, describe } from "vitest";
import type { Storage } from "../storage.js";
import type { CaseContext } from "./cases/context.js";
import { createOnlyCases } from "./cases/createOnly.js";
import { keyCases } from "./cases/keys.js";
import { listingCases } from "./cases/listing.js";
import { missingCases } from "./cases/missing.js";
import { rangeCases } from "./cases/ranges.js";
import { readWriteCases } from "./cases/readWrite.js";

/** A fresh, empty store for one test, and how to dispose of it. */
export interface StorageFixture {
  readonly storage: Storage;
  /** Called after the test, even if it failed or closed the store. */
  readonly cleanup?: () => Promise<void>;
}

export interface ConformanceOptions {
  /** Size of the "multi-MiB" objects (default 8 MiB + 3 bytes). */
  readonly largeObjectBytes?: number;
  /** Objects in the "many objects" listing test (default 1100, past S3's 1000-key page). */
  readonly manyObjects?: number;
  /** Per-test timeout (default 30 000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Declares the conformance suite for one backend (a vitest `describe` block named `name`).
 * Call it at the top level of a vitest test file.
 */
export function describeStorageConformance(name: string, factory: () => Promise<StorageFixture>, options: ConformanceOptions = {}): void {
  describe(`Storage conformance: ${name}`, () => {
    let fixture: StorageFixture | undefined;
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      const done = fixture;
      fixture = undefined;
      await done?.cleanup?.();
    });
    const ctx: CaseContext = {
      storage() {
        if (fixture === undefined) throw new Error("conformance: the store is only available inside a test");
        return fixture.storage;
      },
      largeObjectBytes: options.largeObjectBytes ?? 8 * 1024 * 1024 + 3,
      manyObjects: options.manyObjects ?? 1100,
      timeoutMs: options.timeoutMs ?? 30_000,
    };
    describe("read and write", () => readWriteCases(ctx));
    describe("create-only", () => createOnlyCases(ctx));
    describe("ranges", () => rangeCases(ctx));
    describe("missing objects and delete", () => missingCases(ctx));
    describe("list", () => listingCases(ctx));
    describe("keys", () => keyCases(ctx));
  });
}
