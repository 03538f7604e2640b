// Jobs this agent has started and not yet finished reporting, in <data dir>/running.json.
// Written when a job starts and cleared once its final report is in the outbox. If the agent
// dies in between (killed, power loss), the next start finds the entry and reports the job as
// failed, so no job is left `in_progress` forever; the data a killed backup had already stored
// stays indexed (the engine checkpoints), so the next backup does not upload it again.
import { join } from "node:path";
import { readJson, writeJson } from "./jsonFile.js";

export interface JournalEntry {
  kind: "backup" | "restore" | "cleanup";
  id: string;
  startedAt: string;
}

export class Journal {
  #entries: JournalEntry[] = [];
  private constructor(private readonly path: string) {}

  static async load(dataDir: string): Promise<Journal> {
    const j = new Journal(join(dataDir, "running.json"));
    j.#entries = (await readJson<JournalEntry[]>(j.path)) ?? [];
    return j;
  }

  /** Entries left by a previous run. */
  get entries(): readonly JournalEntry[] {
    return this.#entries;
  }

  async add(entry: JournalEntry): Promise<void> {
    this.#entries = [...this.#entries.filter((e) => e.id !== entry.id), entry];
    await writeJson(this.path, this.#entries);
  }

  async remove(id: string): Promise<void> {
    this.#entries = this.#entries.filter((e) => e.id !== id);
    await writeJson(this.path, this.#entries);
  }
}
