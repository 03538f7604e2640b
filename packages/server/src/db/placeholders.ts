// `?` -> `$1, $2, ...` for PostgreSQL. Question marks inside single-quoted literals are kept.

const cache = new Map<string, string>();

/** Rewrites `?` placeholders to PostgreSQL's numbered `$n` form (memoised per SQL text). */
export function toNumberedPlaceholders(sql: string): string {
  const hit = cache.get(sql);
  if (hit !== undefined) return hit;
  let out = "";
  let n = 0;
  let inString = false;
  for (const ch of sql) {
    if (ch === "'") inString = !inString;
    if (ch === "?" && !inString) {
      n += 1;
      out += `$${n}`;
    } else {
      out += ch;
    }
  }
  if (cache.size < 5000) cache.set(sql, out);
  return out;
}
