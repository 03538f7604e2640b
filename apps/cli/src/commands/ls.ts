// `cairn ls SNAPSHOT [PATH]`: list what a snapshot holds, below PATH (default: everything),
// depth first. Streams: one tree is loaded at a time, and --json writes a JSON array element by
// element, so listing a snapshot of millions of files needs no memory for the listing itself.
import type { Command } from "commander";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { longLine, nodeJson } from "../format/node.js";
import { addFilterOptions, filterFrom } from "../options/filter.js";
import { parseCount } from "../options/numbers.js";
import { resolveSnapshot } from "../snapshot/select.js";
import { locate, walkTree } from "../snapshot/walk.js";

export function registerLs(program: Command, env: CommandEnv): void {
  addFilterOptions(program.command("ls").description("list the files in a snapshot").argument("<snapshot>", 'snapshot ID (a unique prefix) or "latest"').argument("[path]", "directory or file in the snapshot (absolute)", "/"), "snapshots (for latest)")
    .option("-l, --long", "show type, permissions, owner, size and modification time")
    .option("--depth <n>", "descend at most n levels below PATH (default: all)", parseCount)
    .addHelpText("after", "\nExamples:\n  cairn ls --repo /srv/backup latest\n  cairn ls --repo /srv/backup 4f2a91c0 /home/alice --long --depth 1")
    .action(
      runAction(env, async (session, args, opts) => {
        const [ref, path] = args as [string, string];
        const repo = await session.open();
        const { id, snapshot } = await resolveSnapshot(repo, ref, filterFrom(opts));
        const depth = opts.depth as number | undefined;
        const long = opts.long === true;

        const show = (p: string, node: Parameters<typeof longLine>[1]) => {
          if (json) json.push(nodeJson(p, node));
          else session.out.print(long ? longLine(p, node) : p);
        };
        session.out.detail(`snapshot ${id}`);
        const start = await locate(repo, snapshot.tree, path);
        const json = session.out.json ? session.out.jsonArray() : undefined;
        if (start.node) show(start.path, start.node);
        if (start.kind === "dir" && depth !== 0) {
          for await (const entry of walkTree(repo, start.tree, start.path, depth ?? Infinity)) show(entry.path, entry.node);
        }
        json?.close();
      }),
    );
}
