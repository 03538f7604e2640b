// An independent reader written from FORMAT.md alone (sections 2–6 and 10), sharing no code
// with the package: node:crypto for HKDF, HMAC and AES-256-GCM, @noble/hashes for Argon2id,
// fzstd for zstd, and @cairn/manifest only for the manifest plaintext (section 7). It opens a
// repository the package wrote, checks every layout rule the document states (names, AADs,
// nonces, padding, header contiguity, index records), and rebuilds every file byte for byte.
// If the document and the code ever disagree, this test fails.
import { createDecipheriv, createHash, createHmac, hkdfSync } from "node:crypto";
import { argon2id } from "@noble/hashes/argon2.js";
import { createTree, decodeSnapshot, decodeTree, type Tree } from "@cairn/manifest";
import { MemoryStorage, type Storage } from "@cairn/storage";
import { decompress as zstdDecompress } from "fzstd";
import { describe, expect, it } from "vitest";
import { bytesOf, dirNode, fileNode, newRepo, snapshotOf } from "./helpers.js";

const u32 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! * 2 ** 24);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const utf8 = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const hmac = (key: Uint8Array, data: Uint8Array) => new Uint8Array(createHmac("sha256", key).update(data).digest());
const hkdf = (ikm: Uint8Array, salt: Uint8Array, info: string) => new Uint8Array(hkdfSync("sha256", ikm, salt, utf8(info), 32));

/** AES-256-GCM open (§2.1: ciphertext || 16-byte tag). */
function gcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  const d = createDecipheriv("aes-256-gcm", key, nonce);
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]));
}

/** §5.5 */
function padme(l: number): number {
  if (l < 2) return l;
  const e = Math.floor(Math.log2(l));
  const s = Math.floor(Math.log2(e)) + 1;
  return Math.ceil(l / 2 ** (e - s)) * 2 ** (e - s);
}

const TYPES = { config: 1, index: 2, snapshot: 3, lock: 4, pack: 5 } as const;

/** §4.1: checks the preamble and returns its salt. */
function preamble(bytes: Uint8Array, type: keyof typeof TYPES): Uint8Array {
  expect(hex(bytes.subarray(0, 4))).toBe("43414952");
  expect([bytes[4], bytes[5], bytes[6], bytes[7]]).toEqual([1, TYPES[type], 0, 0]);
  return bytes.subarray(8, 40);
}

class Reader {
  constructor(
    private readonly storage: Storage,
    private readonly keys: { enc: Uint8Array; blobId: Uint8Array; chunker: Uint8Array },
  ) {}

  nameKey = () => hkdf(this.keys.enc, new Uint8Array(32), "cairn/v1/object-name");

  /** §4.3 single-message objects; checks the content-derived name (§4.4) where there is one. */
  async open(key: string, type: keyof typeof TYPES): Promise<Uint8Array> {
    const bytes = await this.storage.get(key);
    const salt = preamble(bytes, type);
    const plain = gcmOpen(hkdf(this.keys.enc, salt, `cairn/v1/${type}`), new Uint8Array(12), bytes.subarray(40), cat(bytes.subarray(0, 40), utf8(key)));
    if (key !== "config") expect(key.split("/")[1]).toBe(hex(hmac(this.nameKey(), cat(bytes.subarray(0, 40), plain))));
    return plain;
  }
}

