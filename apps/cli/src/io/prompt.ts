// A no-echo prompt for passwords on a terminal. The terminal is put in raw mode so nothing typed
// is echoed; the prompt goes to stderr so stdout stays clean for results. Only used when stdin
// is a TTY: in scripts the password comes from CAIRN_PASSWORD or --password-file, and a prompt
// that waits on a pipe would only hang.
import { CliError } from "../cli/cliError.js";
import { EXIT_INTERRUPTED } from "../cli/exitCodes.js";

export interface PromptStreams {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WritableStream;
}

/** True if a password can be asked for interactively. */
export function canPrompt(streams: PromptStreams): boolean {
  return streams.input.isTTY === true && typeof streams.input.setRawMode === "function";
}

/**
 * Asks `question` and reads one line without echoing it.
 * @throws {CliError} with exit code 130 on Ctrl-C, and code "no-input" on end of input.
 */
export function readHidden(question: string, streams: PromptStreams): Promise<string> {
  const { input, output } = streams;
  input.setRawMode(true); // before the question: anything typed after it must never be echoed
  output.write(question);
  input.setEncoding("utf8");
  input.resume();
  return new Promise((resolve, reject) => {
    let value: string[] = [];
    const finish = (result: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      result();
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n") return finish(() => resolve(value.join("")));
        if (ch === "\u0003") return finish(() => reject(new CliError("interrupted", { code: "interrupted", exitCode: EXIT_INTERRUPTED })));
        if (ch === "\u0004") {
          if (value.length === 0) return finish(() => reject(new CliError("no password entered (end of input)", { code: "no-input" })));
          return finish(() => resolve(value.join("")));
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch === "\u0015") value = []; // Ctrl-U: erase the line
        else if (ch >= " ") value.push(ch);
      }
    };
    input.on("data", onData);
  });
}
