#!/usr/bin/env node
// cairn: the command line for Cairn repositories. See the package README for every command.
import { once } from "node:events";
import { main } from "../main.js";

// `cairn ls … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main(process.argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
// Exit explicitly once output is flushed: a finished command must not linger on some idle
// handle (a worker pool, a keep-alive socket) it forgot to close.
if (process.stdout.writableNeedDrain) await once(process.stdout, "drain");
if (process.stderr.writableNeedDrain) await once(process.stderr, "drain");
process.exit(code);
