// Agent log-file upload requests (spec §2.14, §4.8).
import type { Queryable } from "../db/database.js";
import type { LogfileRecord, LogfileState } from "./model.js";

interface LogfileRow {
  id: string;
  project_id: string;
  agent_id: string;
  state: LogfileState;
  created_at: number;
  updated_at: number;
}

const toRecord = (r: LogfileRow): LogfileRecord => ({
  id: r.id,
  projectId: r.project_id,
  agentId: r.agent_id,
  state: r.state,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const COLUMNS = `id, project_id, agent_id, state, created_at, updated_at`;

/** Log-file data access. */
export class LogfileStore {
  constructor(private readonly db: Queryable) {}

  async insert(l: LogfileRecord): Promise<void> {
    await this.db.run(`INSERT INTO logfiles (id, project_id, agent_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, [
      l.id,
      l.projectId,
      l.agentId,
      l.state,
      l.createdAt,
      l.updatedAt,
    ]);
  }

  async get(agentId: string, id: string): Promise<LogfileRecord | undefined> {
    const row = await this.db.get<LogfileRow>(`SELECT ${COLUMNS} FROM logfiles WHERE id = ? AND agent_id = ?`, [id, agentId]);
    return row === undefined ? undefined : toRecord(row);
  }

  async list(agentId: string): Promise<LogfileRecord[]> {
    return (await this.db.all<LogfileRow>(`SELECT ${COLUMNS} FROM logfiles WHERE agent_id = ? ORDER BY seq`, [agentId])).map(toRecord);
  }

  async setState(id: string, state: LogfileState, at: number): Promise<void> {
    await this.db.run(`UPDATE logfiles SET state = ?, updated_at = ? WHERE id = ?`, [state, at, id]);
  }

  async delete(id: string): Promise<void> {
    await this.db.run(`DELETE FROM logfiles WHERE id = ?`, [id]);
  }
}
