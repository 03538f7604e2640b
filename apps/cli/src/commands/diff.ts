// `cairn diff A B`: what changed between two snapshots (see snapshot/treeDiff.ts for the
// letters), then a summary.
import type { Command } from "commander";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { formatBytes } from "../format/size.js";
import { nodeJson, nodeSize } from "../format/node.js";
import { pickSnapshot } from "../snapshot/select.js";
import { diffTrees, type ChangeKind } from "../snapshot/treeDiff.js";

export function registerDiff(program: Command, env: CommandEnv): void {
  program
    .command("diff")
    .description("show the differences between two snapshots")
    .argument("<from>", 'snapshot ID (prefix) or "latest"')
    .argument("<to>", 'snapshot ID (prefix) or "latest"')
    .option("--metadata", "also list entries whose metadata only changed (U)")
    .addHelpText("after", "\nExample:\n  cairn diff --repo /srv/backup 4f2a91c0 latest\n\n  + added   - removed   M content changed   T type changed   U metadata changed (with --metadata)")
    .action(
      runAction(env, async (session, args, opts) => {
        const [fromRef, toRef] = args as [string, string];
        const repo = await session.open();
        const all = await repo.listSnapshots();
        const from = pickSnapshot(all, fromRef);
        const to = pickSnapshot(all, toRef);
        const counts: Record<ChangeKind, number> = { "+": 0, "-": 0, M: 0, T: 0, U: 0 };
        let bytesAdded = 0n;
        let bytesRemoved = 0n;
        const changes: Record<string, unknown>[] = [];
        for await (const c of diffTrees(repo, from.snapshot.tree, to.snapshot.tree)) {
          counts[c.kind]++;
          const before = c.before ? nodeSize(c.before) : 0n;
          const after = c.after ? nodeSize(c.after) : 0n;
          if (after > before) bytesAdded += after - before;
          else bytesRemoved += before - after;
          if (c.kind === "U" && opts.metadata !== true) continue;
          if (session.out.json) changes.push({ change: c.kind, path: c.path, ...(c.before ? { before: nodeJson(c.path, c.before) } : {}), ...(c.after ? { after: nodeJson(c.path, c.after) } : {}) });
          else session.out.print(`${c.kind.padEnd(4)} ${c.path}${c.after?.type === "dir" || (c.kind === "-" && c.before?.type === "dir") ? "/" : ""}`);
        }
        const summary = { added: counts["+"], removed: counts["-"], modified: counts.M, typeChanged: counts.T, metadataChanged: counts.U, bytesAdded, bytesRemoved };
        session.out.emit({ from: from.id, to: to.id, changes, summary });
        session.out.message("");
        session.out.message(
          `${counts["+"]} added, ${counts["-"]} removed, ${counts.M} modified, ${counts.T} changed type, ${counts.U} with new metadata; ${formatBytes(bytesAdded)} added, ${formatBytes(bytesRemoved)} removed`,
        );
      }),
    );
}
