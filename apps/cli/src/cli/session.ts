// One invocation of `cairn`: the global options as parsed, the output, and the few things every
// repository command needs — where the repository is, its password, and an unlocked
// `Repository` that is always closed again (lock released, keys wiped), also when the command
// fails or the user presses Ctrl-C.
import { hostname } from "node:os";
import { initRepository, openRepository, type InitOptions, type Repository } from "@cairn/repository";
import { connect, serverUrl, type ApiConnection } from "../api/connection.js";
import { explainApi, type ApiExplainContext } from "../api/explainApi.js";
import { Output } from "../io/output.js";
import type { PromptStreams } from "../io/prompt.js";
import { readRepositoryPassword, type Password } from "../repo/password.js";
import { resolveRepository, type RepositoryLocation } from "../repo/repositoryUrl.js";
import { usageError } from "./cliError.js";
import { explain } from "./explain.js";

/** Options every command accepts (commander's `optsWithGlobals()`). */
export interface GlobalOptions {
  readonly repo?: string;
  /** `--server URL` of the API commands (default CAIRN_SERVER). */
  readonly server?: string;
  readonly passwordFile?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly debug?: boolean;
  /** `--no-lock`: commander sets `lock: false`. */
  readonly lock?: boolean;
}

export interface SessionIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadStream;
  readonly env: Record<string, string | undefined>;
}

export class Session {
  readonly out: Output;
  readonly env: Record<string, string | undefined>;
  readonly streams: PromptStreams;
  private locationCache: RepositoryLocation | undefined;
  private passwordCache: Password | undefined;
  private apiCache: Promise<ApiConnection> | undefined;
  private apiContext: ApiExplainContext = {};
  private readonly cleanups: (() => Promise<void>)[] = [];
  private readonly abortController = new AbortController();
  private signalUsed = false;

  constructor(
    readonly globals: GlobalOptions,
    io: SessionIo,
  ) {
    this.out = new Output({ json: globals.json === true, quiet: globals.quiet === true, verbose: globals.verbose === true, stdout: io.stdout, stderr: io.stderr });
    this.env = io.env;
    this.streams = { input: io.stdin, output: io.stderr };
  }

  /**
   * Where the repository is (`--repo`, else CAIRN_REPOSITORY).
   * @throws {CliError} (usage) if neither is set or the location is malformed.
   */
  location(): RepositoryLocation {
    if (this.locationCache) return this.locationCache;
    const given = this.globals.repo ?? this.env.CAIRN_REPOSITORY;
    if (given === undefined || given === "") throw usageError("no repository given", "pass --repo DIR or set CAIRN_REPOSITORY");
    this.locationCache = resolveRepository(given, this.env);
    return this.locationCache;
  }

  /** The repository password (asked at most once per invocation). */
  async password(options: { confirm?: boolean } = {}): Promise<Password> {
    this.passwordCache ??= await readRepositoryPassword({ passwordFile: this.globals.passwordFile, env: this.env, streams: this.streams }, this.location().display, options);
    return this.passwordCache;
  }

  /**
   * The API connection of the commands that talk to a Cairn server (connected lazily: no
   * request is made until the first call).
   * @throws {CliError} if no server or no credentials are given.
   */
  api(): Promise<ApiConnection> {
    this.apiCache ??= (async () => {
      const server = serverUrl(this.globals.server, this.env);
      this.apiContext = { server };
      const connection = await connect({ server, env: this.env, streams: this.streams });
      this.apiContext = { server, user: connection.user, source: connection.source };
      return connection;
    })();
    return this.apiCache;
  }

  /** Context for turning library errors into messages (see explain.ts and api/explainApi.ts). */
  explain(error: unknown): unknown {
    const api = explainApi(error, this.apiContext);
    if (api !== error) return api;
    return explain(error, { repository: this.locationCache?.display ?? this.globals.repo ?? this.env.CAIRN_REPOSITORY, passwordSource: this.passwordCache?.source });
  }

  private openOptions() {
    return { locking: this.globals.lock !== false, lock: { host: `${hostname()} (cairn pid ${process.pid})` } };
  }

  /**
   * Unlocks the repository; it is closed when the command ends.
   * @throws {CliError} explained (wrong password, no repository, …).
   */
  async open(): Promise<Repository> {
    const location = this.location();
    const password = await this.password();
    try {
      const repo = await openRepository(location.open(), password.value, this.openOptions());
      this.onClose(() => repo.close());
      return repo;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Creates the repository (asking for the password twice on a terminal). */
  async init(options: InitOptions): Promise<Repository> {
    const location = this.location();
    const password = await this.password({ confirm: true });
    try {
      const repo = await initRepository(location.open(), password.value, { ...options, ...this.openOptions() });
      this.onClose(() => repo.close());
      return repo;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * An AbortSignal that fires on Ctrl-C. A command that takes it promises to stop soon and
   * cleanly when it fires (the runner then waits for it); for other commands the runner closes
   * the repository and exits at once.
   */
  get signal(): AbortSignal {
    this.signalUsed = true;
    return this.abortController.signal;
  }

  /** True if the command took `signal` (and so handles interruption itself). */
  get handlesInterrupt(): boolean {
    return this.signalUsed;
  }

  /** Fires `signal`. */
  interrupt(): void {
    this.abortController.abort(new Error("interrupted by the user"));
  }

  /** Registers work to do when the command ends (in reverse order of registration). */
  onClose(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Runs every cleanup; failures are reported as warnings (the command's own result stands). */
  async close(): Promise<void> {
    while (this.cleanups.length > 0) {
      const cleanup = this.cleanups.pop()!;
      try {
        await cleanup();
      } catch (error) {
        this.out.warn(`while closing: ${(error as Error).message}`);
      }
    }
  }
}
