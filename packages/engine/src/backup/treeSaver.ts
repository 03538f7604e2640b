// Storing directory trees. A tree is encoded and hashed here (trees are small; the hash is
// native HMAC-SHA-256); if the ID equals the parent snapshot's tree for the same directory the
// directory is unchanged and nothing is stored or even looked up — the parent snapshot already
// references it. Otherwise the tree is compressed and handed to the pack writer, which dedupes
// it against the index like any blob.
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { encodeTree, type Tree, type TreeId } from "@cairn/manifest";
import { createBlobEncoder, type BlobEncoder, type Repository } from "@cairn/repository";

export class TreeSaver {
  treeBlobsAdded = 0;
  bytesAdded = 0;
  bytesStored = 0;

  private constructor(
    private readonly repo: Repository,
    private readonly key: Buffer,
    private readonly encoder: BlobEncoder,
  ) {}

  static async create(repo: Repository): Promise<TreeSaver> {
    const key = repo.blobIdKey();
    const saver = new TreeSaver(repo, Buffer.from(key), await createBlobEncoder(repo.config.compression));
    key.fill(0);
    return saver;
  }

  /** Stores `tree` unless its ID is `previous`; returns its ID. */
  async save(tree: Tree, previous: TreeId | null): Promise<TreeId> {
    const bytes = encodeTree(tree);
    const id = createHmac("sha256", this.key).update(bytes).digest("hex") as TreeId;
    if (id === previous) return id;
    const { codec, stored } = this.encoder.encode(bytes);
    const saved = await this.repo.saveEncodedBlob({ id, type: "tree", codec, stored, rawLength: bytes.length });
    if (saved.added) {
      this.treeBlobsAdded++;
      this.bytesAdded += bytes.length;
      this.bytesStored += saved.storedLength;
    }
    return id;
  }

  /** Wipes the ID key. */
  dispose(): void {
    this.key.fill(0);
  }
}
