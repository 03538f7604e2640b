// Repository location → Storage. A location is what users type after `--repo` (or put in
// CAIRN_REPOSITORY): a local directory path, or `scheme:rest`, like restic's `local:/srv/repo`,
// `s3:host/bucket`, `swift:container:/prefix`, `rest:https://…`. Each scheme is one entry in
// BACKENDS; adding S3, Swift or the Cairn server means adding an entry whose `open` builds the
// matching @cairn/storage backend. Schemes we know of but do not support yet fail with a clear
// message instead of being mistaken for a directory called "s3:bucket".
//
// `http(s)://…` is a vault served by a Cairn server (`…/v2/<project>/agents/<agent>/vault`),
// through @cairn/storage's HttpStorage, authenticated with the token in CAIRN_TOKEN.
//
// Every backend is wrapped in `withRetry`, so transient errors (a busy file, a dropped
// connection) are retried with backoff before they reach a command.
import { resolve } from "node:path";
import { HttpStorage, withRetry, type Storage } from "@cairn/storage";
import { FileSystemStorage } from "@cairn/storage/fs";
import { usageError } from "../cli/cliError.js";

export interface RepositoryLocation {
  /** The backend's scheme ("local", …). */
  readonly scheme: string;
  /** How the location is shown in messages: what the user typed. */
  readonly display: string;
  /** For local repositories, the absolute directory. */
  readonly path?: string;
  /** Builds the Storage (lazily: nothing is touched until the first operation). */
  open(): Storage;
}

interface Backend {
  readonly description: string;
  /** Parses what follows `scheme:`; undefined when the backend is not available in this build. */
  readonly parse?: (rest: string, display: string, env: Environment) => RepositoryLocation;
}

type Environment = Readonly<Record<string, string | undefined>>;

function http(rest: string, display: string, env: Environment): RepositoryLocation {
  let url: URL;
  try {
    url = new URL(display);
  } catch {
    throw usageError(`repository ${JSON.stringify(display)}: not a valid URL`);
  }
  if (!rest.startsWith("//") || url.search !== "" || url.hash !== "") throw usageError(`repository ${JSON.stringify(display)}: expected http(s)://host/…/vault without query or fragment`);
  const baseUrl = display.replace(/\/+$/, "");
  const token = env.CAIRN_TOKEN;
  return {
    scheme: url.protocol.slice(0, -1),
    display: `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, ""),
    open: () => withRetry(new HttpStorage({ baseUrl, headers: (): Record<string, string> => (token ? { "x-auth-token": token } : {}) }), { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 }),
  };
}

function local(path: string, display: string): RepositoryLocation {
  if (path === "") throw usageError(`repository ${JSON.stringify(display)}: expected a directory path after "local:"`);
  const absolute = resolve(path);
  return { scheme: "local", display, path: absolute, open: () => withRetry(new FileSystemStorage(absolute)) };
}

const BACKENDS: Readonly<Record<string, Backend>> = {
  local: { description: "a local directory", parse: local },
  file: { description: "a local directory (file:///path)", parse: (rest, display) => local(decodeURIComponent(rest.replace(/^\/\/(localhost)?(?=\/)/, "")), display) },
  s3: { description: "S3-compatible object storage" },
  swift: { description: "OpenStack Swift" },
  rest: { description: "a Cairn or restic REST server" },
  http: { description: "a Cairn server vault over HTTP (CAIRN_TOKEN)", parse: http },
  https: { description: "a Cairn server vault over HTTPS (CAIRN_TOKEN)", parse: http },
  sftp: { description: "SFTP" },
};

/** The supported schemes, for help texts. */
export function supportedSchemes(): string[] {
  return Object.entries(BACKENDS)
    .filter(([, b]) => b.parse)
    .map(([s]) => s);
}

/**
 * Interprets a repository location.
 * @throws {CliError} (usage) for an empty location, an unknown scheme, or one not supported yet.
 */
export function resolveRepository(location: string, env: Environment = {}): RepositoryLocation {
  if (location.trim() === "") throw usageError("empty repository location", "pass --repo DIR or set CAIRN_REPOSITORY");
  // A scheme is at least two characters, so "C:\\backups" stays a (Windows) path.
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]+):(.*)$/s.exec(location);
  if (!match) return local(location, location);
  const scheme = match[1]!.toLowerCase();
  const backend = BACKENDS[scheme];
  if (!backend) {
    throw usageError(
      `repository ${JSON.stringify(location)}: unknown scheme "${scheme}:"`,
      `use a directory path (or local:PATH); a directory whose name contains ":" can be given as ./${location}`,
    );
  }
  if (!backend.parse) {
    throw usageError(`repository ${JSON.stringify(location)}: ${backend.description} ("${scheme}:") is not supported by this version of cairn yet`, `supported: a directory path, ${supportedSchemes().map((s) => `${s}:`).join(", ")}`);
  }
  return backend.parse(match[2]!, location, env);
}
