// Proves the main entry of @cairn/storage runs where there is no Node: the package's JavaScript
// is loaded into a bare V8 realm (see realm-runner.mjs), and memory storage, retry and fault
// injection work there.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";

const runner = fileURLToPath(new URL("./realm-runner.mjs", import.meta.url));

describe("@cairn/storage without Node globals", () => {
  it("runs MemoryStorage, withRetry and withFaults in a realm with only browser globals", () => {
    const stdout = execFileSync(process.execPath, ["--experimental-vm-modules", "--no-warnings", runner, inject("storageJs")], { encoding: "utf8" });
    const r = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(r.globals).toEqual({ process: "undefined", Buffer: "undefined", require: "undefined" });
    expect(r.roundTrip).toBe("hello, browser");
    expect(r.range).toBe("browser");
    expect(r.errors).toEqual(["ObjectExistsError", "ObjectNotFoundError", "RangeNotSatisfiableError", "RangeError"]);
    expect(r.listed).toBe(20);
    expect(r.injected).toBeGreaterThan(0);
  });
});
