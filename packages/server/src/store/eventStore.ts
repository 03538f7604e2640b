// The events feed. Ids come from a sequence and are exposed as decimal strings; they are
// the markers of tail-polling. Events are transient: the server purges old ones.
import type { Queryable, SqlValue } from "../db/database.js";
import type { EventRecord } from "./model.js";

interface EventRow {
  id: number;
  project_id: string;
  agent_id: string | null;
  job_id: string | null;
  configuration_id: string | null;
  type: string;
  created_at: number;
  doc: string;
}

const COLUMNS = `id, project_id, agent_id, job_id, configuration_id, type, created_at, doc`;

function toRecord(row: EventRow): EventRecord {
  return {
    id: Number(row.id),
    projectId: row.project_id,
    agentId: row.agent_id,
    jobId: row.job_id,
    configurationId: row.configuration_id,
    type: row.type,
    createdAt: Number(row.created_at),
    doc: JSON.parse(row.doc) as Record<string, unknown>,
  };
}

/** Which events to list: a project feed, narrowed to an agent, a job or a configuration. */
export interface EventQuery {
  projectId: string;
  /** Events of this agent plus project-wide ones (agent_activate for every agent). */
  agentId?: string;
  jobId?: string;
  configurationId?: string;
  /** Only events newer (asc) / older (desc) than this id. */
  marker?: number;
  limit: number;
  dir: "asc" | "desc";
}

/** Event data access. */
export class EventStore {
  constructor(private readonly db: Queryable) {}

  /** Appends an event; returns its id. */
  async append(e: Omit<EventRecord, "id">): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      `INSERT INTO events (project_id, agent_id, job_id, configuration_id, type, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [e.projectId, e.agentId, e.jobId, e.configurationId, e.type, e.createdAt, JSON.stringify(e.doc)],
    );
    return Number(row?.id);
  }

  /** Up to `limit + 1` events. */
  async page(q: EventQuery): Promise<EventRecord[]> {
    if (q.agentId !== undefined) return this.agentPage(q, q.agentId);
    const where = ["project_id = ?"];
    const params: SqlValue[] = [q.projectId];
    if (q.jobId !== undefined) {
      where.push("job_id = ?");
      params.push(q.jobId);
    }
    if (q.configurationId !== undefined) {
      where.push("configuration_id = ?");
      params.push(q.configurationId);
    }
    if (q.marker !== undefined) {
      where.push(q.dir === "asc" ? "id > ?" : "id < ?");
      params.push(q.marker);
    }
    const rows = await this.db.all<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE ${where.join(" AND ")} ORDER BY id ${q.dir === "asc" ? "ASC" : "DESC"} LIMIT ?`,
      [...params, q.limit + 1],
    );
    return rows.map(toRecord);
  }

  /**
   * An agent's feed: its own events merged with the project-wide ones, each side an index range
   * scan (agent_id, id) / (project_id, agent_id IS NULL, id), so a poll costs O(page) however
   * busy the rest of the project is.
   */
  private async agentPage(q: EventQuery, agentId: string): Promise<EventRecord[]> {
    const asc = q.dir === "asc";
    const bound = q.marker ?? (asc ? 0 : Number.MAX_SAFE_INTEGER);
    const cmp = asc ? ">" : "<";
    const order = asc ? "ASC" : "DESC";
    const n = q.limit + 1;
    const rows = await this.db.all<EventRow>(
      `SELECT ${COLUMNS} FROM (
         SELECT ${COLUMNS} FROM (SELECT ${COLUMNS} FROM events WHERE agent_id = ? AND project_id = ? AND id ${cmp} ? ORDER BY id ${order} LIMIT ?) own
         UNION ALL
         SELECT ${COLUMNS} FROM (SELECT ${COLUMNS} FROM events WHERE project_id = ? AND agent_id IS NULL AND id ${cmp} ? ORDER BY id ${order} LIMIT ?) everyone
       ) feed ORDER BY id ${order} LIMIT ?`,
      [agentId, q.projectId, bound, n, q.projectId, bound, n, n],
    );
    return rows.map(toRecord);
  }

  /** Deletes events created before `before`; returns how many. */
  async purge(before: number): Promise<number> {
    return (await this.db.run(`DELETE FROM events WHERE created_at < ?`, [before])).changes;
  }
}
