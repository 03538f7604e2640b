// `cairn stats [SNAPSHOT…]`: how much the snapshots hold and how much the repository stores.
//  - restore size: files, directories and bytes a restore of each snapshot would write, summed;
//  - unique data: distinct data blobs the snapshots reference and their plaintext bytes (what
//    deduplication leaves);
//  - stored: bytes of the repository's objects by kind (packs, index, snapshots, keys), i.e.
//    after compression, encryption and padding.
// Trees shared between snapshots are walked once (their totals are memoised by tree ID).
import type { TreeId } from "@cairn/manifest";
import type { Command } from "commander";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { formatBytes } from "../format/size.js";
import { addFilterOptions, filterFrom } from "../options/filter.js";
import { filteredSnapshots, pickSnapshot, type ListedSnapshot } from "../snapshot/select.js";
import type { TreeLoader } from "../snapshot/walk.js";

interface Totals {
  files: number;
  dirs: number;
  others: number;
  bytes: bigint;
}

class TreeStats {
  private readonly memo = new Map<string, Totals>();
  readonly blobs = new Set<string>();
  uniqueBytes = 0n;
  constructor(private readonly loader: TreeLoader) {}

  async of(id: TreeId): Promise<Totals> {
    const hit = this.memo.get(id);
    if (hit) return hit;
    const t: Totals = { files: 0, dirs: 0, others: 0, bytes: 0n };
    for (const node of (await this.loader.loadTree(id)).nodes) {
      if (node.type === "file") {
        t.files++;
        t.bytes += node.size;
        for (const e of node.content) {
          if (e.kind === "data" && !this.blobs.has(e.id)) {
            this.blobs.add(e.id);
            this.uniqueBytes += BigInt(e.length);
          }
        }
      } else if (node.type === "dir") {
        t.dirs++;
        const sub = await this.of(node.subtree);
        t.files += sub.files;
        t.dirs += sub.dirs;
        t.others += sub.others;
        t.bytes += sub.bytes;
      } else t.others++;
    }
    this.memo.set(id, t);
    return t;
  }
}

const KINDS: Record<string, string> = { data: "packs", index: "index", snapshots: "snapshots", keys: "keys", locks: "locks", config: "config" };

export function registerStats(program: Command, env: CommandEnv): void {
  addFilterOptions(program.command("stats").description("show sizes: restore size, unique data, bytes stored").argument("[snapshots...]", 'snapshot IDs (prefixes) or "latest" (default: all matching the filters)'))
    .addHelpText("after", "\nExamples:\n  cairn stats --repo /srv/backup\n  cairn stats --repo /srv/backup latest --json")
    .action(
      runAction(env, async (session, args, opts) => {
        const [refs] = args as [string[]];
        const repo = await session.open();
        const filter = filterFrom(opts);
        let chosen: ListedSnapshot[];
        if (refs.length > 0) {
          const all = await repo.listSnapshots();
          const byId = new Map(refs.map((r) => pickSnapshot(all, r, filter)).map((s) => [s.id, s]));
          chosen = [...byId.values()];
        } else chosen = await filteredSnapshots(repo, filter);
        const stats = new TreeStats(repo);
        const restore: Totals = { files: 0, dirs: 0, others: 0, bytes: 0n };
        for (const s of chosen) {
          const t = await stats.of(s.snapshot.tree);
          restore.files += t.files;
          restore.dirs += t.dirs;
          restore.others += t.others;
          restore.bytes += t.bytes;
        }
        const stored: Record<string, number> = {};
        let storedTotal = 0;
        for await (const { key, size } of repo.storage.list("")) {
          const kind = KINDS[key.split("/")[0]!] ?? "other";
          stored[kind] = (stored[kind] ?? 0) + size;
          storedTotal += size;
        }
        const packs = stored.packs ?? 0;
        // Only meaningful when the snapshots are all of them: packs hold every snapshot's data.
        const whole = refs.length === 0 && !filter.hosts?.length && !filter.paths?.length && !filter.tags?.length;
        const ratio = whole && packs > 0 ? Number(stats.uniqueBytes) / packs : null;
        session.out.emit({
          snapshots: chosen.length,
          restoreSize: { files: restore.files, dirs: restore.dirs, others: restore.others, bytes: restore.bytes },
          uniqueData: { blobs: stats.blobs.size, bytes: stats.uniqueBytes },
          stored: { total: storedTotal, ...stored },
          dedupRatio: stats.uniqueBytes > 0n ? Number(restore.bytes) / Number(stats.uniqueBytes) : null,
          compressionRatio: ratio,
        });
        const o = session.out;
        o.print(`snapshots:            ${chosen.length}`);
        o.print(`restore size:         ${formatBytes(restore.bytes)} in ${restore.files} files, ${restore.dirs} directories${restore.others > 0 ? `, ${restore.others} other entries` : ""}`);
        o.print(`unique data:          ${formatBytes(stats.uniqueBytes)} in ${stats.blobs.size} blobs${stats.uniqueBytes > 0n ? ` (deduplication ${(Number(restore.bytes) / Number(stats.uniqueBytes)).toFixed(2)}x)` : ""}`);
        o.print(`stored in repository: ${formatBytes(storedTotal)} (packs ${formatBytes(packs)}${ratio !== null && chosen.length > 0 ? `; unique data is ${ratio.toFixed(2)}x the pack bytes` : ""})`);
        if (o.verbose) for (const [kind, size] of Object.entries(stored)) o.detail(`  ${kind.padEnd(10)} ${formatBytes(size)}`);
      }),
    );
}
