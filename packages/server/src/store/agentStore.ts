// Agents: registration data (as a JSON doc), secrets (scrypt password hash, fingerprint digest),
// heartbeat time and activation mode. Deleted agents are kept (flagged) so their activities and
// tokens can be audited, but every lookup here ignores them.
import type { Queryable } from "../db/database.js";
import type { ActivationMode, AgentDoc, AgentRecord } from "./model.js";

interface AgentRow {
  id: string;
  project_id: string;
  registered_at: number;
  last_heartbeat_at: number | null;
  mode: ActivationMode;
  mode_until: number | null;
  doc: string;
}

const COLUMNS = `id, project_id, registered_at, last_heartbeat_at, mode, mode_until, doc`;

function toRecord(row: AgentRow): AgentRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    registeredAt: Number(row.registered_at),
    lastHeartbeatAt: row.last_heartbeat_at === null ? null : Number(row.last_heartbeat_at),
    mode: row.mode,
    modeUntil: row.mode_until === null ? null : Number(row.mode_until),
    doc: JSON.parse(row.doc) as AgentDoc,
  };
}

/** Agent data access. */
export class AgentStore {
  constructor(private readonly db: Queryable) {}

  async insert(agent: AgentRecord, secrets: { passwordHash: string; fingerprintHash: string; ownerUserId: string | null }): Promise<void> {
    await this.db.run(
      `INSERT INTO agents (id, project_id, machine_id, registered_at, mode, password_hash, fingerprint_hash, owner_user_id, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [agent.id, agent.projectId, agent.doc.host.machine.id, agent.registeredAt, agent.mode, secrets.passwordHash, secrets.fingerprintHash, secrets.ownerUserId, JSON.stringify(agent.doc)],
    );
  }

  /** The agent if it exists in `projectId` and is not deleted. */
  async get(projectId: string, id: string): Promise<AgentRecord | undefined> {
    const row = await this.db.get<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE id = ? AND project_id = ? AND deleted = 0`, [id, projectId]);
    return row === undefined ? undefined : toRecord(row);
  }

  /** The agent and its secrets, for agent authentication. */
  async getCredentials(projectId: string, id: string): Promise<{ agent: AgentRecord; passwordHash: string; fingerprintHash: string } | undefined> {
    const row = await this.db.get<AgentRow & { password_hash: string; fingerprint_hash: string }>(
      `SELECT ${COLUMNS}, password_hash, fingerprint_hash FROM agents WHERE id = ? AND project_id = ? AND deleted = 0`,
      [id, projectId],
    );
    return row === undefined ? undefined : { agent: toRecord(row), passwordHash: row.password_hash, fingerprintHash: row.fingerprint_hash };
  }

  async list(projectId: string, machineId?: string): Promise<AgentRecord[]> {
    const rows =
      machineId === undefined
        ? await this.db.all<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE project_id = ? AND deleted = 0 ORDER BY registered_at, id`, [projectId])
        : await this.db.all<AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE project_id = ? AND machine_id = ? AND deleted = 0 ORDER BY registered_at, id`, [projectId, machineId]);
    return rows.map(toRecord);
  }

  async updateDoc(id: string, doc: AgentDoc): Promise<void> {
    await this.db.run(`UPDATE agents SET doc = ?, machine_id = ? WHERE id = ?`, [JSON.stringify(doc), doc.host.machine.id, id]);
  }

  /**
   * Records a heartbeat at `at` only if the agent exists, is not deleted, and its previous
   * heartbeat is at most `withinMs` old — i.e. it was online whatever its mode, so nothing else
   * (no `agent_heartbeat` event) has to happen. Returns false when it did not apply; the caller
   * then takes the full path.
   */
  async heartbeatIfOnline(projectId: string, id: string, at: number, withinMs: number): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE agents SET last_heartbeat_at = ? WHERE id = ? AND project_id = ? AND deleted = 0 AND last_heartbeat_at IS NOT NULL AND last_heartbeat_at >= ? AND last_heartbeat_at <= ?`,
      [at, id, projectId, at - withinMs, at],
    );
    return changes === 1;
  }

  async heartbeat(id: string, at: number | null): Promise<void> {
    await this.db.run(`UPDATE agents SET last_heartbeat_at = ? WHERE id = ?`, [at, id]);
  }

  /** Sets the activation mode of one agent, or of every agent of the project when `agentId` is null. */
  async setMode(projectId: string, agentId: string | null, mode: ActivationMode, until: number | null): Promise<void> {
    if (agentId === null) await this.db.run(`UPDATE agents SET mode = ?, mode_until = ? WHERE project_id = ? AND deleted = 0`, [mode, until, projectId]);
    else await this.db.run(`UPDATE agents SET mode = ?, mode_until = ? WHERE id = ? AND project_id = ?`, [mode, until, agentId, projectId]);
  }

  async markDeleted(id: string): Promise<void> {
    await this.db.run(`UPDATE agents SET deleted = 1 WHERE id = ?`, [id]);
  }
}
