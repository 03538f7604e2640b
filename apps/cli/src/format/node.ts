// How one snapshot entry is shown: `ls -l`-style text for people, a flat object for --json.
// Everything that came from the snapshot (names, link targets, owner names) is escaped.
import { escapeName, type Node } from "@cairn/manifest";
import { escapeText } from "./text.js";
import { isoFromNs, localFromNs } from "./time.js";

const TYPE_CHAR: Record<Node["type"], string> = { file: "-", dir: "d", symlink: "l", fifo: "p", chardev: "c", blockdev: "b", socket: "s" };

/** "drwxr-xr-x", with setuid/setgid/sticky as s/S, t/T. */
export function modeString(node: Node): string {
  const m = node.mode;
  const rwx = (bits: number, special: boolean, specialChar: string) =>
    `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${special ? (bits & 1 ? specialChar : specialChar.toUpperCase()) : bits & 1 ? "x" : "-"}`;
  return TYPE_CHAR[node.type] + rwx((m >> 6) & 7, (m & 0o4000) !== 0, "s") + rwx((m >> 3) & 7, (m & 0o2000) !== 0, "s") + rwx(m & 7, (m & 0o1000) !== 0, "t");
}

/** Printable (escaped) owner name, or the numeric ID. */
function owner(name: string | null, id: number): string {
  return name === null ? String(id) : escapeText(name);
}

export function nodeSize(node: Node): bigint {
  return node.type === "file" ? node.size : 0n;
}

/** One `ls -l` line. */
export function longLine(path: string, node: Node): string {
  const size = node.type === "file" ? String(node.size) : node.type === "chardev" || node.type === "blockdev" ? `${node.rdevMajor},${node.rdevMinor}` : "0";
  const target = node.type === "symlink" ? ` -> ${escapeName(node.linkTarget)}` : "";
  return `${modeString(node)} ${owner(node.user, node.uid).padEnd(8)} ${owner(node.group, node.gid).padEnd(8)} ${size.padStart(12)} ${localFromNs(node.mtimeNs)} ${path}${target}`;
}

/** The --json form of an entry. */
export function nodeJson(path: string, node: Node): Record<string, unknown> {
  return {
    path,
    name: escapeName(node.name),
    type: node.type,
    mode: node.mode,
    permissions: modeString(node),
    uid: node.uid,
    gid: node.gid,
    user: node.user,
    group: node.group,
    size: nodeSize(node),
    mtime: isoFromNs(node.mtimeNs),
    ...(node.type === "symlink" ? { linkTarget: escapeName(node.linkTarget) } : {}),
    ...(node.type === "chardev" || node.type === "blockdev" ? { rdevMajor: node.rdevMajor, rdevMinor: node.rdevMinor } : {}),
    ...(node.links !== null && node.links > 1 ? { links: node.links } : {}),
  };
}
