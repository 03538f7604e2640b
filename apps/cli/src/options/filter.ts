// The snapshot filters restic users know: --host, --path and --tag, each repeatable.
import type { Command } from "commander";
import type { SnapshotFilter } from "../snapshot/select.js";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addFilterOptions(command: Command, what = "snapshots"): Command {
  return command
    .option("--host <host>", `only ${what} of this host (repeatable)`, collect)
    .option("--path <path>", `only ${what} that include this path (repeatable: all must match)`, collect)
    .option("--tag <tag>", `only ${what} with this tag (repeatable: any may match)`, collect);
}

export function filterFrom(options: Record<string, unknown>): SnapshotFilter {
  return { hosts: options.host as string[] | undefined, paths: options.path as string[] | undefined, tags: options.tag as string[] | undefined };
}

export { collect };