describe("an independent reader written from FORMAT.md", () => {
  it("opens the key slot, config, index, packs and snapshot, and rebuilds every file", async () => {
    const storage = new MemoryStorage();
    const repo = await newRepo(storage, { packSize: 40_000 });
    const files = [bytesOf(1, 70_000, true), bytesOf(2, 50_000), new Uint8Array(0), bytesOf(3, 10, true)];
    const nodes = [];
    for (const [i, content] of files.entries()) {
      const { id } = await repo.saveBlob("data", content);
      nodes.push(fileNode(`f${i}`, content.length === 0 ? [] : [{ id, length: content.length }]));
    }
    const sub = await repo.saveTree(createTree(nodes));
    const root = await repo.saveTree(createTree([dirNode("d", sub)]));
    const snapshotId = await repo.saveSnapshot(snapshotOf(root, 5n));
    await repo.close();

    // §3.3 key slot → §3.1 master keys.
    const slotKeys: string[] = [];
    for await (const o of storage.list("keys/")) slotKeys.push(o.key);
    expect(slotKeys).toHaveLength(1);
    interface SlotJson {
      cairn: string;
      version: number;
      id: string;
      sealed: string;
      checksum: string;
      kdf: { algorithm: string; memoryKiB: number; iterations: number; parallelism: number; salt: string };
    }
    const slot = JSON.parse(new TextDecoder().decode(await storage.get(slotKeys[0]!))) as SlotJson;
    const kdf = slot.kdf;
    expect([slot.cairn, slot.version, `keys/${slot.id}`, kdf.algorithm]).toEqual(["key-slot", 1, slotKeys[0], "argon2id"]);
    const salt = new Uint8Array(Buffer.from(kdf.salt, "base64"));
    const aad = cat(utf8(`cairn/v1/key-slot|${slot.id}|argon2id|v=19|m=${kdf.memoryKiB}|t=${kdf.iterations}|p=${kdf.parallelism}`), salt);
    const sealed = new Uint8Array(Buffer.from(slot.sealed, "base64"));
    expect(sealed.length).toBe(113);
    expect(slot.checksum).toBe(createHash("sha256").update(cat(aad, sealed)).digest("hex"));
    const kek = argon2id(utf8("correct horse"), salt, { t: kdf.iterations, m: kdf.memoryKiB, p: kdf.parallelism, dkLen: 32 });
    const master = gcmOpen(kek, new Uint8Array(12), sealed, aad);
    expect([master.length, master[0]]).toEqual([97, 1]);
    const reader = new Reader(storage, { enc: master.slice(1, 33), blobId: master.slice(33, 65), chunker: master.slice(65, 97) });

    // §2.3 config.
    const config = JSON.parse(new TextDecoder().decode(await reader.open("config", "config"))) as { cairn: string; version: number; compression: { algorithm: string } };
    expect([config.cairn, config.version]).toEqual(["repository", 1]);
    expect(config.compression.algorithm).toBe("zstd");

    // §6.1 index objects → blob locations.
    const located = new Map<string, { packId: string; salt: Uint8Array; offset: number; sealedLength: number; rawLength: number; type: number; codec: number }>();
    const packSizes = new Map<string, number>();
    for await (const { key } of storage.list("index/")) {
      const p = await reader.open(key, "index");
      expect([p[0], p[1], p[2], p[3]]).toEqual([1, 0, 0, 0]);
      const [packs, blobs, garbage] = [u32(p, 4), u32(p, 8), u32(p, 12)];
      expect(p.length).toBe(16 + 72 * packs + 52 * blobs + 44 * garbage);
      const packList = Array.from({ length: packs }, (_, i) => ({ id: hex(p.subarray(16 + 72 * i, 48 + 72 * i)), salt: p.slice(48 + 72 * i, 80 + 72 * i), size: u32(p, 80 + 72 * i) }));
      for (const pk of packList) packSizes.set(pk.id, pk.size);
      let previous = "";
      for (let i = 0, at = 16 + 72 * packs; i < blobs; i++, at += 52) {
        const id = hex(p.subarray(at, at + 32));
        expect(id > previous).toBe(true); // strictly ascending
        previous = id;
        const pack = packList[u32(p, at + 32)]!;
        located.set(id, { packId: pack.id, salt: pack.salt, offset: u32(p, at + 36), sealedLength: u32(p, at + 40), rawLength: u32(p, at + 44), type: p[at + 48]!, codec: p[at + 49]! });
      }
    }

    // §5: every pack's header, padding and name.
    const nameKey = reader.nameKey();
    for await (const { key, size } of storage.list("data/")) {
      const bytes = await storage.get(key);
      const packId = key.slice(5);
      expect(packSizes.get(packId)).toBe(size);
      const psalt = preamble(bytes, "pack");
      const subkey = hkdf(reader["keys"].enc, psalt, "cairn/v1/pack");
      const headerLength = u32(bytes, size - 4);
      const headerOffset = size - 4 - headerLength;
      const nonce = new Uint8Array(12);
      Buffer.from(nonce.buffer).writeUIntLE(headerOffset, 0, 6);
      nonce[8] = 1;
      const header = gcmOpen(subkey, nonce, bytes.subarray(headerOffset, size - 4), cat(bytes.subarray(0, 40), utf8(key)));
      const count = u32(header, 4);
      const unpadded = header.subarray(0, 8 + 44 * count);
      expect(header.subarray(8 + 44 * count).every((b) => b === 0)).toBe(true);
      expect(hex(hmac(nameKey, cat(bytes.subarray(0, 40), unpadded)))).toBe(packId);
      let offset = 40;
      let sealedTotal = 0;
      for (let i = 0; i < count; i++) {
        const e = 8 + 44 * i;
        const loc = located.get(hex(header.subarray(e + 12, e + 44)))!;
        expect([loc.type, loc.codec, loc.offset, loc.sealedLength, loc.rawLength]).toEqual([header[e], header[e + 1], offset, u32(header, e + 4), u32(header, e + 8)]);
        offset += u32(header, e + 4);
        sealedTotal += u32(header, e + 4);
      }
      expect(offset).toBe(headerOffset);
      expect(size).toBe(padme(40 + sealedTotal + 8 + 44 * count + 16 + 4));
    }

    // §5.2 + §10 + §4.5: one blob, by its index entry alone.
    const readBlob = async (id: string): Promise<Uint8Array> => {
      const loc = located.get(id)!;
      const sealedBlob = await storage.get(`data/${loc.packId}`, { offset: loc.offset, length: loc.sealedLength });
      const nonce = new Uint8Array(12);
      Buffer.from(nonce.buffer).writeUIntLE(loc.offset, 0, 6);
      const meta = new Uint8Array(6);
      meta[0] = loc.type;
      meta[1] = loc.codec;
      Buffer.from(meta.buffer).writeUInt32LE(loc.rawLength, 2);
      const stored = gcmOpen(hkdf(reader["keys"].enc, loc.salt, "cairn/v1/pack"), nonce, sealedBlob, cat(meta, Buffer.from(id, "hex")));
      const plain = loc.codec === 1 ? zstdDecompress(stored) : stored;
      expect(plain.length).toBe(loc.rawLength);
      expect(hex(hmac(reader["keys"].blobId, plain))).toBe(id);
      return plain;
    };
    expect([...located.values()].some((l) => l.codec === 1)).toBe(true); // zstd blobs were read
    expect([...located.values()].some((l) => l.codec === 0)).toBe(true); // and raw ones

    // §7 via the snapshot: every file rebuilt.
    const snapshot = decodeSnapshot(await reader.open(`snapshots/${snapshotId}`, "snapshot"));
    const top: Tree = decodeTree(await readBlob(snapshot.tree));
    const dir = top.nodes[0]!;
    expect(dir.type).toBe("dir");
    const listing = decodeTree(await readBlob((dir as { subtree: string }).subtree));
    for (const [i, node] of listing.nodes.entries()) {
      const content = node.type === "file" ? node.content : [];
      const parts = [];
      for (const c of content) if (c.kind === "data") parts.push(await readBlob(c.id));
      expect(Buffer.compare(Buffer.concat(parts), Buffer.from(files[i]!)), `file f${i}`).toBe(0);
    }
    expect(reader["keys"].chunker.length).toBe(32);
  });
});
