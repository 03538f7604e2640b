// Whole-file reads of small files, synchronous and read ahead on the thread pool
// (src/backup/worker/smallFileRead.ts): both give the same bytes and the same post-read state,
// a file larger than listed is "grew" (the caller streams it instead), and errors — a missing
// file, a symlink in the file's place — come back as values from the read-ahead, never as
// rejections.
import { Buffer } from "node:buffer";
import { closeSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openForReading, readSmallAsync, readSmallSync, type SmallRead } from "../../src/backup/worker/smallFileRead.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-small-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => Buffer.from(join(dir, name));

function data(r: SmallRead): { bytes: Buffer; ino: bigint; size: bigint } {
  if ("error" in r || "grew" in r) throw new Error(`expected data, got ${JSON.stringify(r)}`);
  return { bytes: Buffer.from(r.buf.subarray(0, r.n)), ino: r.st.ino, size: r.st.size };
}

describe("small-file reads", () => {
  it("sync and read-ahead give the same bytes and state, for empty, tiny and larger files", async () => {
    for (const [name, content] of [["empty", Buffer.alloc(0)], ["tiny", Buffer.from("hello\n")], ["larger", Buffer.alloc(300_000, 7)]] as const) {
      writeFileSync(path(name), content);
      const fd = openForReading(path(name));
      let sync: SmallRead;
      try {
        sync = readSmallSync(fd, content.length);
      } finally {
        closeSync(fd);
      }
      const ahead = await readSmallAsync(path(name), content.length);
      expect(data(ahead).bytes.equals(content)).toBe(true);
      expect(data(sync).bytes.equals(content)).toBe(true);
      expect(data(ahead).ino).toBe(data(sync).ino);
      expect(data(ahead).size).toBe(BigInt(content.length));
    }
  });

  it("a file larger than listed is 'grew'; one smaller than listed reads what is there", async () => {
    writeFileSync(path("grown"), Buffer.alloc(5000, 1));
    expect(await readSmallAsync(path("grown"), 4000)).toEqual({ grew: true });
    const fd = openForReading(path("grown"));
    try {
      expect(readSmallSync(fd, 4000)).toEqual({ grew: true });
    } finally {
      closeSync(fd);
    }
    writeFileSync(path("shrunk"), Buffer.alloc(100, 2));
    const r = data(await readSmallAsync(path("shrunk"), 4000));
    expect(r.bytes.length).toBe(100); // the caller compares with the listing and reports a change
  });

  it("a missing file and a symlink in a file's place are errors (ENOENT, ELOOP), never followed", async () => {
    const missing = await readSmallAsync(path("nope"), 10);
    expect("error" in missing && (missing.error as NodeJS.ErrnoException).code).toBe("ENOENT");
    writeFileSync(path("target"), "secret");
    symlinkSync(join(dir, "target"), join(dir, "link"));
    const link = await readSmallAsync(path("link"), 6);
    expect("error" in link && (link.error as NodeJS.ErrnoException).code).toBe("ELOOP");
    expect(() => openForReading(path("link"))).toThrow(expect.objectContaining({ code: "ELOOP" }));
  });
});
