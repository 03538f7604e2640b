// Turns the API client's errors into messages that say what to do, in the terms of the command
// the user ran: which server, which user and credential source, which `cairn` command lists what
// was not found. The server's own message is kept (it is precise: "Configuration is disabled.");
// URLs and request details are left out of the message (they are in --debug's stack).
import { ApiError, NetworkError, TimeoutError } from "@cairn/api-client";
import { CliError, usageError } from "../cli/cliError.js";

export interface ApiExplainContext {
  readonly server?: string;
  readonly user?: string;
  /** Where the credentials came from ("CAIRN_PASSWORD", …). */
  readonly source?: string;
}

/** The collection a request URL names (`/v2/<project>/<collection>/…`), for hints. */
function collectionOf(url: string): string | undefined {
  try {
    return /\/v2\/[^/]+\/([a-z-]+)/.exec(new URL(url).pathname)?.[1];
  } catch {
    return undefined;
  }
}

const LISTS: Record<string, string> = {
  agents: "`cairn agents` lists the agents",
  configurations: "`cairn configs` lists the configurations",
  backups: "`cairn backups` lists the backups",
  restores: "`cairn restores` lists the restores",
  cleanups: "`cairn cleanups` lists the cleanups",
  activities: "`cairn activity` lists what happened",
};

function conflictHint(method: string, collection: string | undefined): string | undefined {
  if (method === "POST" && collection === "backups") return "a backup of this configuration is still running: wait for it (`cairn backups`) or stop it (`cairn backups stop ID`)";
  if (method === "POST" && collection === "cleanups") return "a cleanup of this agent is still running: see `cairn cleanups`";
  if (method === "POST" && collection === "restores") return "only completed backups can be restored: `cairn backups` shows their states";
  if (method === "PATCH") return "it has already ended: `cairn activity` shows its final state";
  return undefined;
}

/** A CliError for an API error, or `error` itself if it is not one. */
export function explainApi(error: unknown, ctx: ApiExplainContext): unknown {
  const server = ctx.server ?? "the server";
  if (error instanceof NetworkError) {
    return new CliError(`cannot reach the Cairn server at ${server}`, {
      code: "unreachable",
      hint: "is it running? Start one with `cairn server --port 8080 --data-dir DIR`, or point --server / CAIRN_SERVER at its URL",
      cause: error,
    });
  }
  if (error instanceof TimeoutError) {
    return new CliError(`the Cairn server at ${server} did not answer in time`, { code: "timeout", hint: "it may be overloaded or stuck: check its log, then run the command again", cause: error });
  }
  if (error instanceof Error && error.message.startsWith("the service catalog has no cloudBackup endpoint")) {
    return new CliError(`user ${ctx.user ?? "?"} has no backup project on ${server}`, { code: "no-project", hint: "set CAIRN_PROJECT_ID to a project the user belongs to, or ask an admin to add the user", cause: error });
  }
  if (!(error instanceof ApiError)) return error;
  const message = error.serverMessage;
  // The server's message often quotes its first error ("Validation failed: <first>"): add only the others.
  const extra = error.errors.filter((e) => !message.includes(e));
  const details = extra.length > 0 ? `: ${extra.join("; ")}` : "";
  const collection = collectionOf(error.url);
  const opts = (code: string, hint?: string) => ({ code, cause: error, ...(hint === undefined ? {} : { hint }) });
  if (error.status === 401) {
    const login = error.url.endsWith("/v2.0/tokens");
    return new CliError(login ? `${server} refused the credentials of user ${ctx.user ?? "?"} (${ctx.source ?? "?"})` : `${server} no longer accepts this session (${message})`, opts("unauthorized", "check CAIRN_USER and CAIRN_PASSWORD (or CAIRN_API_KEY)"));
  }
  if (error.status === 403) {
    return new CliError(`refused: ${message}${details}`, opts("forbidden", "this needs a role that may do it (observer reads, creator starts and configures, admin manages users); or the agent or configuration is disabled"));
  }
  if (error.status === 404) {
    const hint = collection === undefined ? undefined : LISTS[collection];
    return new CliError(`not found: ${message}`, opts("not-found", hint));
  }
  if (error.status === 409) return new CliError(`${message}${details}`, opts("conflict", conflictHint(error.method, collection)));
  if (error.status === 400 || error.status === 413 || error.status === 415) {
    const e = usageError(`the server rejected the request: ${message}${details}`);
    return new CliError(e.message, { code: "rejected", exitCode: e.exitCode, cause: error });
  }
  if (error.status >= 500) return new CliError(`the server failed (${error.status}): ${message}`, opts("server-error", "see the server's log; run the command again once it is fixed"));
  return new CliError(`the server answered ${error.status}: ${message}${details}`, opts("failed"));
}
