// Where each key lives on disk. By default `<root>/<key>`, so `snapshots/ab12` is the file
// `<root>/snapshots/ab12`. Optionally, objects under chosen prefixes are sharded restic-style
// into two-character subdirectories (`data/ab12…` → `<root>/data/ab/ab12…`), which keeps
// directories small when a repository holds hundreds of thousands of packs.
//
// Sharding must be a bijection between keys and files, or two keys could share a file. So
// under a sharded prefix the key space narrows: a key must be one segment of at least two
// characters after the prefix (`data/ab12`, not `data/a` or `data/x/y`); others are rejected
// with a RangeError. The layout is a property of the store on disk: open it with the same
// options every time.
import { join, sep } from "node:path";
import { isValidKey, validatePrefix } from "../keys.js";

export class Layout {
  readonly #root: string;
  readonly #sharded: readonly string[];

  /** @throws {RangeError} if a sharded prefix is malformed, lacks its final `/`, or nests in another. */
  constructor(root: string, shardedPrefixes: readonly string[]) {
    for (const prefix of shardedPrefixes) {
      validatePrefix(prefix);
      if (prefix === "" || !prefix.endsWith("/")) throw new RangeError(`shardedPrefixes: expected prefixes ending in '/', got ${JSON.stringify(prefix)}`);
      const nested = shardedPrefixes.find((other) => other !== prefix && prefix.startsWith(other));
      if (nested !== undefined) throw new RangeError(`shardedPrefixes: ${JSON.stringify(prefix)} lies inside ${JSON.stringify(nested)}`);
    }
    this.#root = root;
    this.#sharded = [...shardedPrefixes];
  }

  /**
   * The absolute path of the file holding `key` (already validated).
   * @throws {RangeError} if `key` lies under a sharded prefix but is not a shardable name.
   */
  pathOf(key: string): string {
    const prefix = this.#shardOf(key);
    if (prefix === undefined) return join(this.#root, ...key.split("/"));
    const name = key.slice(prefix.length);
    if (name.length < 2 || name.includes("/")) {
      throw new RangeError(`key: ${JSON.stringify(key)} lies under the sharded prefix ${JSON.stringify(prefix)}, so expected one segment of at least 2 characters after it`);
    }
    return join(this.#root, ...prefix.split("/").filter(Boolean), name.slice(0, 2), name);
  }

  /** The key stored at `relative` (a `/`-separated path below the root), or null if none is. */
  keyOf(relative: string): string | null {
    const prefix = this.#shardOf(relative);
    let key = relative;
    if (prefix !== undefined) {
      const parts = relative.slice(prefix.length).split("/");
      const [shard, name] = parts;
      if (parts.length !== 2 || shard === undefined || name === undefined || shard.length !== 2 || !name.startsWith(shard)) return null;
      key = prefix + name;
    }
    return isValidKey(key) ? key : null;
  }

  /** The `/`-separated directory below the root ("" or ending in `/`) holding every key that starts with `prefix`. */
  listStart(prefix: string): string {
    const sharded = this.#shardOf(prefix);
    if (sharded !== undefined) {
      const rest = prefix.slice(sharded.length);
      return rest.length >= 2 ? `${sharded}${rest.slice(0, 2)}/` : sharded;
    }
    return prefix.slice(0, prefix.lastIndexOf("/") + 1);
  }

  /** The directory of `relative` as an absolute path. */
  absolute(relative: string): string {
    return relative === "" ? this.#root : join(this.#root, ...relative.split("/").filter(Boolean));
  }

  /** True when `path` is strictly inside the root. */
  isBelowRoot(path: string): boolean {
    return path.startsWith(this.#root.endsWith(sep) ? this.#root : this.#root + sep);
  }

  #shardOf(key: string): string | undefined {
    return this.#sharded.find((prefix) => key.startsWith(prefix));
  }
}
