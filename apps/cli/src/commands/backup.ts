// `cairn backup PATH…`: one snapshot of the given files and folders, incremental against the
// newest snapshot of the same host and paths (unchanged files are not read again). Files that
// cannot be read are reported on stderr as they are listed in the snapshot, and the command
// exits 3: the snapshot exists and says it is incomplete. Ctrl-C stops cleanly: what was stored
// so far is indexed, so the next backup does not upload it again, and no snapshot is written.
import { readFile } from "node:fs/promises";
import type { BackupOptions, BackupResult } from "@cairn/engine";
import type { Command } from "commander";
import { CliError, usageError } from "../cli/cliError.js";
import { EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_OK } from "../cli/exitCodes.js";
import { runAction, type CommandEnv } from "../cli/runner.js";
import type { Session } from "../cli/session.js";
import { formatBytes, formatDuration } from "../format/size.js";
import { printable } from "../format/text.js";
import { createProgress } from "../io/progress.js";
import { collect } from "../options/filter.js";
import { parseCount } from "../options/numbers.js";
import { resolveSnapshot } from "../snapshot/select.js";
import { programVersion } from "../version.js";

interface BackupOpts {
  exclude?: string[];
  excludeFile?: string[];
  excludeCaches?: boolean;
  excludeIfPresent?: string[];
  oneFileSystem?: boolean;
  tag?: string[];
  host?: string;
  parent?: string;
  force?: boolean;
  xattrs?: boolean;
  workers?: number;
}

/** Patterns from --exclude-file: one per line; blank lines and lines starting with # are skipped. */
async function readExcludeFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the exclude file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { code: "exclude-file" });
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

function summary(session: Session, result: BackupResult, seconds: number): void {
  const s = result.snapshot.stats;
  const out = session.out;
  out.message(`Files:       ${String(s.filesNew).padStart(6)} new, ${String(s.filesChanged).padStart(6)} changed, ${String(s.filesUnmodified).padStart(6)} unmodified`);
  out.message(`Dirs:        ${String(s.dirsNew).padStart(6)} new, ${String(s.dirsChanged).padStart(6)} changed, ${String(s.dirsUnmodified).padStart(6)} unmodified`);
  out.message(`Added to the repository: ${formatBytes(s.bytesAdded)} (${formatBytes(s.bytesAddedStored)} stored)`);
  out.message(`processed ${s.filesProcessed} files, ${formatBytes(s.bytesProcessed)} in ${formatDuration(seconds)}`);
  out.print(`snapshot ${result.snapshotId.slice(0, 8)} saved${result.snapshot.errorCount > 0 ? ` with ${result.snapshot.errorCount} unreadable entr${result.snapshot.errorCount === 1 ? "y" : "ies"}` : ""}`);
}

export function registerBackup(program: Command, env: CommandEnv): void {
  program
    .command("backup")
    .description("back up files and folders into a new snapshot (incremental against the last one)")
    .argument("<paths...>", "files and folders to back up")
    .option("-e, --exclude <pattern>", "leave out entries matching this glob (repeatable)", collect)
    .option("--exclude-file <file>", "read exclude patterns from FILE, one per line (repeatable)", collect)
    .option("--exclude-caches", "leave out the contents of directories holding a CACHEDIR.TAG")
    .option("--exclude-if-present <name>", "leave out the contents of directories holding a file of this name (repeatable)", collect)
    .option("-x, --one-file-system", "do not cross file system boundaries")
    .option("--tag <tag>", "tag the snapshot (repeatable)", collect)
    .option("--host <host>", "host name to record (default: this machine's)")
    .option("--parent <snapshot>", "compare with this snapshot instead of the latest of the same host and paths")
    .option("-f, --force", "read every file again (no parent snapshot)")
    .option("--no-xattrs", "do not record extended attributes")
    .option("--workers <n>", "worker threads (default: one per core)", parseCount)
    .addHelpText("after", "\nExamples:\n  cairn backup --repo /srv/backup /home /etc\n  cairn backup --repo /srv/backup ~/work --exclude '*.tmp' --exclude-caches --tag daily\n\nExit code 3: the snapshot was saved, but some files could not be read (they are listed).")
    .action(
      runAction(env, async (session, args, raw) => {
        const [paths] = args as [string[]];
        const o = raw as BackupOpts;
        if (o.force && o.parent) throw usageError("--force and --parent exclude each other");
        const excludes = [...(o.exclude ?? [])];
        for (const f of o.excludeFile ?? []) excludes.push(...(await readExcludeFile(f)));
        // The engine (worker pool, fs walker) is loaded only by the commands that need it.
        const [{ backup, SelectionError }, repo] = await Promise.all([import("@cairn/engine"), session.open()]);
        let parent: BackupOptions["parent"] = "latest";
        if (o.force) parent = null;
        else if (o.parent) parent = (await resolveSnapshot(repo, o.parent)).id;
        const progress = createProgress(session.out);
        const started = Date.now();
        let result: BackupResult;
        try {
          result = await backup(repo, {
            paths,
            excludes,
            excludeCaches: o.excludeCaches === true,
            excludeIfPresent: o.excludeIfPresent ?? [],
            oneFileSystem: o.oneFileSystem === true,
            parent,
            tags: o.tag ?? [],
            ...(o.host !== undefined ? { host: o.host } : {}),
            xattrs: o.xattrs !== false,
            ...(o.workers !== undefined ? { workers: o.workers } : {}),
            programVersion: programVersion(),
            signal: session.signal,
            onProgress: (p) =>
              progress.update({
                phase: p.phase,
                bytesDone: p.bytesDone,
                bytesTotal: p.bytesTotal,
                filesDone: p.filesDone,
                filesTotal: p.filesTotal,
                bytesPerSecond: p.bytesPerSecond,
                etaSeconds: p.etaSeconds,
                estimate: !p.totalsFinal,
              }),
          });
        } catch (error) {
          progress.stop();
          if (session.signal.aborted) {
            session.out.warn("backup interrupted: no snapshot was written; what was stored so far is kept, so the next backup does not upload it again");
            return EXIT_INTERRUPTED;
          }
          if (error instanceof SelectionError) {
            // A pattern that does not parse is a usage error; paths that cannot be backed up are a failure.
            const patterns = new Set([...excludes, ...(o.excludeIfPresent ?? [])]);
            if (error.problems.every((p) => patterns.has(p.path))) throw usageError(error.message);
            throw new CliError(error.message.replace(/^invalid selection: /, "nothing was backed up: "), { code: "selection", hint: "check that the paths exist and can be read", cause: error });
          }
          throw error;
        }
        progress.stop();
        const seconds = (Date.now() - started) / 1000;
        for (const w of result.warnings) session.out.warn(printable(w));
        for (const e of result.errors) session.out.warn(`${e.kind}: ${printable(e.path)}: ${printable(e.message)}`);
        if (result.snapshot.errorCount > result.errors.length) session.out.warn(`… and ${result.snapshot.errorCount - result.errors.length} more entries could not be read`);
        session.out.emit({
          snapshotId: result.snapshotId,
          parent: result.parent,
          stats: result.snapshot.stats,
          errorCount: result.snapshot.errorCount,
          errors: result.errors.map((e) => ({ path: e.path, kind: e.kind, message: e.message })),
          warnings: result.warnings,
          durationSeconds: seconds,
        });
        if (result.parent) session.out.detail(`parent snapshot ${result.parent.slice(0, 8)}`);
        summary(session, result, seconds);
        return result.snapshot.errorCount > 0 ? EXIT_INCOMPLETE : EXIT_OK;
      }),
    );
}
