// The stored shapes of Cloud Backup v2 resources (spec §2). Field names inside `doc` follow the
// wire format so views stay thin.
import type { ActivityKind, JobState } from "../state/machines.js";

export interface PathRule {
  type: "file" | "folder";
  path: string;
}

export interface Vault {
  id: string;
  name: string;
  state: string;
  flavor: string;
  encrypted: boolean;
  region: string | null;
  use_internal: boolean;
}

export interface AgentDoc {
  name: string;
  version: string;
  host: {
    flavor: "nova" | "rackspace_dedicated" | "rackspace_private_cloud";
    region: string | null;
    machine: { id: string };
    os: { name: string; version: string; architecture: string };
    addresses: { version: 4 | 6; addr: string }[];
  };
  rsa_public_key: { modulus: string; exponent: string | number };
  vault: Vault | null;
  enabled: boolean;
  log_level: string;
}

export interface AgentRecord {
  id: string;
  projectId: string;
  registeredAt: number;
  lastHeartbeatAt: number | null;
  mode: ActivationMode;
  modeUntil: number | null;
  doc: AgentDoc;
}

export type ActivationMode = "idle" | "active" | "real_time";

export interface ScheduleDoc {
  start: string;
  recurrence: string[];
  time_zone: string;
}

export interface Notification {
  type: "email";
  destination: string;
  on_success: boolean;
  on_failure: boolean;
}

export interface ConfigurationDoc {
  name: string;
  enabled: boolean;
  schedule: ScheduleDoc | null;
  retention: { days: number };
  inclusions: PathRule[];
  exclusions: PathRule[];
  notifications: Notification[];
}

export interface ConfigurationRecord {
  id: string;
  projectId: string;
  agentId: string;
  deleted: boolean;
  createdAt: number;
  updatedAt: number;
  scheduleCursor: number | null;
  doc: ConfigurationDoc;
}

export interface ErrorItem {
  index: number;
  path: string;
  type: string;
  description: string;
  exception: { code: number; description: string; details: string } | null;
}

export interface ErrorReport {
  count: number;
  reason: string;
  diagnostics: string | null;
  list: ErrorItem[];
}

/** A backup, restore or cleanup. `doc` holds the kind-specific wire fields. */
export interface JobRecord {
  seq: number;
  id: string;
  projectId: string;
  kind: ActivityKind;
  agentId: string;
  configurationId: string | null;
  backupId: string | null;
  vaultId: string | null;
  state: JobState;
  scheduledFor: number | null;
  createdAt: number;
  updatedAt: number;
  doc: Record<string, unknown>;
  errors: ErrorReport;
}

/** A job without its documents: what an activity (a projection, spec §2.9) needs. */
export type JobSummary = Omit<JobRecord, "doc" | "errors">;

export interface EventRecord {
  id: number;
  projectId: string;
  agentId: string | null;
  jobId: string | null;
  configurationId: string | null;
  type: string;
  createdAt: number;
  doc: Record<string, unknown>;
}

export type RequestKind = "host_browse" | "backup_browse" | "vault_encryption" | "vault_password_verify";

export interface AgentRequestRecord {
  id: string;
  projectId: string;
  agentId: string;
  kind: RequestKind;
  backupId: string | null;
  createdAt: number;
  doc: Record<string, unknown>;
  result: Record<string, unknown> | null;
}

export type LogfileState = "requested" | "started" | "completed";

export interface LogfileRecord {
  id: string;
  projectId: string;
  agentId: string;
  state: LogfileState;
  createdAt: number;
  updatedAt: number;
}

export interface SummarySettings {
  daily: boolean;
  weekly: boolean;
  notifications: { type: "email"; destination: string }[];
}
