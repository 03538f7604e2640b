// A comparable image of a manifest value: byte arrays as hex, undefined made visible, so deep
// equality is exact (every key, every byte, bigint vs number) and fast on large byte fields.
export function canon(value: unknown): unknown {
  if (value === undefined) return "<undefined>";
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value.buffer, value.byteOffset, value.length).toString("hex")}`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return `${value}`;
  if (Array.isArray(value)) return value.map(canon);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canon((value as Record<string, unknown>)[k])]));
  }
  return value;
}
