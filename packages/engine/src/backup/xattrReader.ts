// Extended attributes. Node has no API for them (no listxattr/getxattr binding) and the engine
// takes no native dependency, so they are read by a small, long-lived python3 helper: one child
// process per worker thread, asked once per directory for all of its entries (llistxattr +
// lgetxattr, never following symlinks). A query costs one pipe round trip per directory; the
// syscalls themselves are what restic and borg make too.
//
// Where python3 is missing the backup records no xattrs and says so in its warnings — never
// silently. Entries whose xattrs cannot be read (ENOTSUP on a file system without them, EPERM)
// are recorded without; an attribute over the format's limits (name > 255 bytes, value > 64 KiB,
// more than 1024) is dropped and reported by the caller.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { Buffer } from "node:buffer";
import type { Readable, Writable } from "node:stream";
import { toBuffer, type BinaryPath } from "../internal/binaryPath.js";
import { findPython, PYTHON_FRAMING } from "../internal/pythonHelper.js";

const HELPER = PYTHON_FRAMING + String.raw`
while True:
    d = rd(u32())
    count = u32()
    res = []
    for i in range(count):
        n = rd(u32())
        p = (b'/' if d == b'/' else d + b'/') + n
        try:
            names = os.listxattr(p, follow_symlinks=False)
        except OSError:
            continue
        attrs = []
        for a in names:
            try:
                v = os.getxattr(p, a, follow_symlinks=False)
            except OSError:
                continue
            attrs.append((os.fsencode(a), v))
        if attrs:
            res.append((i, attrs))
    parts = [struct.pack('<I', len(res))]
    for i, attrs in res:
        parts.append(struct.pack('<II', i, len(attrs)))
        for a, v in attrs:
            parts.append(struct.pack('<I', len(a)) + a + struct.pack('<I', len(v)) + v)
    out.write(b''.join(parts))
    out.flush()
`;

/** Attributes of the entries of one directory, by entry index. */
export type DirectoryXattrs = Map<number, [BinaryPath, Uint8Array][]>;

/** Finds a python3 that can run the helper, or null. */
export function findReaderPython(): string | null {
  return findPython("import os; os.listxattr");
}

/** One helper process; queries are answered in order. */
export class XattrReader {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly waiting: { resolve: (v: DirectoryXattrs) => void; reject: (e: Error) => void }[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failure: Error | undefined;

  constructor(python: string) {
    this.child = spawn(python, ["-c", HELPER], { stdio: ["pipe", "pipe", "ignore"] });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.drain();
    });
    const die = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.child.on("error", die);
    this.child.on("exit", (code) => die(new Error(`xattr helper exited with ${code}`)));
    this.child.stdin.on("error", die);
    this.child.unref();
    (this.child.stdout as unknown as { unref?: () => void }).unref?.();
  }

  /** Reads the xattrs of `names` inside directory `dir`. */
  query(dir: BinaryPath, names: readonly BinaryPath[]): Promise<DirectoryXattrs> {
    if (this.failure) return Promise.reject(this.failure);
    const parts: Buffer[] = [];
    const d = toBuffer(dir);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(d.length, 0);
    parts.push(head.subarray(0, 4), d);
    head.writeUInt32LE(names.length, 4);
    parts.push(head.subarray(4, 8));
    for (const name of names) {
      const n = toBuffer(name);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(n.length, 0);
      parts.push(len, n);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(Buffer.concat(parts));
    });
  }

  /** Parses every complete response in the pending bytes. */
  private drain(): void {
    while (this.waiting.length > 0) {
      const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      const parsed = parseResponse(all);
      if (!parsed) {
        this.pending = [all];
        return;
      }
      const rest = all.subarray(parsed.used);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
      this.waiting.shift()!.resolve(parsed.result);
    }
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

function parseResponse(b: Buffer): { result: DirectoryXattrs; used: number } | null {
  let at = 0;
  const u32 = (): number | null => {
    if (at + 4 > b.length) return null;
    const v = b.readUInt32LE(at);
    at += 4;
    return v;
  };
  const bytes = (n: number): Buffer | null => {
    if (at + n > b.length) return null;
    const v = b.subarray(at, at + n);
    at += n;
    return v;
  };
  const count = u32();
  if (count === null) return null;
  const result: DirectoryXattrs = new Map();
  for (let i = 0; i < count; i++) {
    const index = u32();
    const n = u32();
    if (index === null || n === null) return null;
    const attrs: [BinaryPath, Uint8Array][] = [];
    for (let k = 0; k < n; k++) {
      const nl = u32();
      const name = nl === null ? null : bytes(nl);
      const vl = u32();
      const value = vl === null ? null : bytes(vl);
      if (name === null || value === null) return null;
      attrs.push([name.toString("latin1"), new Uint8Array(value)]);
    }
    attrs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    result.set(index, attrs);
  }
  return { result, used: at };
}
