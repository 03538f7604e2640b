// Paths given for another machine (an agent's host): inclusions and exclusions of configurations,
// restore selections and destinations. They are not resolved against this machine's working
// directory — the agent may run elsewhere — so they must be absolute.
import { InvalidArgumentError } from "commander";

/** An absolute path (POSIX `/…`, or Windows `C:\…` for Windows agents). */
export function parseAgentPath(value: string): string {
  if (value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value)) return value;
  throw new InvalidArgumentError(`${JSON.stringify(value)} is not an absolute path: paths are on the agent's host, give them in full (e.g. "$PWD/${value}")`);
}

/** commander collector for repeatable path options. */
export function collectAgentPath(value: string, previous: string[] = []): string[] {
  return [...previous, parseAgentPath(value)];
}
