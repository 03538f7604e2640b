// What the xattr helpers (backup/xattrReader.ts, restore/internal/xattrWriter.ts) share: Node has
// no xattr binding and the engine takes no native dependency, so a small long-lived python3
// process makes the syscalls. Both speak length-prefixed frames over stdin/stdout.
import { spawnSync } from "node:child_process";

/** Python prelude of both helpers: binary stdin/stdout, `rd(n)` exact reads, `u32()` little-endian; exits on EOF. */
export const PYTHON_FRAMING = String.raw`
import os, sys, struct
inp = sys.stdin.buffer
out = sys.stdout.buffer
def rd(n):
    b = inp.read(n)
    if b is None or len(b) < n:
        sys.exit(0)
    return b
def u32():
    return struct.unpack('<I', rd(4))[0]
`;

/** A python3 on which `probe` (a line of Python, e.g. "import os; os.listxattr") runs, or null. */
export function findPython(probe: string): string | null {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(candidate, ["-c", probe], { stdio: "ignore", timeout: 10_000 });
    if (r.status === 0) return candidate;
  }
  return null;
}
