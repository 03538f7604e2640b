// Turns the typed errors of the libraries into messages that say what to do. The libraries'
// messages are precise but speak in objects (`keys/…`, `data/…`); here they are put in the
// terms of the command the user ran: which repository, which password source, which command
// fixes it. Errors we do not recognise pass through unchanged (the top level reports them as
// unexpected).
import {
  CorruptObjectError,
  KeySlotCorruptError,
  LastKeySlotError,
  LockLostError,
  MissingObjectError,
  RepositoryExistsError,
  RepositoryLockedError,
  RepositoryNotFoundError,
  UnsupportedVersionError,
  WrongPasswordError,
} from "@cairn/repository";
import { HttpStorageError, StorageError } from "@cairn/storage";
import { CliError } from "./cliError.js";

export interface ExplainContext {
  /** The repository as the user gave it. */
  readonly repository?: string;
  /** Where the password came from ("CAIRN_PASSWORD", "--password-file F", "the prompt"). */
  readonly passwordSource?: string;
}

function errnoOf(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    e = e.cause;
  }
  return undefined;
}

/** A CliError for `error` if it is one we can explain, otherwise `error` itself. */
export function explain(error: unknown, ctx: ExplainContext = {}): unknown {
  if (error instanceof CliError) return error;
  const repo = ctx.repository ?? "(unknown)";
  const opts = (code: string, hint?: string) => ({ code, hint, cause: error });
  if (error instanceof WrongPasswordError) {
    const from = ctx.passwordSource ? `password from ${ctx.passwordSource}` : "CAIRN_PASSWORD / --password-file";
    const corrupt = error.corruptSlots.length > 0 ? `; ${error.corruptSlots.length} damaged key slot(s) were skipped: ${error.corruptSlots.join(", ")}` : "";
    return new CliError(`wrong password for repository ${repo} (${from})${corrupt}`, opts("wrong-password", "set CAIRN_PASSWORD or --password-file to a password of this repository (`cairn key list` shows its key slots)"));
  }
  if (error instanceof RepositoryNotFoundError) {
    return new CliError(`no repository at ${repo} (${error.message.replace(/^no repository here: /, "")})`, opts("no-repository", `check --repo / CAIRN_REPOSITORY, or create one with \`cairn init --repo ${repo}\``));
  }
  if (error instanceof RepositoryExistsError) return new CliError(`a repository already exists at ${repo}`, opts("repository-exists", "use it as it is, or choose another location"));
  if (error instanceof UnsupportedVersionError) return new CliError(`${error.message} (repository ${repo})`, opts("unsupported-version", "upgrade cairn to a version that reads this repository"));
  if (error instanceof KeySlotCorruptError) return new CliError(`${error.message} (repository ${repo})`, opts("key-slot-corrupt", "if another key slot still works, unlock with its password and remove this one with `cairn key remove`"));
  if (error instanceof LastKeySlotError) return new CliError(error.message, opts("last-key", "add another key first (`cairn key add`), then remove this one"));
  if (error instanceof RepositoryLockedError) {
    return new CliError(`repository ${repo} is locked: ${error.message}`, opts("locked", "wait for the other cairn process to finish; a lock not refreshed for 30 minutes is stale and is removed by the next exclusive operation"));
  }
  if (error instanceof LockLostError) return new CliError(`${error.message} (repository ${repo})`, opts("lock-lost", "run the command again; if it keeps happening, check that no other machine with a wrong clock prunes this repository"));
  if (error instanceof CorruptObjectError || error instanceof MissingObjectError) {
    return new CliError(`repository ${repo} is damaged: ${error.message}`, opts("damaged", `run \`cairn check --repo ${repo} --read-data\` to see everything that is affected`));
  }
  if (error instanceof HttpStorageError && (error.status === 401 || error.status === 403)) {
    return new CliError(`the server refused access to repository ${repo} (${error.message})`, opts("unauthorized", "set CAIRN_TOKEN to a token that may use this vault"));
  }
  if (error instanceof HttpStorageError && error.status === 404) {
    return new CliError(`no vault at ${repo} (${error.message})`, opts("no-repository", "check the URL: …/v2/<project>/agents/<agent id>/vault"));
  }
  if (error instanceof StorageError) {
    const errno = errnoOf(error);
    if (errno === "ENOTDIR") return new CliError(`repository ${repo} is not a directory`, opts("storage", "--repo must name a directory (an existing repository, or a new one for `cairn init`)"));
    if (errno === "EACCES" || errno === "EPERM") return new CliError(`permission denied on repository ${repo}: ${error.message}`, opts("storage", "run as a user who can read and write the repository directory"));
    if (errno === "ENOSPC") return new CliError(`no space left for repository ${repo}: ${error.message}`, opts("storage", "free some space (or run `cairn forget --prune`) and run the command again"));
    return new CliError(`storage error in repository ${repo}: ${error.message}`, opts("storage", error.retryable ? "the storage failed repeatedly; check it is reachable and run the command again" : undefined));
  }
  return error;
}
