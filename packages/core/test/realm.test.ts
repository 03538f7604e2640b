// Proves @cairn/core runs where there is no Node: the built package is loaded into a bare V8
// realm (see realm-runner.mjs) and must give the same bytes as the Node engines here.
import { execFileSync } from "node:child_process";
import { createCipheriv, createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chunkBoundaries, CHUNKER_PRESETS } from "../src/index.js";

const runner = fileURLToPath(new URL("./realm-runner.mjs", import.meta.url));

function runRealm(...args: string[]) {
  const stdout = execFileSync(process.execPath, ["--experimental-vm-modules", "--no-warnings", runner, ...args], { encoding: "utf8" });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const key = new Uint8Array(32).map((_, i) => i);
const nonce = new Uint8Array(12).map((_, i) => 100 + i);
const data = new Uint8Array(100000).map((_, i) => (i * 7) & 255);

function expected() {
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(new Uint8Array([1, 2, 3]));
  const ct = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return {
    sealedTail: ct.subarray(ct.length - 32).toString("hex"),
    blobId: createHmac("sha256", key).update(data).digest("hex"),
  };
}

describe("@cairn/core without Node globals", () => {
  it("falls back to the WASM engines when Web Crypto is missing (a page on plain http)", async () => {
    const r = runRealm();
    expect(r.globals).toEqual({ process: "undefined", Buffer: "undefined", require: "undefined" });
    expect(r.aesEngines).toEqual(["wasm"]);
    expect(r.aesEngine).toBe("wasm");
    expect(r.blobIdEngine).toBe("wasm");
    const want = expected();
    expect(r.sealed).toBe(want.sealedTail);
    expect(r.roundTrip).toBe(true);
    expect(r.tamper).toBe("AuthenticationError");
    expect(r.blobId).toBe(want.blobId);
    expect(r.cuts).toEqual(await chunkBoundaries(key, CHUNKER_PRESETS.small, data));
  });

  it("uses Web Crypto when the realm has it (a page on https)", async () => {
    const r = runRealm("--with-webcrypto");
    expect(r.aesEngines).toEqual(["webcrypto", "wasm"]);
    expect(r.aesEngine).toBe("webcrypto");
    expect(r.blobIdEngine).toBe("webcrypto");
    const want = expected();
    expect(r.sealed).toBe(want.sealedTail);
    expect(r.roundTrip).toBe(true);
    expect(r.tamper).toBe("AuthenticationError");
    expect(r.blobId).toBe(want.blobId);
  });
});
