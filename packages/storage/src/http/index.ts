// The HTTP backend: browser-safe, exported from the main `@cairn/storage` entry.
export { HttpStorage, type HttpStorageOptions } from "./httpStorage.js";
export { HttpStorageError } from "./httpErrors.js";
