// Backup configurations. Deleting is soft (`deleted = 1`): the record stays readable by id.
import type { Queryable } from "../db/database.js";
import type { ConfigurationDoc, ConfigurationRecord } from "./model.js";

interface ConfigurationRow {
  id: string;
  project_id: string;
  agent_id: string;
  deleted: number;
  created_at: number;
  updated_at: number;
  schedule_cursor: number | null;
  doc: string;
}

const COLUMNS = `id, project_id, agent_id, deleted, created_at, updated_at, schedule_cursor, doc`;

function toRecord(row: ConfigurationRow): ConfigurationRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    agentId: row.agent_id,
    deleted: Number(row.deleted) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    scheduleCursor: row.schedule_cursor === null ? null : Number(row.schedule_cursor),
    doc: JSON.parse(row.doc) as ConfigurationDoc,
  };
}

/** Filters for {@link ConfigurationStore.list}. */
export interface ConfigurationFilter {
  agentId?: string;
  includeDeleted?: boolean;
}

/** Configuration data access. */
export class ConfigurationStore {
  constructor(private readonly db: Queryable) {}

  async insert(c: ConfigurationRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO configurations (id, project_id, agent_id, deleted, enabled, created_at, updated_at, schedule_cursor, doc) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)`,
      [c.id, c.projectId, c.agentId, c.doc.enabled ? 1 : 0, c.createdAt, c.updatedAt, c.scheduleCursor, JSON.stringify(c.doc)],
    );
  }

  /** The configuration (deleted ones included) if it belongs to `projectId`. */
  async get(projectId: string, id: string): Promise<ConfigurationRecord | undefined> {
    const row = await this.db.get<ConfigurationRow>(`SELECT ${COLUMNS} FROM configurations WHERE id = ? AND project_id = ?`, [id, projectId]);
    return row === undefined ? undefined : toRecord(row);
  }

  async list(projectId: string, filter: ConfigurationFilter = {}): Promise<ConfigurationRecord[]> {
    const where = ["project_id = ?"];
    const params: (string | number)[] = [projectId];
    if (filter.agentId !== undefined) {
      where.push("agent_id = ?");
      params.push(filter.agentId);
    }
    if (filter.includeDeleted !== true) where.push("deleted = 0");
    const rows = await this.db.all<ConfigurationRow>(`SELECT ${COLUMNS} FROM configurations WHERE ${where.join(" AND ")} ORDER BY seq`, params);
    return rows.map(toRecord);
  }

  /** Every enabled, scheduled, live configuration of every project (for the scheduler). */
  async listScheduled(): Promise<ConfigurationRecord[]> {
    const rows = await this.db.all<ConfigurationRow>(`SELECT ${COLUMNS} FROM configurations WHERE deleted = 0 AND enabled = 1 ORDER BY seq`);
    return rows.map(toRecord).filter((c) => c.doc.schedule !== null);
  }

  async update(id: string, doc: ConfigurationDoc, updatedAt: number, scheduleCursor: number | null): Promise<void> {
    await this.db.run(`UPDATE configurations SET doc = ?, enabled = ?, updated_at = ?, schedule_cursor = ? WHERE id = ?`, [
      JSON.stringify(doc),
      doc.enabled ? 1 : 0,
      updatedAt,
      scheduleCursor,
      id,
    ]);
  }

  async setCursor(id: string, cursor: number): Promise<void> {
    await this.db.run(`UPDATE configurations SET schedule_cursor = ? WHERE id = ?`, [cursor, id]);
  }

  async softDelete(id: string, at: number): Promise<void> {
    await this.db.run(`UPDATE configurations SET deleted = 1, updated_at = ? WHERE id = ?`, [at, id]);
  }

  async softDeleteForAgent(agentId: string, at: number): Promise<void> {
    await this.db.run(`UPDATE configurations SET deleted = 1, updated_at = ? WHERE agent_id = ? AND deleted = 0`, [at, agentId]);
  }
}
