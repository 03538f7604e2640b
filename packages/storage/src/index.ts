// @cairn/storage: the Storage interface and its contract, the memory backend, and the retry
// wrapper. Browser-safe: nothing here imports a Node built-in. The filesystem backend is the
// separate entry `@cairn/storage/fs`; the conformance suite and fault injection are
// `@cairn/storage/testing`.
export type { ByteRange, ObjectInfo, ObjectStat, OperationOptions, Storage } from "./storage.js";

export {
  KeyConflictError,
  ObjectExistsError,
  ObjectNotFoundError,
  RangeNotSatisfiableError,
  StorageError,
  StorageUnavailableError,
} from "./errors.js";

export { MAX_KEY_LENGTH, MAX_SEGMENT_LENGTH, isValidKey, validateKey, validatePrefix } from "./keys.js";

export { MemoryStorage } from "./memory.js";

export { HttpStorage, HttpStorageError, type HttpStorageOptions } from "./http/index.js";

export { withRetry, type RetryEvent, type RetryOptions, type StorageOperation } from "./retry.js";
