// What the repository's operations share once a repository is unlocked. Modules take the parts
// they need (STYLE item 4); this is only the bundle the Repository hands them.
import type { BlobIdHasher } from "@cairn/core";
import type { Storage } from "@cairn/storage";
import type { BlobCompressor } from "../compression.js";
import type { RepositoryConfig } from "../config.js";
import type { ObjectCipher } from "../crypto/objectCipher.js";
import type { IndexView } from "../index/indexView.js";

export interface RepositoryContext {
  readonly storage: Storage;
  readonly cipher: ObjectCipher;
  readonly compressor: BlobCompressor;
  readonly blobIds: BlobIdHasher;
  readonly index: IndexView;
  readonly config: RepositoryConfig;
}
