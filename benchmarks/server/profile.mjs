// Summarises a V8 CPU profile (`node --cpu-prof`) written by the server process: self time per
// function and per module, so a benchmark run with --profile shows where the server spends
// its CPU without opening a profiler UI.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

function moduleOf(url) {
  if (url === "") return "(native/V8)";
  const nm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const pkg = /packages\/([^/]+)\//.exec(url);
  if (pkg) return `@cairn/${pkg[1]}`;
  if (url.startsWith("node:")) return url.split("/")[0];
  return url;
}

/** Top `n` functions and modules by self time of the first .cpuprofile in `dir`, as text (undefined if none). */
export function summariseProfile(dir, n = 20) {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (file === undefined) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const fn = new Map();
  const mod = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const name = `${callFrame.functionName || "(anonymous)"} ${callFrame.url.replace(/^.*\/(node_modules|packages)\//, "$1/")}:${callFrame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const m = moduleOf(callFrame.url);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  // Inclusive time of the server's own functions (each counted once per stack), to see which
  // route or store dominates.
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at);
      if (!callFrame.url.includes("packages/server/")) continue;
      const name = `${callFrame.functionName || "(anonymous)"} ${callFrame.url.replace(/^.*\/packages\//, "")}:${callFrame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const top = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  return `by module:\n${top(mod)}\n\nby function (self):\n${top(fn)}\n\n@cairn/server functions (inclusive):\n${top(inclusive)}`;
}
