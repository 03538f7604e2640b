// Asynchronous requests handed to an agent — host/backup browsing, vault encryption, vault
// password verification — and the results the agent reports for them.
import type { Queryable } from "../db/database.js";
import type { AgentRequestRecord, RequestKind } from "./model.js";

interface RequestRow {
  id: string;
  project_id: string;
  agent_id: string;
  kind: RequestKind;
  backup_id: string | null;
  created_at: number;
  doc: string;
  result: string | null;
}

function toRecord(row: RequestRow): AgentRequestRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    agentId: row.agent_id,
    kind: row.kind,
    backupId: row.backup_id,
    createdAt: Number(row.created_at),
    doc: JSON.parse(row.doc) as Record<string, unknown>,
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
  };
}

const COLUMNS = `id, project_id, agent_id, kind, backup_id, created_at, doc, result`;

/** Agent request data access. */
export class RequestStore {
  constructor(private readonly db: Queryable) {}

  async insert(r: AgentRequestRecord): Promise<void> {
    await this.db.run(`INSERT INTO agent_requests (id, project_id, agent_id, kind, backup_id, created_at, doc, result) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`, [
      r.id,
      r.projectId,
      r.agentId,
      r.kind,
      r.backupId,
      r.createdAt,
      JSON.stringify(r.doc),
    ]);
  }

  /** The request with `id` of project `projectId` (any kind), or undefined. */
  async get(projectId: string, id: string): Promise<AgentRequestRecord | undefined> {
    const row = await this.db.get<RequestRow>(`SELECT ${COLUMNS} FROM agent_requests WHERE id = ? AND project_id = ?`, [id, projectId]);
    return row === undefined ? undefined : toRecord(row);
  }

  async setResult(id: string, result: Record<string, unknown>): Promise<void> {
    await this.db.run(`UPDATE agent_requests SET result = ? WHERE id = ?`, [JSON.stringify(result), id]);
  }

  /** Requests of an agent not yet answered (re-sent when the agent starts up). */
  async pending(agentId: string): Promise<AgentRequestRecord[]> {
    const rows = await this.db.all<RequestRow>(`SELECT ${COLUMNS} FROM agent_requests WHERE agent_id = ? AND result IS NULL ORDER BY created_at`, [agentId]);
    return rows.map(toRecord);
  }

  /** Deletes requests created before `before`. */
  async purge(before: number): Promise<number> {
    return (await this.db.run(`DELETE FROM agent_requests WHERE created_at < ?`, [before])).changes;
  }
}
