// Where the repository password comes from, in restic's order: `--password-file` (or
// CAIRN_PASSWORD_FILE), then CAIRN_PASSWORD, then a no-echo prompt when stdin is a terminal.
// The source is remembered so that a wrong password can be reported against the place it came
// from; the value itself is never printed, logged or put in an error message.
import { readFile } from "node:fs/promises";
import { CliError } from "../cli/cliError.js";
import { canPrompt, readHidden, type PromptStreams } from "../io/prompt.js";

export interface Password {
  readonly value: string;
  /** Where it came from, for messages: "CAIRN_PASSWORD", "--password-file /x", "the prompt". */
  readonly source: string;
}

export interface PasswordSources {
  readonly passwordFile?: string;
  readonly env: Record<string, string | undefined>;
  readonly streams: PromptStreams;
}

/** Removes one trailing line break: files written with `echo` end in one, passwords do not. */
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/**
 * Reads a password file.
 * @throws {CliError} if it cannot be read or is empty.
 */
export async function readPasswordFile(path: string, option: string): Promise<Password> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the password file ${path} (${option}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { code: "password-file", cause: error });
  }
  const value = stripNewline(text);
  if (value === "") throw new CliError(`the password file ${path} (${option}) is empty`, { code: "password-file" });
  return { value, source: `${option} ${path}` };
}

async function promptTwice(streams: PromptStreams, first: string, second: string): Promise<string> {
  const a = await readHidden(first, streams);
  if (a === "") throw new CliError("empty password: a repository password must have at least one character", { code: "empty-password" });
  const b = await readHidden(second, streams);
  if (a !== b) throw new CliError("the passwords do not match", { code: "password-mismatch", hint: "run the command again and type the same password twice" });
  return a;
}

/**
 * The repository password. With `confirm` (init), a prompted password is asked twice.
 * @throws {CliError} if no source gives one (not a terminal and nothing configured).
 */
export async function readRepositoryPassword(sources: PasswordSources, repository: string, options: { confirm?: boolean } = {}): Promise<Password> {
  const file = sources.passwordFile ?? sources.env.CAIRN_PASSWORD_FILE;
  if (file !== undefined && file !== "") return readPasswordFile(file, sources.passwordFile !== undefined ? "--password-file" : "CAIRN_PASSWORD_FILE");
  const env = sources.env.CAIRN_PASSWORD;
  if (env !== undefined && env !== "") return { value: env, source: "CAIRN_PASSWORD" };
  if (!canPrompt(sources.streams)) {
    throw new CliError(`no password for repository ${repository}`, {
      code: "no-password",
      hint: "set CAIRN_PASSWORD, or pass --password-file FILE (stdin is not a terminal, so cairn cannot ask)",
    });
  }
  const value = options.confirm
    ? await promptTwice(sources.streams, `enter a password for the new repository ${repository}: `, "enter the password again: ")
    : await readHidden(`password for repository ${repository}: `, sources.streams);
  if (value === "") throw new CliError("empty password", { code: "empty-password" });
  return { value, source: "the prompt" };
}

/**
 * A new password (key add, key passwd): from `--new-password-file`, or asked twice on a terminal.
 * @throws {CliError} if neither is possible.
 */
export async function readNewPassword(sources: PasswordSources & { newPasswordFile?: string }): Promise<Password> {
  if (sources.newPasswordFile !== undefined) return readPasswordFile(sources.newPasswordFile, "--new-password-file");
  if (!canPrompt(sources.streams)) {
    throw new CliError("no new password given", { code: "no-password", hint: "pass --new-password-file FILE (stdin is not a terminal, so cairn cannot ask)" });
  }
  return { value: await promptTwice(sources.streams, "enter the new password: ", "enter the new password again: "), source: "the prompt" };
}
