// User and group names for numeric owners, so a restore on another machine can map owners by
// name (the node keeps both). Read once per backup from /etc/passwd and /etc/group: Node has no
// getpwuid binding. Accounts that exist only in NSS sources (LDAP, systemd-homed, …) get no name
// and are recorded by number alone.
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { LIMITS } from "@cairn/manifest";

export interface OwnerNames {
  user(uid: number): string | null;
  group(gid: number): string | null;
}

function parse(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) continue;
    const fields = line.split(":");
    if (fields.length < 3) continue;
    const id = Number(fields[2]);
    const name = fields[0]!;
    if (!Number.isInteger(id) || id < 0 || name.length === 0 || out.has(id)) continue;
    if (Buffer.byteLength(name) > LIMITS.maxLabelBytes || name.includes("\uFFFD")) continue;
    out.set(id, name);
  }
  return out;
}

function readMap(path: string): Map<number, string> {
  try {
    return parse(readFileSync(path, "utf8"));
  } catch {
    return new Map();
  }
}

/** Owner names from `passwd` and `group` files (default: the system's). */
export function loadOwnerNames(passwd = "/etc/passwd", group = "/etc/group"): OwnerNames {
  const users = readMap(passwd);
  const groups = readMap(group);
  return { user: (uid) => users.get(uid) ?? null, group: (gid) => groups.get(gid) ?? null };
}
