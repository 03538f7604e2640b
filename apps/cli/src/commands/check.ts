// `cairn check`: verify the repository's structure, and with --read-data every byte of every
// pack (or a subset). Every problem names the object it concerns and the snapshot files that
// depend on it, so the user knows exactly what a damaged pack costs them. Exit code 1 if any
// error-level problem was found; warnings (leftovers of interrupted writers, which prune cleans
// up) do not fail the check.
import type { CheckOptions, CheckReport } from "@cairn/repository";
import { InvalidArgumentError, type Command } from "commander";
import { EXIT_FAILURE, EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { formatBytes } from "../format/size.js";
import { printable } from "../format/text.js";
import type { Output } from "../io/output.js";

/** "n/m" (the n-th of m disjoint groups of packs), "P%" or a fraction "0.1". */
export type DataSubset = { readonly group: number; readonly of: number } | { readonly fraction: number };

export function parseSubset(value: string): DataSubset {
  let m = /^(\d+)\/(\d+)$/.exec(value);
  if (m) {
    const group = Number(m[1]);
    const of = Number(m[2]);
    if (of < 1 || group < 1 || group > of) throw new InvalidArgumentError(`expected n/m with 1 <= n <= m, got ${JSON.stringify(value)}`);
    return { group, of };
  }
  m = /^(\d+(?:\.\d+)?)%$/.exec(value);
  const fraction = m ? Number(m[1]) / 100 : /^0?\.\d+$|^1(\.0+)?$/.test(value) ? Number(value) : NaN;
  if (!(fraction > 0 && fraction <= 1)) throw new InvalidArgumentError(`expected n/m, a percentage such as 10% or a fraction such as 0.1, got ${JSON.stringify(value)}`);
  return { fraction };
}

/** Pack IDs of group n of m: a stable partition by ID, so running 1/m … m/m reads each pack once. */
function inGroup(packId: string, subset: { group: number; of: number }): boolean {
  return parseInt(packId.slice(0, 8), 16) % subset.of === subset.group - 1;
}

const AFFECTED_SHOWN = 20;

function printReport(out: Output, report: CheckReport): void {
  for (const p of report.problems) {
    out.print(`${p.severity}: ${printable(p.message)}`);
    const shown = out.verbose ? p.affected : p.affected.slice(0, AFFECTED_SHOWN);
    for (const a of shown) out.print(`  affects ${a.path} in snapshot ${a.snapshotId.slice(0, 8)}`);
    if (shown.length < p.affected.length) out.print(`  … and ${p.affected.length - shown.length} more (--verbose lists them all)`);
  }
}

export function registerCheck(program: Command, env: CommandEnv): void {
  program
    .command("check")
    .description("check the repository for errors (with --read-data, read and verify all data)")
    .option("--read-data", "read every pack and verify every blob")
    .option("--read-data-subset <subset>", "read only part of the data: n/m (group n of m), P% or a fraction (random packs)", parseSubset)
    .option("--seed <n>", "seed for a percentage subset (default: random)", (v) => Number.parseInt(v, 10))
    .addHelpText("after", "\nExamples:\n  cairn check --repo /srv/backup\n  cairn check --repo /srv/backup --read-data\n  cairn check --repo /srv/backup --read-data-subset 1/7   # one seventh a day covers everything in a week")
    .action(
      runAction(env, async (session, _args, opts) => {
        const repo = await session.open();
        const subset = opts.readDataSubset as DataSubset | undefined;
        let readData: CheckOptions["readData"] = opts.readData === true;
        if (subset && "fraction" in subset) {
          const seed = (opts.seed as number | undefined) ?? Math.floor(Math.random() * 2 ** 31);
          readData = { fraction: subset.fraction, seed };
          session.out.detail(`reading ${subset.fraction * 100}% of the packs (seed ${seed})`);
        } else if (subset) {
          const packs: string[] = [];
          for await (const { key } of repo.storage.list("data/")) {
            const id = key.slice("data/".length);
            if (inGroup(id, subset)) packs.push(id);
          }
          readData = { packs };
          session.out.detail(`reading pack group ${subset.group} of ${subset.of} (${packs.length} packs)`);
        }
        // A shared lock keeps prune from deleting packs while we read them.
        if (session.globals.lock !== false) {
          const lock = await repo.acquireLock(false);
          session.onClose(() => lock.release());
        }
        session.out.note(readData ? "checking structure and reading data…" : "checking structure…");
        const report = await repo.check({ readData });
        session.out.emit(report);
        printReport(session.out, report);
        const c = report.counts;
        const errors = report.problems.filter((p) => p.severity === "error").length;
        const warnings = report.problems.length - errors;
        session.out.message(
          `${c.snapshots} snapshots, ${c.trees} trees, ${c.packs} packs, ${c.blobs} blobs checked${c.packsRead > 0 ? `; read ${c.packsRead} packs (${formatBytes(c.bytesRead)})` : ""}`,
        );
        if (report.ok) session.out.message(warnings > 0 ? `no errors were found (${warnings} warning${warnings === 1 ? "" : "s"})` : "no errors were found");
        else session.out.print(`${errors} error${errors === 1 ? "" : "s"} found${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`);
        return report.ok ? EXIT_OK : EXIT_FAILURE;
      }),
    );
}
