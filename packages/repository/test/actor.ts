// Parent side of test/children/actor.mjs: spawn an actor process on a repository directory,
// wait for its events, talk to it on stdin, and learn how it ended (exit code or signal).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./children/actor.mjs", import.meta.url));

export type Step =
  | { op: "open"; lockNowOffsetMs?: number; indexEvery?: number }
  | { op: "save"; seed: number; files?: number; chunks?: number; chunkBytes?: number }
  | { op: "flush" }
  | { op: "wait"; name: string }
  | { op: "snapshot"; timeNs?: number }
  | { op: "prune"; graceMs?: number }
  | { op: "close" };

export interface ActorJob {
  readonly root: string;
  readonly steps: readonly Step[];
  readonly kill?: { readonly after: number; readonly when: "before" | "after"; readonly keyPrefix?: string };
  readonly slowMs?: number;
  readonly pause?: { readonly operation: "put" | "delete"; readonly keyPrefix: string };
}

export interface ActorEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

export class Actor {
  readonly events: ActorEvent[] = [];
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];
  private stderr = "";

  constructor(repositoryJs: string, job: ActorJob) {
    this.child = spawn(process.execPath, [SCRIPT, JSON.stringify({ repositoryJs, ...job })], { stdio: ["pipe", "pipe", "pipe"] });
    let buffer = "";
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        this.events.push(JSON.parse(buffer.slice(0, nl)) as ActorEvent);
        buffer = buffer.slice(nl + 1);
        for (const w of this.waiters.splice(0)) w();
      }
    });
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.ended = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    void this.ended.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** The first event matching `predicate` (waits for it); throws if the process ends first. */
  async next(predicate: (e: ActorEvent) => boolean, what = "event"): Promise<ActorEvent> {
    let done = false;
    void this.ended.then(() => (done = true));
    for (;;) {
      const hit = this.events.find(predicate);
      if (hit) return hit;
      if (done || this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`actor ended before ${what}: ${JSON.stringify(this.events.slice(-3))} ${this.stderr}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for the named "waiting" event, then lets the actor go on. */
  async release(name: string): Promise<void> {
    await this.next((e) => e.event === "waiting" && e.name === name, `waiting ${name}`);
    this.child.stdin!.write(`${name}\n`);
  }

  /** Waits until the actor is at the named "wait" step. */
  async reached(name: string): Promise<void> {
    await this.next((e) => e.event === "waiting" && e.name === name, `waiting ${name}`);
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  /** Resolves once the actor exits 0; throws with its last events otherwise. */
  async succeeded(): Promise<void> {
    const { code, signal } = await this.ended;
    if (code !== 0) throw new Error(`actor exited with ${code ?? signal}: ${JSON.stringify(this.events.slice(-3))} ${this.stderr}`);
  }

  get stderrText(): string {
    return this.stderr;
  }
}
