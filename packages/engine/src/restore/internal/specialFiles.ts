// Creating fifos and device nodes. Node has no mkfifo/mknod, so coreutils' `mkfifo` and `mknod`
// do it, under our temporary name (plain ASCII, so it survives argv) in a directory we hold
// open, reached as /proc/<our pid>/fd/<fd>/<name>: the child resolves the directory through our
// descriptor, never through a path that could have been swapped. The caller then sets owner and
// times and renames the entry into place. Device nodes need root (CAP_MKNOD).
import { execFile } from "node:child_process";
import { Buffer } from "node:buffer";
import { promisify } from "node:util";
import type { PlannedSpecial } from "@cairn/restore-planner";
import type { DirLease } from "./targetRoot.js";

const run = promisify(execFile);

/**
 * Creates `special` as `tempName` inside `dir`, with its mode.
 * @throws {Error} with the tool's message if it fails (EPERM for devices without root, …).
 */
export async function createSpecial(dir: DirLease, tempName: Uint8Array, special: PlannedSpecial): Promise<void> {
  const path = `/proc/${process.pid}/fd/${dir.fd}/${Buffer.from(tempName).toString("latin1")}`;
  const mode = (special.meta.mode & 0o7777).toString(8);
  try {
    if (special.type === "fifo") await run("mkfifo", ["-m", mode, "--", path]);
    else await run("mknod", ["-m", mode, "--", path, special.type === "chardev" ? "c" : "b", String(special.rdevMajor), String(special.rdevMinor)]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().replace(/^[^:]*: /, "").replace(/.*: /, "");
    throw new Error(`cannot create the ${special.type}${stderr ? `: ${stderr}` : ""}`, { cause: error });
  }
}
