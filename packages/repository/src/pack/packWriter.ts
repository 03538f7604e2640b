// Assembles one pack in memory: blobs are sealed straight into a staging buffer (AES's `output`
// argument), so a 16 MiB pack costs no per-blob allocations; the buffer comes from the caller
// and goes back to it after the upload, so a writer cycles through two or three buffers for a
// whole backup (allocation and page faults cost more than AES on hardware engines).
import type { BlobId } from "@cairn/manifest";
import { idToBytes } from "@cairn/manifest";
import { utf8, writeU32 } from "../internal/bytes.js";
import { buildPreamble, PREAMBLE_LENGTH, TAG_LENGTH, type ObjectCipher } from "../crypto/objectCipher.js";
import { blobAad, blobNonce, encodeHeader, headerNonce, MAX_PACK_LENGTH, packKey, padme, TRAILER_LENGTH, type BlobType, type PackEntry } from "./packFormat.js";

/** A blob ready to be sealed into a pack: already compressed (or not) by the envelope. */
export interface EnvelopedBlob {
  readonly id: BlobId;
  readonly type: BlobType;
  readonly codec: number;
  readonly stored: Uint8Array;
  readonly rawLength: number;
}

/** A finished pack: its name and the bytes to store (a view of the staging buffer). */
export interface FinishedPack {
  readonly packId: string;
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly salt: Uint8Array;
  readonly entries: readonly PackEntry[];
  /** The staging buffer, to be reused once `bytes` has been stored. */
  readonly buffer: Uint8Array;
}

export class PackWriter {
  private readonly entries: PackEntry[] = [];
  private readonly headerEntries: { type: BlobType; codec: number; sealedLength: number; rawLength: number; idBytes: Uint8Array }[] = [];
  private offset = PREAMBLE_LENGTH;

  private constructor(
    private readonly cipher: ObjectCipher,
    private readonly preamble: Uint8Array,
    private subkey: Uint8Array,
    private buffer: Uint8Array,
  ) {
    buffer.set(preamble, 0);
  }

  /** Starts a pack with a fresh salt (hence a fresh subkey) in `buffer` (grown if too small). */
  static async start(cipher: ObjectCipher, buffer: Uint8Array = new Uint8Array(1 << 20)): Promise<PackWriter> {
    const preamble = buildPreamble("pack");
    const subkey = await cipher.subkey("pack", preamble.subarray(8));
    return new PackWriter(cipher, preamble, subkey, buffer.length >= PREAMBLE_LENGTH ? buffer : new Uint8Array(1 << 20));
  }

  /** Bytes written so far (preamble and sealed blobs). */
  get size(): number {
    return this.offset;
  }

  get count(): number {
    return this.entries.length;
  }

  private ensure(capacity: number): void {
    if (capacity > MAX_PACK_LENGTH) throw new RangeError(`pack would exceed ${MAX_PACK_LENGTH} bytes`);
    if (capacity <= this.buffer.length) return;
    const grown = new Uint8Array(Math.min(MAX_PACK_LENGTH, Math.max(capacity, Math.ceil(this.buffer.length * 1.5))));
    grown.set(this.buffer.subarray(0, this.offset));
    this.buffer = grown;
  }

  /** Seals `blob` at the end of the pack. */
  async add(blob: EnvelopedBlob): Promise<PackEntry> {
    const sealedLength = blob.stored.length + TAG_LENGTH;
    this.ensure(this.offset + sealedLength);
    const idBytes = idToBytes(blob.id);
    await this.cipher.aes.seal(this.subkey, blobNonce(this.offset), blob.stored, blobAad(blob.type, blob.codec, blob.rawLength, idBytes), this.buffer.subarray(this.offset));
    const entry: PackEntry = { id: blob.id, type: blob.type, codec: blob.codec, offset: this.offset, sealedLength, rawLength: blob.rawLength };
    this.entries.push(entry);
    this.headerEntries.push({ type: blob.type, codec: blob.codec, sealedLength, rawLength: blob.rawLength, idBytes });
    this.offset += sealedLength;
    return entry;
  }

  /**
   * Seals the header, pads (Padmé over the whole pack, the padding inside the encrypted header)
   * and names the pack. The writer must not be used afterwards; its subkey is wiped.
   */
  async finish(padding: boolean): Promise<FinishedPack> {
    const header = encodeHeader(this.headerEntries);
    const packId = await this.cipher.name(this.preamble, header);
    const key = packKey(packId);
    const unpadded = this.offset + header.length + TAG_LENGTH + TRAILER_LENGTH;
    const total = padding ? padme(unpadded) : unpadded;
    const headerPlain = new Uint8Array(header.length + (total - unpadded));
    headerPlain.set(header);
    this.ensure(total);
    const headerOffset = this.offset;
    const aad = new Uint8Array(PREAMBLE_LENGTH + key.length);
    aad.set(this.preamble);
    aad.set(utf8(key), PREAMBLE_LENGTH);
    await this.cipher.aes.seal(this.subkey, headerNonce(headerOffset), headerPlain, aad, this.buffer.subarray(headerOffset));
    writeU32(this.buffer, total - TRAILER_LENGTH, headerPlain.length + TAG_LENGTH);
    this.subkey.fill(0);
    this.subkey = new Uint8Array(0);
    return { packId, key, bytes: this.buffer.subarray(0, total), salt: this.preamble.slice(8), entries: this.entries, buffer: this.buffer };
  }

  /** Abandons the pack (wipes the subkey). */
  discard(): void {
    this.subkey.fill(0);
  }
}
