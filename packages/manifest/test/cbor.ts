// A tiny CBOR writer for tests, written from FORMAT.md §7.2 alone (not from src/codec), so it can
// craft invalid objects for rejection tests and check the library's bytes independently.
export type Item = Uint8Array;

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Shortest-form head. */
export function head(major: number, arg: number | bigint): Uint8Array {
  const n = BigInt(arg);
  const m = major << 5;
  if (n < 24n) return Uint8Array.of(m | Number(n));
  if (n < 0x100n) return Uint8Array.of(m | 24, Number(n));
  if (n < 0x10000n) return Uint8Array.of(m | 25, Number(n >> 8n), Number(n & 0xffn));
  if (n < 0x100000000n) return Uint8Array.of(m | 26, ...[24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)));
  return Uint8Array.of(m | 27, ...[56n, 48n, 40n, 32n, 24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)));
}

export const uint = (n: number | bigint) => head(0, n);
export const int = (n: bigint) => (n >= 0n ? head(0, n) : head(1, -1n - n));
export const bytes = (b: Uint8Array | number[]) => concat([head(2, b.length), Uint8Array.from(b)]);
export const text = (s: string) => {
  const b = new TextEncoder().encode(s);
  return concat([head(3, b.length), b]);
};
export const array = (items: readonly Item[]) => concat([head(4, items.length), ...items]);
/** A map with entries written in the order given (tests may give them out of order on purpose). */
export const map = (entries: readonly (readonly [number, Item])[]) => concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [uint(k), v])]);

export const TREE_HEADER = Uint8Array.of(0x43, 0x52, 0x4e, 0x54, 0x01);
export const SNAPSHOT_HEADER = Uint8Array.of(0x43, 0x52, 0x4e, 0x53, 0x01);
export const tree = (body: Item) => concat([TREE_HEADER, body]);
export const snapshot = (body: Item) => concat([SNAPSHOT_HEADER, body]);
export { concat };

export const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));
export const utf8 = (s: string) => new TextEncoder().encode(s);

/** The fields of a minimal valid fifo node named `name`, for tests to extend or break. */
export function fifoFields(name: Uint8Array | string): [number, Item][] {
  return [
    [0, bytes(typeof name === "string" ? utf8(name) : name)],
    [1, uint(4)],
    [2, uint(0o644)],
    [3, uint(1000)],
    [4, uint(1000)],
    [7, int(0n)],
    [8, int(0n)],
  ];
}
