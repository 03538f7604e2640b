// How the API commands (`cairn agents`, `configs`, `backups`, …) reach a Cairn server: its URL
// from `--server` or CAIRN_SERVER, and the user's credentials from the environment — CAIRN_USER
// with CAIRN_API_KEY or CAIRN_PASSWORD (the variables cairn-agent reads for its first
// registration; for these commands CAIRN_PASSWORD is the user's password, not a repository's),
// optionally CAIRN_PROJECT_ID — or, with only CAIRN_USER set and a terminal, a no-echo prompt.
// There is deliberately no `cairn login`: nothing is stored on disk; each invocation
// authenticates (Keystone-style `POST /v2.0/tokens`, through @cairn/api-client) on its first
// call. Secrets are never printed; the source of the credentials is, so errors can name it.
import { createClient, type CairnClient, type Credentials } from "@cairn/api-client";
import { CliError, usageError } from "../cli/cliError.js";
import { canPrompt, readHidden, type PromptStreams } from "../io/prompt.js";

export interface ApiConnection {
  readonly client: CairnClient;
  /** The server's base URL, as given (without a trailing slash). */
  readonly server: string;
  readonly user: string;
  /** Where the secret came from ("CAIRN_API_KEY", "CAIRN_PASSWORD", "the prompt"). */
  readonly source: string;
}

/**
 * The server URL from `--server`, else CAIRN_SERVER.
 * @throws {CliError} (usage) if neither is set or it is not an http(s) URL.
 */
export function serverUrl(given: string | undefined, env: Record<string, string | undefined>): string {
  const url = given ?? env.CAIRN_SERVER;
  if (url === undefined || url === "") throw usageError("no server given", "pass --server URL or set CAIRN_SERVER (the URL `cairn server` prints, e.g. http://127.0.0.1:8080)");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`${JSON.stringify(url)} is not a URL`, "the server URL looks like http://127.0.0.1:8080 or https://backup.example.com");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw usageError(`${JSON.stringify(url)}: the server URL must start with http:// or https://`);
  if (parsed.username !== "" || parsed.password !== "") throw usageError("the server URL must not contain credentials", "set CAIRN_USER and CAIRN_PASSWORD (or CAIRN_API_KEY) instead");
  return url.replace(/\/+$/, "");
}

/**
 * Connects (lazily: no request is made until the first call).
 * @throws {CliError} if no credentials are configured and none can be asked for.
 */
export async function connect(options: { server: string; env: Record<string, string | undefined>; streams: PromptStreams }): Promise<ApiConnection> {
  const { env, server } = options;
  const user = env.CAIRN_USER;
  if (user === undefined || user === "") {
    throw new CliError(`no credentials for the server at ${server}`, {
      code: "no-credentials",
      hint: "set CAIRN_USER and CAIRN_PASSWORD (or CAIRN_API_KEY, the key `cairn server` printed at its first start)",
    });
  }
  const projectId = env.CAIRN_PROJECT_ID !== undefined && env.CAIRN_PROJECT_ID !== "" ? { projectId: env.CAIRN_PROJECT_ID } : {};
  let credentials: Credentials;
  let source: string;
  if (env.CAIRN_API_KEY !== undefined && env.CAIRN_API_KEY !== "") {
    credentials = { username: user, apiKey: env.CAIRN_API_KEY, ...projectId };
    source = "CAIRN_API_KEY";
  } else if (env.CAIRN_PASSWORD !== undefined && env.CAIRN_PASSWORD !== "") {
    credentials = { username: user, password: env.CAIRN_PASSWORD, ...projectId };
    source = "CAIRN_PASSWORD";
  } else if (canPrompt(options.streams)) {
    const password = await readHidden(`password of ${user} at ${server}: `, options.streams);
    if (password === "") throw new CliError("empty password", { code: "empty-password" });
    credentials = { username: user, password, ...projectId };
    source = "the prompt";
  } else {
    throw new CliError(`no password for user ${user} at ${server}`, {
      code: "no-credentials",
      hint: "set CAIRN_PASSWORD or CAIRN_API_KEY (stdin is not a terminal, so cairn cannot ask)",
    });
  }
  // One retry of idempotent calls: a person is waiting, and the server answers 503 only briefly.
  const client = createClient({ endpoint: server, credentials, retries: 2, timeoutMs: 30_000 });
  return { client, server, user, source };
}
