// Putting an entry's metadata back, in the order that makes it stick: owner first (chown clears
// setuid/setgid), then mode, then xattrs, then times last (nothing after it changes mtime).
// Files and directories are changed through a descriptor we opened without following symlinks;
// symlinks and special files through their name inside a directory we hold, with the calls that
// never follow (lchown, lutimes). Failures here do not lose data, so they become warnings.
import { Buffer } from "node:buffer";
import { promises as fs } from "node:fs";
import { promisify } from "node:util";
import * as fsCallbacks from "node:fs";
import { unescapeName } from "@cairn/manifest";
import type { PlannedMetadata } from "@cairn/restore-planner";
import { describeFsError, type DirLease } from "./targetRoot.js";
import { utimeSeconds } from "./times.js";
import type { XattrWriter } from "./xattrWriter.js";

const fchown = promisify(fsCallbacks.fchown);
const fchmod = promisify(fsCallbacks.fchmod);
const futimes = promisify(fsCallbacks.futimes);

export interface MetadataContext {
  readonly owners: boolean;
  /** The xattr helper, started on first need; null when none is available. */
  xattrs(): XattrWriter | null;
  warn(path: string, message: string): void;
}

/** [atime, mtime] in seconds, as futimes takes them (atime = mtime when the snapshot has none). */
export function metadataTimes(meta: PlannedMetadata): [number, number] {
  const mtime = utimeSeconds(BigInt(meta.mtimeNs));
  return [meta.atimeNs === null ? mtime : utimeSeconds(BigInt(meta.atimeNs)), mtime];
}

async function step(ctx: MetadataContext, path: string, what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    ctx.warn(path, `could not set ${what}: ${describeFsError(error)}`);
  }
}

async function setXattrs(ctx: MetadataContext, path: string, meta: PlannedMetadata, target: Buffer, follow: boolean): Promise<void> {
  if (meta.xattrs.length === 0) return;
  const writer = ctx.xattrs();
  if (!writer) {
    ctx.warn(path, `${meta.xattrs.length} extended attribute(s) not restored: no python3 to set them with`);
    return;
  }
  const attrs = meta.xattrs.map((x) => ({ name: unescapeName(x.name), value: unescapeName(x.value) }));
  try {
    for (const e of await writer.set(target, follow, attrs)) ctx.warn(path, `could not set extended attribute ${e}`);
  } catch (error) {
    ctx.warn(path, `extended attributes not restored: ${(error as Error).message}`);
  }
}

/**
 * Applies `meta` to a file or directory open as `fd` (opened by us, without following).
 * `owner`, if given, is who already owns it (a file we just created): chown is skipped if equal.
 */
export async function applyToFd(fd: number, meta: PlannedMetadata, ctx: MetadataContext, path: string, owner?: { uid: number; gid: number }): Promise<void> {
  if (ctx.owners && !(owner && owner.uid === meta.uid && owner.gid === meta.gid)) await step(ctx, path, "owner", () => fchown(fd, meta.uid, meta.gid));
  await step(ctx, path, "mode", () => fchmod(fd, meta.mode));
  await setXattrs(ctx, path, meta, Buffer.from(`/proc/${process.pid}/fd/${fd}`), true);
  const [atime, mtime] = metadataTimes(meta);
  await step(ctx, path, "times", () => futimes(fd, atime, mtime));
}

function stepSync(ctx: MetadataContext, path: string, what: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    ctx.warn(path, `could not set ${what}: ${describeFsError(error)}`);
  }
}

/**
 * `applyToFd` with synchronous calls, for entries without xattrs (the xattr helper answers
 * asynchronously): thousands of directories in a row cost microseconds each this way.
 */
export function applyToFdSync(fd: number, meta: PlannedMetadata, ctx: MetadataContext, path: string): void {
  if (meta.xattrs.length > 0) throw new Error("applyToFdSync: xattrs need applyToFd");
  if (ctx.owners) stepSync(ctx, path, "owner", () => fsCallbacks.fchownSync(fd, meta.uid, meta.gid));
  stepSync(ctx, path, "mode", () => fsCallbacks.fchmodSync(fd, meta.mode));
  const [atime, mtime] = metadataTimes(meta);
  stepSync(ctx, path, "times", () => fsCallbacks.futimesSync(fd, atime, mtime));
}

/**
 * Applies `meta` to the symlink or special file `name` inside a leased directory,
 * without following it. A symlink's mode cannot be set on Linux; a special file got its mode when
 * it was created.
 */
export async function applyToLink(dir: DirLease, name: Uint8Array, meta: PlannedMetadata, ctx: MetadataContext, path: string): Promise<void> {
  const at = dir.at(name);
  const fdPath = Buffer.concat([Buffer.from(`/proc/${process.pid}/fd/${dir.fd}/`), name]);
  if (ctx.owners) await step(ctx, path, "owner", () => fs.lchown(at, meta.uid, meta.gid));
  await setXattrs(ctx, path, meta, fdPath, false);
  const [atime, mtime] = metadataTimes(meta);
  await step(ctx, path, "times", () => fs.lutimes(at, atime, mtime));
}
