// Version 1: identity (projects, users, memberships, API keys, tokens) and the v2 resources.
// Resources keep their indexed columns as real columns and the rest as a JSON document
// (`doc`), so the schema stays portable between SQLite and PostgreSQL.
import type { Dialect } from "../database.js";
import type { Migration } from "../migrate.js";

function serialKey(dialect: Dialect): string {
  return dialect === "sqlite" ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
}

export const initialSchema: Migration = {
  version: 1,
  name: "initial",
  up: (dialect) => [
    `CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)`,
    `CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash TEXT,
       created_at BIGINT NOT NULL)`,
    `CREATE TABLE memberships (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE, role TEXT NOT NULL,
       PRIMARY KEY (user_id, project_id))`,
    `CREATE TABLE api_keys (key_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       created_at BIGINT NOT NULL)`,
    `CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, user_id TEXT, project_id TEXT, agent_id TEXT,
       expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL)`,
    `CREATE INDEX tokens_expiry ON tokens (expires_at)`,
    `CREATE TABLE agents (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, machine_id TEXT,
       deleted INTEGER NOT NULL DEFAULT 0, registered_at BIGINT NOT NULL, last_heartbeat_at BIGINT,
       mode TEXT NOT NULL DEFAULT 'idle', mode_until BIGINT, password_hash TEXT NOT NULL,
       fingerprint_hash TEXT NOT NULL, owner_user_id TEXT, doc TEXT NOT NULL)`,
    `CREATE INDEX agents_project ON agents (project_id, deleted)`,
    `CREATE TABLE configurations (seq ${serialKey(dialect)}, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
       agent_id TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, enabled INTEGER NOT NULL,
       created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, schedule_cursor BIGINT, doc TEXT NOT NULL)`,
    `CREATE INDEX configurations_project ON configurations (project_id, agent_id)`,
    `CREATE TABLE jobs (seq ${serialKey(dialect)}, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
       kind TEXT NOT NULL, agent_id TEXT NOT NULL, configuration_id TEXT, backup_id TEXT, vault_id TEXT,
       state TEXT NOT NULL, restorable INTEGER NOT NULL DEFAULT 0, scheduled_for BIGINT,
       created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, doc TEXT NOT NULL, errors TEXT)`,
    `CREATE INDEX jobs_project ON jobs (project_id, kind, seq)`,
    `CREATE INDEX jobs_agent ON jobs (agent_id, seq)`,
    `CREATE INDEX jobs_configuration ON jobs (configuration_id, seq)`,
    `CREATE INDEX jobs_vault ON jobs (vault_id, restorable)`,
    `CREATE TABLE events (id ${serialKey(dialect)}, project_id TEXT NOT NULL, agent_id TEXT, job_id TEXT,
       configuration_id TEXT, type TEXT NOT NULL, created_at BIGINT NOT NULL, doc TEXT NOT NULL)`,
    `CREATE INDEX events_project ON events (project_id, id)`,
    `CREATE INDEX events_agent ON events (agent_id, id)`,
    `CREATE INDEX events_job ON events (job_id, id)`,
    `CREATE INDEX events_configuration ON events (configuration_id, id)`,
    `CREATE INDEX events_created ON events (created_at)`,
    `CREATE TABLE agent_requests (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, agent_id TEXT NOT NULL,
       kind TEXT NOT NULL, backup_id TEXT, created_at BIGINT NOT NULL, doc TEXT NOT NULL, result TEXT)`,
    `CREATE INDEX agent_requests_agent ON agent_requests (agent_id, kind)`,
    `CREATE TABLE logfiles (seq ${serialKey(dialect)}, id TEXT NOT NULL UNIQUE, project_id TEXT NOT NULL,
       agent_id TEXT NOT NULL, state TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
    `CREATE INDEX logfiles_agent ON logfiles (agent_id, seq)`,
    `CREATE TABLE summary_settings (project_id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
  ],
};
