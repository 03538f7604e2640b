// Where a command's output goes. Three audiences, kept apart so each can rely on what it gets:
//  - people at a terminal: results on stdout, progress and warnings on stderr;
//  - scripts parsing text: stdout carries only results (`--quiet` drops the chatter around them);
//  - programs: with `--json` stdout carries exactly one JSON document per command (written by
//    `emit`, or streamed with `jsonArray`), and nothing else; warnings stay on stderr.
// BigInts (sizes, times) are written as JSON numbers when they are exact and as strings
// otherwise, so no consumer silently gets a rounded size.

export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** JSON.stringify replacer: exact bigints as numbers, others as strings; bytes never leak. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value === Infinity) return "unlimited";
  if (value instanceof Uint8Array) throw new TypeError("internal error: raw bytes in JSON output (escape names first)");
  return value;
}

export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, jsonReplacer, indent);
}

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  private emitted = false;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.verbose = options.verbose && !options.quiet;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
  }

  /** True when progress bars make sense: a terminal on stderr, and neither --quiet nor --json. */
  get interactive(): boolean {
    return this.stderr.isTTY === true && !this.quiet && !this.json;
  }

  get errorStream(): NodeJS.WritableStream {
    return this.stderr;
  }

  /** A result line (the data the user asked for). Not written in JSON mode. */
  print(line = ""): void {
    if (!this.json) this.stdout.write(`${line}\n`);
  }

  /** A status line around the results ("created repository …"). Dropped by --quiet and --json. */
  message(line: string): void {
    if (!this.json && !this.quiet) this.stdout.write(`${line}\n`);
  }

  /** Extra detail for --verbose. */
  detail(line: string): void {
    if (!this.json && this.verbose) this.stdout.write(`${line}\n`);
  }

  /** A warning: always on stderr, whatever the mode (it never corrupts JSON on stdout). */
  warn(line: string): void {
    this.stderr.write(`cairn: warning: ${line}\n`);
  }

  /** A progress note on stderr (not a result): dropped by --quiet and --json. */
  note(line: string): void {
    if (!this.json && !this.quiet) this.stderr.write(`${line}\n`);
  }

  /** The command's JSON document (JSON mode only; at most one per command). */
  emit(value: unknown): void {
    if (!this.json) return;
    if (this.emitted) throw new Error("internal error: a command emitted two JSON documents");
    this.emitted = true;
    this.stdout.write(`${toJson(value)}\n`);
  }

  /**
   * Streams a JSON array, one element at a time (for listings too large to hold): `open`,
   * then `push` per element, then `close`. The result is one JSON document.
   */
  jsonArray(): { push(value: unknown): void; close(): void } {
    if (!this.json) throw new Error("internal error: jsonArray outside JSON mode");
    if (this.emitted) throw new Error("internal error: a command emitted two JSON documents");
    this.emitted = true;
    let first = true;
    this.stdout.write("[");
    return {
      push: (value: unknown) => {
        this.stdout.write(`${first ? "\n" : ",\n"}${toJson(value)}`);
        first = false;
      },
      close: () => {
        this.stdout.write(first ? "]\n" : "\n]\n");
      },
    };
  }
}
