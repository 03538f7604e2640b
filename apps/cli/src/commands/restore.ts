// `cairn restore SNAPSHOT --target DIR`: restore a snapshot (or part of it) into a directory.
// Like restic, paths keep their absolute location below the target: /home/alice/x lands at
// DIR/home/alice/x; `SNAPSHOT:/home` makes /home's contents land directly in DIR. Re-running an
// interrupted restore resumes (files already complete are kept). Nothing is ever written
// outside DIR, whatever names the snapshot holds. Entries that could not be restored are
// listed and the command exits 1; the rest is restored.
import type { RestoreOptions, RestoreResult } from "@cairn/engine";
import { InvalidArgumentError, type Command } from "commander";
import { CliError, usageError } from "../cli/cliError.js";
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import type { Session } from "../cli/session.js";
import { formatBytes, formatDuration, plural } from "../format/size.js";
import { printable } from "../format/text.js";
import { createProgress } from "../io/progress.js";
import { addFilterOptions, collect, filterFrom } from "../options/filter.js";
import { parseCount } from "../options/numbers.js";
import { resolveSnapshot } from "../snapshot/select.js";

type OverwritePolicy = NonNullable<RestoreOptions["overwrite"]>;

function parseOverwrite(value: string): OverwritePolicy {
  if (value === "never" || value === "if-changed" || value === "always") return value;
  throw new InvalidArgumentError(`expected never, if-changed or always, got ${JSON.stringify(value)}`);
}

/** "latest", "4f2a91c0" or "4f2a91c0:/home/alice" → snapshot reference and subtree. */
export function splitSnapshotRef(ref: string): { ref: string; subtree?: string } {
  const colon = ref.indexOf(":");
  if (colon < 0) return { ref };
  const subtree = ref.slice(colon + 1);
  if (!subtree.startsWith("/")) throw usageError(`${JSON.stringify(ref)}: the part after ":" must be an absolute path in the snapshot, e.g. latest:/home`);
  return { ref: ref.slice(0, colon), subtree: subtree.length > 1 ? subtree.replace(/\/+$/, "") : "/" };
}

function summary(session: Session, r: RestoreResult): void {
  const out = session.out;
  const verb = r.dryRun ? "would restore" : "restored";
  out.message(
    `${verb} ${plural(r.totals.files, "file")}, ${plural(r.totals.directories, "directory", "directories")}${r.totals.symlinks > 0 ? `, ${plural(r.totals.symlinks, "symlink")}` : ""}${r.totals.hardlinks > 0 ? `, ${plural(r.totals.hardlinks, "hard link")}` : ""}${r.totals.specials > 0 ? `, ${plural(r.totals.specials, "special file")}` : ""} (${formatBytes(r.totals.fileBytes)}) into ${r.target}${r.dryRun ? "" : ` in ${formatDuration(r.durationMs / 1000)}`}`,
  );
  if (!r.dryRun) out.detail(`  ${r.filesWritten} files written, ${r.filesUnchanged} already matching, ${formatBytes(r.bytesFetched)} read from the repository in ${r.requests} requests${r.removed > 0 ? `, ${r.removed} removed` : ""}`);
  if (r.totals.unchanged > 0) out.message(`${plural(r.totals.unchanged, "entry", "entries")} already matched and ${r.totals.unchanged === 1 ? "was" : "were"} kept`);
  for (const s of r.skipped) out.warn(`skipped ${printable(s.path)}: ${printable(s.detail)}`);
  for (const w of r.warnings) out.warn(`${printable(w.path)}: ${printable(w.message)}`);
}

function resultJson(r: RestoreResult, failures: readonly { path: string; message: string }[] = []): Record<string, unknown> {
  const { plan: _plan, ...rest } = r;
  return { ...rest, failures: failures.map((f) => ({ path: f.path, message: f.message })) };
}

export function registerRestore(program: Command, env: CommandEnv): void {
  addFilterOptions(
    program
      .command("restore")
      .description("restore a snapshot into a directory")
      .argument("<snapshot>", 'snapshot ID (a unique prefix) or "latest"; SNAPSHOT:/dir restores only /dir, into the target itself')
      .requiredOption("-t, --target <dir>", "directory to restore into (created if missing)")
      .option("-i, --include <pattern>", "restore only paths matching this pattern, and what is below them (repeatable)", collect)
      .option("-e, --exclude <pattern>", "do not restore paths matching this pattern (repeatable)", collect)
      .option("--overwrite <policy>", "existing files: if-changed (default: size and mtime differ), always, never", parseOverwrite)
      .option("--delete", "remove files in restored directories that are not in the snapshot")
      .option("--verify", "compare existing files by content, not size and mtime (reuses matching parts)")
      .option("-n, --dry-run", "show what would be restored, write nothing")
      .option("--concurrency <n>", "pack ranges fetched at once (default 4)", parseCount),
    "snapshots (for latest)",
  )
    .addHelpText("after", "\nExamples:\n  cairn restore --repo /srv/backup latest --target /tmp/restore          # /home/a lands at /tmp/restore/home/a\n  cairn restore --repo /srv/backup 4f2a91c0:/home --target /home --include '/home/alice'\n\nRe-running an interrupted restore resumes it.")
    .action(
      runAction(env, async (session, args, opts) => {
        const { ref, subtree } = splitSnapshotRef(args[0] as string);
        const [{ restore, RestoreError, RestoreIncompleteError }, repo] = await Promise.all([import("@cairn/engine"), session.open()]);
        const { id } = await resolveSnapshot(repo, ref, filterFrom(opts));
        const progress = createProgress(session.out);
        let result: RestoreResult;
        let failures: readonly { path: string; message: string }[] = [];
        try {
          result = await restore(repo, id, {
            target: opts.target as string,
            ...(subtree ? { subtree } : {}),
            ...(opts.include ? { include: opts.include as string[] } : {}),
            ...(opts.exclude ? { exclude: opts.exclude as string[] } : {}),
            ...(opts.overwrite ? { overwrite: opts.overwrite as OverwritePolicy } : {}),
            delete: opts.delete === true,
            verifyExisting: opts.verify === true,
            dryRun: opts.dryRun === true,
            ...(opts.concurrency !== undefined ? { concurrency: Math.max(1, opts.concurrency as number) } : {}),
            signal: session.signal,
            onProgress: (p) => progress.update({ phase: p.phase, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, filesDone: p.filesDone, filesTotal: p.filesTotal }),
          });
        } catch (error) {
          progress.stop();
          if (session.signal.aborted) {
            session.out.warn("restore interrupted: complete files are in place; run the same command again to finish");
            return EXIT_INTERRUPTED;
          }
          if (error instanceof RestoreIncompleteError) {
            result = error.result;
            failures = error.failures;
          } else if (error instanceof RestoreError) throw new CliError(`cannot restore into ${opts.target as string}: ${error.message}`, { code: "restore", cause: error });
          else throw error;
        }
        progress.stop();
        session.out.emit(resultJson(result, failures));
        session.out.detail(`snapshot ${id}`);
        summary(session, result);
        for (const f of failures) session.out.warn(`not restored: ${printable(f.path)}: ${printable(f.message)}`);
        if (failures.length > 0) {
          session.out.print(`${failures.length} entr${failures.length === 1 ? "y" : "ies"} could not be restored (listed above); the rest was restored`);
          return EXIT_FAILURE;
        }
        return EXIT_OK;
      }),
    );
}
