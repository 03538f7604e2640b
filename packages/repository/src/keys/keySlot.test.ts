// Key slots end to end: init, unlock, wrong passphrase vs corrupt slot, add/list/remove, change
// passphrase, refusing to remove the last slot, calibration.
import { MemoryStorage } from "@cairn/storage";
import { describe, expect, it } from "vitest";
import { KeySlotCorruptError, LastKeySlotError, openRepository, RepositoryNotFoundError, WrongPasswordError } from "../index.js";
import { FAST_KDF, newRepo } from "../../test/helpers.js";

describe("key slots", () => {
  it("opens with the right passphrase and gives WrongPasswordError otherwise", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage);
    const chunker = repo.chunkerSecret();
    await repo.close();
    const again = await openRepository(storage, "correct horse");
    expect(again.config.id).toBe(repo.config.id);
    expect(again.chunkerSecret()).toEqual(chunker);
    await expect(openRepository(storage, "wrong horse")).rejects.toBeInstanceOf(WrongPasswordError);
    await expect(openRepository(new MemoryStorage(), "x")).rejects.toBeInstanceOf(RepositoryNotFoundError);
  });

  it("tells a damaged slot from a wrong passphrase", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage);
    const key = `keys/${repo.keySlot.id}`;
    const text = new TextDecoder().decode(await storage.get(key));
    await storage.delete(key);
    // Lower the KDF cost, as an attacker wanting faster guessing would: the checksum catches it.
    await storage.put(key, new TextEncoder().encode(text.replace('"iterations": 1', '"iterations": 2')));
    const error = await openRepository(storage, "correct horse").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySlotCorruptError);
    expect((error as KeySlotCorruptError).object).toBe(key);
    expect((error as Error).message).toMatch(/checksum/);
  });

  it("a slot whose params are changed and checksum recomputed still does not open (params are in the AAD)", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage);
    const key = `keys/${repo.keySlot.id}`;
    const json = JSON.parse(new TextDecoder().decode(await storage.get(key)));
    json.kdf.iterations = 2;
    const { concatBytes } = await import("../internal/bytes.js");
    const salt = Uint8Array.from(atob(json.kdf.salt), (c) => c.charCodeAt(0));
    const sealed = Uint8Array.from(atob(json.sealed), (c) => c.charCodeAt(0));
    const aad = concatBytes(new TextEncoder().encode(`cairn/v1/key-slot|${json.id}|argon2id|v=19|m=64|t=2|p=1`), salt);
    json.checksum = Buffer.from(await crypto.subtle.digest("SHA-256", concatBytes(aad, sealed) as BufferSource)).toString("hex");
    await storage.delete(key);
    await storage.put(key, new TextEncoder().encode(JSON.stringify(json)));
    await expect(openRepository(storage, "correct horse")).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it("adds, lists, removes slots and changes passphrases without touching data; refuses to remove the last", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage);
    const { id: blob } = await repo.saveBlob("data", new Uint8Array([1, 2, 3]));
    await repo.flush();
    const dataBefore = [];
    for await (const o of storage.list("data/")) dataBefore.push(o.key);

    const second = await repo.addKeySlot("second passphrase", { kdf: FAST_KDF, label: "backup admin" });
    expect((await repo.listKeySlots()).map((s) => (s instanceof KeySlotCorruptError ? "corrupt" : s.label)).sort()).toEqual(["", "backup admin"]);
    const viaSecond = await openRepository(storage, "second passphrase");
    expect(viaSecond.keySlot.id).toBe(second.id);
    expect(await viaSecond.loadBlob(blob)).toEqual(new Uint8Array([1, 2, 3]));

    await repo.removeKeySlot(repo.keySlot.id);
    await expect(openRepository(storage, "correct horse")).rejects.toBeInstanceOf(WrongPasswordError);
    await expect(viaSecond.removeKeySlot(second.id)).rejects.toBeInstanceOf(LastKeySlotError);

    const third = await viaSecond.changePassphrase("third passphrase", { kdf: FAST_KDF });
    await expect(openRepository(storage, "second passphrase")).rejects.toBeInstanceOf(WrongPasswordError);
    const viaThird = await openRepository(storage, "third passphrase");
    expect(viaThird.keySlot.id).toBe(third.id);
    expect(await viaThird.loadBlob(blob)).toEqual(new Uint8Array([1, 2, 3]));
    const dataAfter = [];
    for await (const o of storage.list("data/")) dataAfter.push(o.key);
    expect(dataAfter).toEqual(dataBefore);
    expect((await viaThird.listKeySlots()).length).toBe(1);
  });

  it("calibrates Argon2id to about half a second on this machine and records it", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage, { kdf: { algorithm: "argon2id", calibrate: { targetMs: 500 } } });
    const kdf = repo.keySlot.kdf;
    expect(kdf.algorithm).toBe("argon2id");
    const measured = repo.keySlot.calibration!.measuredMs;
    console.log(`calibrated: ${repo.config.kdf.params}, derivation took ${measured} ms`);
    expect(measured).toBeGreaterThan(150);
    expect(measured).toBeLessThan(2500); // shared machine: generous
    const start = performance.now();
    await openRepository(storage, "correct horse");
    console.log(`unlock took ${Math.round(performance.now() - start)} ms`);
  });
});
