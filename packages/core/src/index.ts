// @cairn/core: the performance-critical building blocks every other Cairn package uses.
// Browser-safe: no Node built-ins are imported; Node's crypto is found at run time if present.
export { AuthenticationError } from "./errors.js";

export {
  AES_KEY_LENGTH,
  GCM_MAX_NONCE_LENGTH,
  GCM_NONCE_LENGTH,
  GCM_TAG_LENGTH,
  availableAesEngines,
  createAes,
  type Aes,
  type AesEngineChoice,
  type AesEngineName,
} from "./aes.js";

export {
  BLOB_ID_KEY_LENGTH,
  BLOB_ID_LENGTH,
  availableBlobIdEngines,
  createBlobIdHasher,
  type BlobIdEngineChoice,
  type BlobIdEngineName,
  type BlobIdHasher,
} from "./blobId.js";

export { HKDF_SHA256_MAX_LENGTH, hkdfSha256, type HkdfEngineChoice, type HkdfEngineName } from "./hkdf.js";

export { CHUNKER_PRESETS, chunkBoundaries, createChunker, type Chunker, type ChunkerParams } from "./chunker.js";
