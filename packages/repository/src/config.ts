// The repository config (`config`, sealed as object type "config"; FORMAT.md §2.3): written once
// by `init`, never modified. Plaintext is UTF-8 JSON, small and meant to be read by people
// debugging a repository as much as by code.
import type { ChunkerParams } from "@cairn/core";
import { CorruptObjectError, UnsupportedVersionError } from "./errors.js";
import { fromHex, fromUtf8, utf8 } from "./internal/bytes.js";
import type { CompressionSetting } from "./compression.js";
import type { KdfParams } from "./keys/passwordKdf.js";

/** The repository format version this code writes and the highest it reads. */
export const REPOSITORY_VERSION = 1;

export interface RepositoryConfig {
  readonly version: number;
  /** 32 random bytes, hex: identifies the repository wherever it is stored. */
  readonly id: string;
  readonly createdMs: number;
  /** Chunker algorithm (see @cairn/core CHUNKING.md) and its size parameters, fixed forever. */
  readonly chunker: { readonly algorithm: "cairn-gear-v1" } & ChunkerParams;
  /** How new blobs are compressed (readers decode whatever each blob's codec says). */
  readonly compression: CompressionSetting;
  /** Pack target size in bytes and whether pack lengths are padded (Padmé). */
  readonly packs: { readonly targetSize: number; readonly padding: "padme" | "none" };
  /** The first key slot's KDF and calibration, for the record (each slot stores its own). */
  readonly kdf: { readonly algorithm: string; readonly params: string; readonly targetMs: number; readonly measuredMs: number };
}

export function kdfSummary(kdf: KdfParams): string {
  return kdf.algorithm === "argon2id" ? `m=${kdf.memoryKiB}KiB,t=${kdf.iterations},p=${kdf.parallelism}` : `N=2^${kdf.logN},r=${kdf.r},p=${kdf.p}`;
}

export function encodeConfig(config: RepositoryConfig): Uint8Array {
  return utf8(JSON.stringify({ cairn: "repository", ...config }));
}

/**
 * @throws {CorruptObjectError} if the plaintext is not a valid config.
 * @throws {UnsupportedVersionError} if it is from a newer format version.
 */
export function decodeConfig(plain: Uint8Array): RepositoryConfig {
  const fail = (detail: string): never => {
    throw new CorruptObjectError("config", detail);
  };
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(fromUtf8(plain)) as Record<string, unknown>;
  } catch {
    fail("not UTF-8 JSON");
  }
  if (json.cairn !== "repository") fail('not a repository config (field "cairn")');
  if (typeof json.version !== "number" || !Number.isInteger(json.version) || json.version < 1) fail(`bad version ${String(json.version)}`);
  if ((json.version as number) > REPOSITORY_VERSION) throw new UnsupportedVersionError("config", json.version as number, REPOSITORY_VERSION);
  if (typeof json.id !== "string" || !fromHex(json.id, 32)) fail("bad repository id");
  const chunker = json.chunker as RepositoryConfig["chunker"] | undefined;
  if (!chunker || chunker.algorithm !== "cairn-gear-v1" || ![chunker.minSize, chunker.avgSize, chunker.maxSize].every((n) => Number.isInteger(n) && n > 0)) fail("bad chunker parameters");
  const compression = json.compression as CompressionSetting | undefined;
  if (!compression || !(compression.algorithm === "none" || (compression.algorithm === "zstd" && Number.isInteger(compression.level)))) fail("bad compression setting");
  const packs = json.packs as RepositoryConfig["packs"] | undefined;
  if (!packs || !Number.isInteger(packs.targetSize) || packs.targetSize < 1024 || (packs.padding !== "padme" && packs.padding !== "none")) fail("bad pack settings");
  return {
    version: json.version as number,
    id: json.id as string,
    createdMs: typeof json.createdMs === "number" ? json.createdMs : 0,
    chunker: chunker!,
    compression: compression!,
    packs: packs!,
    kdf: (json.kdf as RepositoryConfig["kdf"]) ?? { algorithm: "unknown", params: "", targetMs: 0, measuredMs: 0 },
  };
}
