// A separate Node process using FileSystemStorage, driven by fsProcesses.test.ts. It loads the
// package's JavaScript from the directory in $CAIRN_STORAGE_JS (see transpile.ts).
//   write-forever <root> <bytes>
//       puts data/obj-0000, data/obj-0001, … (every byte of object i is i & 255) until killed,
//       printing "wrote <i>" after each.
//   race <root> <createMode> <writer> <key>...
//       prints "ready", waits for "go" on stdin, then puts every key at once (every byte is the
//       writer number), and prints one JSON line: { <key>: "ok" | "exists" | <error> }.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const js = process.env.CAIRN_STORAGE_JS;
const { FileSystemStorage } = await import(pathToFileURL(join(js, "fs", "index.js")).href);
const { ObjectExistsError, withRetry } = await import(pathToFileURL(join(js, "index.js")).href);

const [mode, root, ...rest] = process.argv.slice(2);

if (mode === "write-forever") {
  const size = Number(rest[0]);
  const storage = new FileSystemStorage(root);
  for (let i = 0; ; i++) {
    await storage.put(`data/obj-${String(i).padStart(4, "0")}`, new Uint8Array(size).fill(i & 255));
    process.stdout.write(`wrote ${i}\n`);
  }
} else if (mode === "race") {
  const [createMode, writer, ...keys] = rest;
  // In claim mode a writer can find a claim held for longer than it waits; that is retryable.
  const storage = withRetry(new FileSystemStorage(root, { createMode }), { attempts: 20, baseDelayMs: 5, maxDelayMs: 50 });
  const data = new Uint8Array(256 * 1024 + Number(writer)).fill(Number(writer));
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  const results = await Promise.all(
    keys.map((key) =>
      storage.put(key, data).then(
        () => "ok",
        (error) => (error instanceof ObjectExistsError ? "exists" : String(error)),
      ),
    ),
  );
  process.stdout.write(`${JSON.stringify(Object.fromEntries(keys.map((key, i) => [key, results[i]])))}\n`);
  process.exit(0);
} else {
  throw new Error(`fsChild: unknown mode ${mode}`);
}
