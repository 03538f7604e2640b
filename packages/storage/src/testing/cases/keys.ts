// Conformance: every operation validates its key before any I/O, so no key can reach outside
// the store, and every valid key works, up to the length limits.
import { expect, it } from "vitest";
import { MAX_KEY_LENGTH, MAX_SEGMENT_LENGTH } from "../../keys.js";
import type { Storage } from "../../storage.js";
import { bytesFor, expectMisuse, expectSameBytes, listAll, type CaseContext } from "./context.js";

const BAD_KEYS = [
  "",
  "..",
  ".",
  "../escape",
  "a/../../escape",
  "a/./b",
  "/absolute",
  "trailing/",
  "double//slash",
  ".hidden",
  "data/.cairn-tmp-x",
  "back\\slash",
  "..\\escape",
  "nul\u0000byte",
  "UPPER",
  "data/Ab",
  "white space",
  "tab\t",
  "new\nline",
  "caf\u00e9",
  "c:",
  "x".repeat(MAX_SEGMENT_LENGTH + 1),
  Array.from({ length: 5 }, () => "x".repeat(MAX_SEGMENT_LENGTH)).join("/"),
];

function operations(storage: Storage, key: string): [string, Promise<unknown>][] {
  return [
    ["put", storage.put(key, new Uint8Array([1, 2, 3]))],
    ["get", storage.get(key)],
    ["stat", storage.stat(key)],
    ["delete", storage.delete(key)],
  ];
}

export function keyCases(ctx: CaseContext): void {
  const { timeoutMs } = ctx;

  it("rejects malformed keys in every operation with a RangeError, and writes nothing", async () => {
    const storage = ctx.storage();
    for (const key of BAD_KEYS) {
      for (const [name, attempt] of operations(storage, key)) {
        await expectMisuse(attempt, RangeError).catch((error: unknown) => {
          throw new Error(`${name}(${JSON.stringify(key.slice(0, 40))}): ${String(error)}`);
        });
      }
    }
    expect(await listAll(storage)).toEqual([]);
  }, timeoutMs);

  it("rejects keys that are not strings with a TypeError", async () => {
    const storage = ctx.storage();
    for (const key of [undefined, null, 42, ["data", "x"], { toString: () => "config" }]) {
      for (const [, attempt] of operations(storage, key as unknown as string)) await expectMisuse(attempt, TypeError);
    }
  }, timeoutMs);

  it("rejects data that is not a Uint8Array with a TypeError", async () => {
    const storage = ctx.storage();
    for (const data of [undefined, "text", [1, 2, 3], new ArrayBuffer(4), new Uint16Array(2)]) {
      await expectMisuse(storage.put("config", data as unknown as Uint8Array), TypeError);
    }
    expect(await listAll(storage)).toEqual([]);
  }, timeoutMs);

  it("accepts every valid key shape, up to the segment and key length limits", async () => {
    const storage = ctx.storage();
    // Five segments (255, 255, 255, 254, 1 characters) and four slashes.
    const longest = [255, 255, 255, 254, 1].map((n) => "k".repeat(n)).join("/");
    expect(longest).toHaveLength(MAX_KEY_LENGTH);
    const keys = ["a", "0", "a-b_c.d", "x.", "v1.2.3-rc_1", "y".repeat(MAX_SEGMENT_LENGTH), "deep/er/and/deeper/still", longest];
    for (const [i, key] of keys.entries()) await storage.put(key, bytesFor(90 + i, 7));
    for (const [i, key] of keys.entries()) expectSameBytes(await storage.get(key), bytesFor(90 + i, 7), key.slice(0, 40));
    expect((await listAll(storage)).map((info) => info.key).sort()).toEqual([...keys].sort());
  }, timeoutMs);
}
