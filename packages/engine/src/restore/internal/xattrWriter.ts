// Setting extended attributes. Node has no setxattr binding and the engine takes no native
// dependency, so — like the backup's reader (backup/xattrReader.ts) — a small long-lived python3
// helper does it, started only when a restored entry has xattrs. It is handed paths of the form
// /proc/<our pid>/fd/<fd>[/<name>]: for a file or directory, the magic link to the exact inode we
// hold open (followed on purpose); for a symlink, its name inside a directory we hold open, with
// follow_symlinks=False. So the helper, too, can never be steered outside the target.
// Where python3 is missing, or the file system refuses an attribute, the restore goes on and
// says so in its warnings.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { Buffer } from "node:buffer";
import type { Readable, Writable } from "node:stream";
import { findPython, PYTHON_FRAMING } from "../../internal/pythonHelper.js";

// Request: u32 length + path, u8 follow, u32 count, then count × (u32 + name, u32 + value).
// Response: u32 count of failures, then each as u32 length + "name: reason".
const SCRIPT = PYTHON_FRAMING + String.raw`
while True:
    path = rd(u32())
    follow = rd(1) == b'\x01'
    count = u32()
    errors = []
    for i in range(count):
        name = rd(u32())
        value = rd(u32())
        try:
            os.setxattr(path, name, value, follow_symlinks=follow)
        except OSError as e:
            errors.append((name + b': ' + os.strerror(e.errno).encode()))
    parts = [struct.pack('<I', len(errors))]
    for e in errors:
        parts.append(struct.pack('<I', len(e)) + e)
    out.write(b''.join(parts))
    out.flush()
`;

/** Finds a python3 that can set xattrs, or null. */
export function findXattrPython(): string | null {
  return findPython("import os; os.setxattr");
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
};

/** One helper process; requests are answered in order. */
export class XattrWriter {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly waiting: { resolve: (errors: string[]) => void; reject: (e: Error) => void }[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  constructor(python: string) {
    this.child = spawn(python, ["-c", SCRIPT], { stdio: ["pipe", "pipe", "ignore"] });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      this.drain();
    });
    const die = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.child.on("error", die);
    this.child.on("exit", (code) => die(new Error(`xattr helper exited with ${code}`)));
    this.child.stdin.on("error", die);
  }

  /** Sets `attrs` on `path`; resolves to the attributes that could not be set (name: reason). */
  set(path: Buffer, follow: boolean, attrs: readonly { name: Uint8Array; value: Uint8Array }[]): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    const parts: Buffer[] = [u32(path.length), path, Buffer.of(follow ? 1 : 0), u32(attrs.length)];
    for (const a of attrs) parts.push(u32(a.name.length), Buffer.from(a.name), u32(a.value.length), Buffer.from(a.value));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(Buffer.concat(parts));
    });
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const b = this.pending;
      if (b.length < 4) return;
      const count = b.readUInt32LE(0);
      let at = 4;
      const errors: string[] = [];
      for (let i = 0; i < count; i++) {
        if (at + 4 > b.length) return;
        const n = b.readUInt32LE(at);
        if (at + 4 + n > b.length) return;
        errors.push(b.subarray(at + 4, at + 4 + n).toString("utf8"));
        at += 4 + n;
      }
      this.pending = b.subarray(at);
      this.waiting.shift()!.resolve(errors);
    }
  }

  close(): void {
    this.child.stdin.end();
  }
}
