// The version `cairn --version` prints, read from the package manifest so there is one source.
import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The CLI's version ("0.1.0"). */
export function cliVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return cached;
}

/** "cairn 0.1.0 (node v20.20.2, linux/x64)": the first line is what scripts and benchmarks record. */
export function versionLine(): string {
  return `cairn ${cliVersion()} (node ${process.version}, ${process.platform}/${process.arch})`;
}

/** What snapshots record as the program that wrote them. */
export function programVersion(): string {
  return `cairn ${cliVersion()}`;
}
