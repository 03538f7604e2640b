// @cairn/repository: the encrypted, deduplicated, content-addressed store — key slots, per-object
// subkeys, packs, a sharded index, snapshots, check, forget and prune — over any @cairn/storage
// backend. Browser-safe: no Node built-ins. The format is specified in FORMAT.md (repository
// sections) in @cairn/manifest.
export {
  BlobNotFoundError,
  CorruptObjectError,
  KeySlotCorruptError,
  LastKeySlotError,
  LockLostError,
  MissingObjectError,
  PruneRefusedError,
  RepositoryError,
  RepositoryExistsError,
  RepositoryLockedError,
  RepositoryNotFoundError,
  UnsupportedVersionError,
  WrongPasswordError,
} from "./errors.js";

export { DEFAULT_PACK_SIZE, initRepository, openRepository, Repository, type InitOptions, type OpenOptions } from "./repository.js";
export type { EncodedBlob, SavedBlob } from "./blobWriter.js";
export { REPOSITORY_VERSION, type RepositoryConfig } from "./config.js";
export { createBlobEncoder, DEFAULT_COMPRESSION, type BlobEncoder, type CompressionSetting } from "./compression.js";
export { setZstdWasmSource } from "./internal/zstdWasm.js";
export { DEFAULT_KDF, type NewSlotOptions } from "./keys/keyring.js";
export type { KeySlotInfo } from "./keys/keySlot.js";
export { deriveKek, KDF_LIMITS, type KdfAlgorithm, type KdfCalibration, type KdfChoice, type KdfParams } from "./keys/passwordKdf.js";
export { listLocks, removeLocks, RepositoryLock, type LockOptions, type LockRecord } from "./locks.js";
export { padme, type BlobType, type PackEntry } from "./pack/packFormat.js";
export type { BlobLocation } from "./pack/packReader.js";
export { blobRangeReader, type BlobRangeReader } from "./pack/rangeReader.js";
export { createBlobDecoder, type BlobCoding, type BlobDecoder } from "./pack/blobDecoder.js";
export { checkRepository, type CheckOptions } from "./check/check.js";
export type { AffectedFile, CheckProblem, CheckReport, ProblemKind } from "./check/report.js";
export { forgetSnapshots, type ForgetOptions, type ForgetResult, type ForgetTarget } from "./forget/forget.js";
export { applyRetentionPolicy, type GroupDecision, type PolicyOptions, type RetentionPolicy, type SnapshotDecision } from "./forget/policy.js";
export { DEFAULT_GRACE_MS, DEFAULT_REPACK_THRESHOLD, type PruneOptions, type PrunePhase, type PruneResult } from "./prune/prune.js";
