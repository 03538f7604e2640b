// What the agent tells the server about its host (spec §3.4): name, OS, addresses, and a
// fingerprint that stays the same across restarts of this agent but differs for a copy of it
// on another machine (the server answers 409 then: a cloned server must register anew).
// The fingerprint hashes the machine id (/etc/machine-id, else the host name) with the data
// directory's absolute path, so two agents on one machine with separate data dirs differ too.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { arch, hostname, networkInterfaces, release, type } from "node:os";
import { resolve } from "node:path";

export interface HostFacts {
  name: string;
  os: { name: string; version: string; architecture: string };
  addresses: { version: 4 | 6; addr: string }[];
  machineId: string;
}

function machineId(): string {
  for (const path of ["/etc/machine-id", "/var/lib/dbus/machine-id"]) {
    try {
      const id = readFileSync(path, "utf8").trim();
      if (id.length > 0) return id;
    } catch {
      // try the next one
    }
  }
  return `host:${hostname()}`;
}

/** Facts about this host, read now. */
export function hostFacts(): HostFacts {
  const addresses: HostFacts["addresses"] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) addresses.push({ version: a.family === "IPv6" ? 6 : 4, addr: a.address });
  }
  const bits = ["x64", "arm64", "ppc64", "s390x", "riscv64", "loong64"].includes(arch()) ? "64-bit" : "32-bit";
  return { name: hostname(), os: { name: type(), version: release(), architecture: bits }, addresses: addresses.slice(0, 16), machineId: machineId() };
}

/** The stable fingerprint of this agent installation. */
export function fingerprintFor(dataDir: string, facts: HostFacts = hostFacts()): string {
  return createHash("sha256").update(`cairn-agent fingerprint v1\0${facts.machineId}\0${resolve(dataDir)}`).digest("hex");
}
