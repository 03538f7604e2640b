// `cairn init`: create an empty encrypted repository. The chunker and pack parameters are fixed
// for the repository's lifetime (they are part of its config), so they can only be chosen here.
import { CHUNKER_PRESETS, type ChunkerParams } from "@cairn/core";
import type { CompressionSetting, KdfChoice } from "@cairn/repository";
import { InvalidArgumentError, type Command } from "commander";
import { runAction, type CommandEnv } from "../cli/runner.js";
import { parseKdf } from "../options/kdf.js";
import { parseSize } from "../options/numbers.js";
import { formatBytes } from "../format/size.js";

function parseChunker(value: string): ChunkerParams {
  if (value === "small" || value === "large") return CHUNKER_PRESETS[value];
  const parts = value.split(",").map((p) => parseSize(p));
  if (parts.length !== 3) throw new InvalidArgumentError(`expected small, large or MIN,AVG,MAX (e.g. 512KiB,1MiB,8MiB), got ${JSON.stringify(value)}`);
  const [minSize, avgSize, maxSize] = parts as [number, number, number];
  return { minSize, avgSize, maxSize };
}

function parseCompression(value: string): CompressionSetting {
  if (value === "off" || value === "none") return { algorithm: "none" };
  if (value === "auto") return { algorithm: "zstd", level: 3 };
  if (value === "max") return { algorithm: "zstd", level: 19 };
  const m = /^zstd(?::(\d+))?$/.exec(value);
  if (m) {
    const level = m[1] === undefined ? 3 : Number(m[1]);
    if (level < 1 || level > 22) throw new InvalidArgumentError(`zstd level must be 1..22, got ${level}`);
    return { algorithm: "zstd", level };
  }
  throw new InvalidArgumentError(`expected auto, off, max or zstd:LEVEL, got ${JSON.stringify(value)}`);
}

interface InitOpts {
  kdf?: KdfChoice;
  chunker?: ChunkerParams;
  compression?: CompressionSetting;
  packSize?: number;
  label?: string;
}

export function registerInit(program: Command, env: CommandEnv): void {
  program
    .command("init")
    .description("create a new encrypted repository")
    .option("--kdf <spec>", "password KDF of the first key: argon2id (calibrated, default), argon2id:m=KiB,t=N, scrypt:logN=N", parseKdf)
    .option("--chunker <params>", "chunk sizes, fixed forever: large (512KiB,1MiB,8MiB; default), small (2KiB,8KiB,64KiB) or MIN,AVG,MAX", parseChunker)
    .option("--compression <mode>", "auto (zstd level 3, default), off, max or zstd:LEVEL", parseCompression)
    .option("--pack-size <size>", "target pack size (default 16MiB)", parseSize)
    .option("--label <text>", "label of the first key slot (shown by `cairn key list`; stored in clear)")
    .addHelpText("after", "\nExample:\n  CAIRN_PASSWORD=… cairn init --repo /srv/backup")
    .action(
      runAction(env, async (session, _args, raw) => {
        const o = raw as InitOpts;
        const repo = await session.init({
          ...(o.kdf ? { kdf: o.kdf } : {}),
          ...(o.chunker ? { chunker: o.chunker } : {}),
          ...(o.compression ? { compression: o.compression } : {}),
          ...(o.packSize !== undefined ? { packSize: o.packSize } : {}),
          ...(o.label !== undefined ? { label: o.label } : {}),
        });
        const c = repo.config;
        const where = session.location().display;
        session.out.emit({ repository: where, id: c.id, version: c.version, chunker: c.chunker, compression: c.compression, packs: c.packs, keySlot: repo.keySlot.id, kdf: c.kdf });
        session.out.message(`created cairn repository ${c.id.slice(0, 10)} at ${where}`);
        session.out.detail(
          `  chunks ${formatBytes(c.chunker.minSize)}/${formatBytes(c.chunker.avgSize)}/${formatBytes(c.chunker.maxSize)}, packs ${formatBytes(c.packs.targetSize)}, compression ${c.compression.algorithm === "zstd" ? `zstd level ${c.compression.level}` : "off"}, key ${c.kdf.algorithm} ${c.kdf.params}`,
        );
        session.out.message("");
        session.out.message("Keep the password safe: without it nobody, not even you, can read this repository's data.");
      }),
    );
}
