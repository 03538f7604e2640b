// Backups, restores and cleanups share one table (`jobs`), so activities — a projection of all
// three — are a plain query over it. `seq` orders creation and is the pagination key.
import type { Queryable, SqlValue } from "../db/database.js";
import type { ActivityKind, JobState } from "../state/machines.js";
import type { ErrorReport, JobRecord, JobSummary } from "./model.js";

interface JobRow {
  seq: number;
  id: string;
  project_id: string;
  kind: ActivityKind;
  agent_id: string;
  configuration_id: string | null;
  backup_id: string | null;
  vault_id: string | null;
  state: JobState;
  scheduled_for: number | null;
  created_at: number;
  updated_at: number;
  doc: string;
  errors: string | null;
}

const SUMMARY_COLUMNS = `seq, id, project_id, kind, agent_id, configuration_id, backup_id, vault_id, state, scheduled_for, created_at, updated_at`;
const COLUMNS = `${SUMMARY_COLUMNS}, doc, errors`;
const TERMINAL_SQL = `('completed','completed_with_errors','failed','stopped','skipped','missed')`;

/** The error summary of a job nobody has reported errors for. */
export const emptyErrors = (): ErrorReport => ({ count: 0, reason: "", diagnostics: "", list: [] });

function toSummary(row: Omit<JobRow, "doc" | "errors">): JobSummary {
  return {
    seq: Number(row.seq),
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    agentId: row.agent_id,
    configurationId: row.configuration_id,
    backupId: row.backup_id,
    vaultId: row.vault_id,
    state: row.state,
    scheduledFor: row.scheduled_for === null ? null : Number(row.scheduled_for),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toRecord(row: JobRow): JobRecord {
  return {
    ...toSummary(row),
    doc: JSON.parse(row.doc) as Record<string, unknown>,
    errors: row.errors === null ? emptyErrors() : (JSON.parse(row.errors) as ErrorReport),
  };
}

/** A filtered, paginated listing of jobs. */
export interface JobQuery {
  projectId: string;
  kinds: readonly ActivityKind[];
  agentId?: string;
  configurationId?: string;
  states?: readonly string[];
  agentIds?: readonly string[];
  configurationIds?: readonly string[];
  restorable?: boolean;
  /** Only rows after (asc) / before (desc) this sequence number. */
  afterSeq?: number;
  limit: number;
  dir: "asc" | "desc";
}

const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

/** The SELECT of one page of jobs matching `q`. */
function pageQuery(q: JobQuery, columns: string): { sql: string; params: SqlValue[] } {
  // All three kinds = no kind filter, so the (project_id, seq) index serves the ORDER BY.
  const allKinds = new Set(q.kinds).size === 3;
  const where: string[] = allKinds ? ["project_id = ?"] : ["project_id = ?", `kind IN (${placeholders(q.kinds.length)})`];
  const params: SqlValue[] = allKinds ? [q.projectId] : [q.projectId, ...q.kinds];
  const add = (sql: string, ...values: SqlValue[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (q.agentId !== undefined) add("agent_id = ?", q.agentId);
  if (q.configurationId !== undefined) add("configuration_id = ?", q.configurationId);
  if (q.states !== undefined && q.states.length > 0) add(`state IN (${placeholders(q.states.length)})`, ...q.states);
  if (q.agentIds !== undefined && q.agentIds.length > 0) add(`agent_id IN (${placeholders(q.agentIds.length)})`, ...q.agentIds);
  if (q.configurationIds !== undefined && q.configurationIds.length > 0) add(`configuration_id IN (${placeholders(q.configurationIds.length)})`, ...q.configurationIds);
  if (q.restorable !== undefined) add("restorable = ?", q.restorable ? 1 : 0);
  if (q.afterSeq !== undefined) add(q.dir === "asc" ? "seq > ?" : "seq < ?", q.afterSeq);
  return {
    sql: `SELECT ${columns} FROM jobs WHERE ${where.join(" AND ")} ORDER BY seq ${q.dir === "asc" ? "ASC" : "DESC"} LIMIT ?`,
    params: [...params, q.limit + 1],
  };
}

/** Job data access. */
export class JobStore {
  constructor(private readonly db: Queryable) {}

  /** Inserts a job; returns its sequence number. */
  async insert(job: Omit<JobRecord, "seq">): Promise<number> {
    const row = await this.db.get<{ seq: number }>(
      `INSERT INTO jobs (id, project_id, kind, agent_id, configuration_id, backup_id, vault_id, state, restorable, scheduled_for, created_at, updated_at, doc, errors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING seq`,
      [job.id, job.projectId, job.kind, job.agentId, job.configurationId, job.backupId, job.vaultId, job.state, job.scheduledFor, job.createdAt, job.updatedAt, JSON.stringify(job.doc), JSON.stringify(job.errors)],
    );
    return Number(row?.seq);
  }

  /** The job of `kind` with `id` in `projectId` (any kind when `kind` is undefined). */
  async get(projectId: string, id: string, kind?: ActivityKind): Promise<JobRecord | undefined> {
    const row =
      kind === undefined
        ? await this.db.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ? AND project_id = ?`, [id, projectId])
        : await this.db.get<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE id = ? AND project_id = ? AND kind = ?`, [id, projectId, kind]);
    return row === undefined ? undefined : toRecord(row);
  }

  /** Saves state, doc and errors (and `restorable` derived by the caller). */
  async update(job: JobRecord, restorable: boolean): Promise<void> {
    await this.db.run(`UPDATE jobs SET state = ?, restorable = ?, updated_at = ?, doc = ?, errors = ? WHERE id = ?`, [
      job.state,
      restorable ? 1 : 0,
      job.updatedAt,
      JSON.stringify(job.doc),
      JSON.stringify(job.errors),
      job.id,
    ]);
  }

  /** Sequence number of `id` in `projectId`, for turning a marker into a position. */
  async seqOf(projectId: string, id: string): Promise<number | undefined> {
    const row = await this.db.get<{ seq: number }>(`SELECT seq FROM jobs WHERE id = ? AND project_id = ?`, [id, projectId]);
    return row === undefined ? undefined : Number(row.seq);
  }

  /** Up to `limit + 1` rows (the extra one tells the caller there is a next page). */
  async page(q: JobQuery): Promise<JobRecord[]> {
    const { sql, params } = pageQuery(q, COLUMNS);
    return (await this.db.all<JobRow>(sql, params)).map(toRecord);
  }

  /** As {@link page}, without the documents (activities need none: no JSON to parse per row). */
  async summaryPage(q: JobQuery): Promise<JobSummary[]> {
    const { sql, params } = pageQuery(q, SUMMARY_COLUMNS);
    return (await this.db.all<Omit<JobRow, "doc" | "errors">>(sql, params)).map(toSummary);
  }

  /** The running (non-terminal) backup of a configuration, if any. */
  async activeBackup(configurationId: string): Promise<JobRecord | undefined> {
    const row = await this.db.get<JobRow>(
      `SELECT ${COLUMNS} FROM jobs WHERE configuration_id = ? AND kind = 'backup' AND state NOT IN ${TERMINAL_SQL} ORDER BY seq DESC LIMIT 1`,
      [configurationId],
    );
    return row === undefined ? undefined : toRecord(row);
  }

  /** Non-terminal jobs an agent must run (backups/cleanups it owns, restores it is the destination of). */
  async activeForAgent(agentId: string): Promise<JobRecord[]> {
    const rows = await this.db.all<JobRow>(`SELECT ${COLUMNS} FROM jobs WHERE agent_id = ? AND state NOT IN ${TERMINAL_SQL} ORDER BY seq`, [agentId]);
    return rows.map(toRecord);
  }

  /** The newest restorable backup of a configuration. */
  async lastCompleted(configurationId: string): Promise<JobRecord | undefined> {
    const row = await this.db.get<JobRow>(
      `SELECT ${COLUMNS} FROM jobs WHERE configuration_id = ? AND kind = 'backup' AND restorable = 1 ORDER BY seq DESC LIMIT 1`,
      [configurationId],
    );
    return row === undefined ? undefined : toRecord(row);
  }

  /** Ids of configurations of `projectId` that have at least one restorable backup. */
  async configurationsWithRestorable(projectId: string): Promise<Set<string>> {
    const rows = await this.db.all<{ configuration_id: string }>(
      `SELECT DISTINCT configuration_id FROM jobs WHERE project_id = ? AND kind = 'backup' AND restorable = 1 AND configuration_id IS NOT NULL`,
      [projectId],
    );
    return new Set(rows.map((r) => r.configuration_id));
  }

  /** True when a vault holds data (a restorable backup was written to it). */
  async vaultHasData(vaultId: string): Promise<boolean> {
    return (await this.db.get(`SELECT id FROM jobs WHERE vault_id = ? AND restorable = 1 LIMIT 1`, [vaultId])) !== undefined;
  }

  /** True when a scheduled backup for `configurationId` was recorded for occurrence `at`. */
  async hasScheduledRun(configurationId: string, at: number): Promise<boolean> {
    return (await this.db.get(`SELECT id FROM jobs WHERE configuration_id = ? AND scheduled_for = ? LIMIT 1`, [configurationId, at])) !== undefined;
  }
}
