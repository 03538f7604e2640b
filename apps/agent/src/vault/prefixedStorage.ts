// A Storage that is a key prefix of another (`r0/config` stored as `<prefix>config`). A vault
// holds one repository per encryption generation (see vaultRepository.ts) plus uploaded log
// files, each under its own prefix, so none of them can see or touch the others' keys.
import { validateKey, validatePrefix, type ByteRange, type ObjectInfo, type ObjectStat, type OperationOptions, type Storage } from "@cairn/storage";

export class PrefixedStorage implements Storage {
  /** @throws {RangeError} unless `prefix` is a non-empty valid key prefix ending in `/`. */
  constructor(
    private readonly inner: Storage,
    readonly prefix: string,
  ) {
    if (!prefix.endsWith("/")) throw new RangeError(`prefix: expected a prefix ending in "/", got ${JSON.stringify(prefix)}`);
    validatePrefix(prefix);
  }

  async put(key: string, data: Uint8Array, options?: OperationOptions): Promise<void> {
    validateKey(key);
    return this.inner.put(this.prefix + key, data, options);
  }

  async get(key: string, range?: ByteRange, options?: OperationOptions): Promise<Uint8Array> {
    validateKey(key);
    return this.inner.get(this.prefix + key, range, options);
  }

  async stat(key: string, options?: OperationOptions): Promise<ObjectStat> {
    validateKey(key);
    return this.inner.stat(this.prefix + key, options);
  }

  async *list(prefix = "", options?: OperationOptions): AsyncGenerator<ObjectInfo> {
    validatePrefix(prefix);
    for await (const info of this.inner.list(this.prefix + prefix, options)) yield { key: info.key.slice(this.prefix.length), size: info.size };
  }

  async delete(key: string, options?: OperationOptions): Promise<void> {
    validateKey(key);
    return this.inner.delete(this.prefix + key, options);
  }
}
