// Wire types of the Cloud Backup API v2 (spec §2). Timestamps are ISO-8601 strings.

export interface Link {
  href: string;
  rel: string;
}

/** A project role (the `cloudbackup:` prefixed names are accepted too). */
export type Role = "admin" | "creator" | "observer" | "cloudbackup:admin" | "cloudbackup:creator" | "cloudbackup:observer";

/** A user of the project (`/users`, Cairn extension). */
export interface ProjectUser {
  id: string;
  username: string;
  role: "admin" | "creator" | "observer";
  links: Link[];
}

/** A new API key (shown once). */
export interface ApiKey {
  api_key: string;
  user: { id: string; username: string };
}

/** An entry of `GET /` (and the body of `GET /v2`). */
export interface VersionInfo {
  id: string;
  status: string;
  updated?: string;
  links: Link[];
}

/** `{id, links}`: a reference to another resource. */
export interface Ref {
  id: string;
  links: Link[];
}

export type Flavor = "nova" | "rackspace_dedicated" | "rackspace_private_cloud";
export type LogLevel = "all" | "trace" | "debug" | "info" | "warn" | "error" | "fatal";
export type ActivationMode = "idle" | "active" | "real_time";
export type JobKind = "backup" | "restore" | "cleanup";
export type JobState =
  | "start_requested"
  | "start_scheduled"
  | "queued"
  | "preparing"
  | "in_progress"
  | "stop_requested"
  | "completed"
  | "completed_with_errors"
  | "failed"
  | "stopped"
  | "skipped"
  | "missed";

export interface HostOs {
  name: string;
  version: string;
  architecture: string;
}

export interface Address {
  version: 4 | 6;
  addr: string;
}

export interface Vault {
  id: string;
  name: string;
  state: string;
  flavor: string;
  encrypted: boolean;
  region: string | null;
  use_internal: boolean;
  links: Link[];
}

export interface Agent {
  project_id: string;
  id: string;
  /** Only in the registration response. */
  password?: string;
  name: string;
  version: string;
  host: { flavor: Flavor; region: string | null; machine: { id: string; links: Link[] }; os: HostOs; addresses: Address[] };
  enabled: boolean;
  rsa_public_key: { modulus: string; exponent: string | number };
  vault: Vault | null;
  log_level: LogLevel;
  registered_time: string;
  links: Link[];
}

export interface RegisterAgentInput {
  name: string;
  version: string;
  host: { flavor: Flavor; region?: string | null; machine: { id: string }; os: HostOs; fingerprint: string; addresses: Address[] };
  rsa_public_key: { modulus: string; exponent: string | number };
  vault?: { use_internal?: boolean };
}

export interface AgentStatus {
  busy: boolean;
  online: boolean;
}

export interface PathRule {
  type: "file" | "folder";
  path: string;
}

export interface Notification {
  type: "email";
  destination: string;
  on_success: boolean;
  on_failure: boolean;
}

export interface ScheduleInput {
  recurrence: [string];
  time_zone: string;
}

export interface Schedule extends ScheduleInput {
  start: string;
}

export interface ConfigurationInput {
  agent_id: string;
  name: string;
  enabled: boolean;
  schedule: ScheduleInput | null;
  retention: { days: number };
  inclusions: PathRule[];
  exclusions: PathRule[];
  notifications: Notification[];
}

export interface ConfigurationSummary {
  project_id: string;
  id: string;
  agent: Ref;
  name: string;
  enabled: boolean;
  schedule: Schedule | null;
  retention: { days: number };
  backups: { last_completed: Ref | null; next: { scheduled_time: string } | null };
  links: Link[];
}

export interface Configuration extends ConfigurationSummary {
  inclusions: PathRule[];
  exclusions: PathRule[];
  notifications: Notification[];
  deleted: boolean;
}

export interface AgentConfiguration {
  system_preferences: {
    environment: { minimum_disk_space_mb: Record<JobKind, number> };
    logging: { level: LogLevel };
    events: {
      rse: {
        host: string;
        channel: string;
        polling: { interval_ms: Record<ActivationMode, number>; timeout_ms: Record<ActivationMode, number> };
        heartbeat: { interval_ms: Record<ActivationMode, number>; timeout_ms: Record<ActivationMode, number> };
      };
      mode: ActivationMode;
    };
    backup_controls: { disable_vss: number };
  };
  vaults: { id: string; use_internal: boolean; encrypted: boolean; links: Link[] }[];
  configurations: { id: string; name: string; enabled: boolean; vault_id: string | null; retention: { days: number }; times: string[] | null; inclusions: PathRule[]; exclusions: PathRule[] }[];
}

export interface ErrorSummary {
  count: number;
  reason: string;
  diagnostics: string | null;
  links: Link[];
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
  links: Link[];
}

interface JobBase {
  project_id: string;
  id: string;
  state: JobState;
  started_time: string | null;
  ended_time: string | null;
  errors: ErrorSummary;
  links: Link[];
}

export interface Backup extends JobBase {
  agent: Ref;
  configuration: Ref;
  snapshot_id: number | null;
  files_searched: number;
  files_backed_up: number;
  bytes_searched: number;
  bytes_backed_up: number;
  bytes_in_db: number;
  bandwidth_avg_bps: number;
  restorable: boolean;
}

export interface Restore extends JobBase {
  backup: Ref;
  destination_agent: Ref;
  destination_path: string | null;
  overwrite_files: boolean;
  /** Absent in lists. */
  inclusions?: PathRule[];
  exclusions?: PathRule[];
  files_restored: number;
  bytes_restored: number;
}

export interface RestoreInput {
  backup_id: string;
  destination_agent_id: string;
  destination_path?: string | null;
  overwrite_files?: boolean;
  encrypted_password_hex?: string | null;
  inclusions?: PathRule[];
  exclusions?: PathRule[];
}

export interface Cleanup extends JobBase {
  agent: Ref;
  snapshot_ids: number[];
  bytes_before: number;
  bytes_after: number;
}

export interface Activity {
  id: string;
  type: JobKind;
  last_updated_time: string;
  state: JobState;
  agent: Ref;
  configuration?: Ref;
  links: Link[];
}

/** A feed event: `{id, time, event}` plus type-specific fields. */
export interface FeedEvent {
  id: string;
  time: string;
  event: string;
  [field: string]: unknown;
}

export interface RequestAccepted {
  id: string;
  links: Link[];
}

export interface BrowseItem {
  name: string;
  name_encoded?: string | null;
  bytes: number;
  mime_type: string;
}

export interface BrowseResult extends FeedEvent {
  agent: { id: string };
  request_id: string;
  succeeded: boolean;
  path: string;
  path_encoded: string | null;
  items: BrowseItem[];
}

export interface RequestResult extends FeedEvent {
  agent: { id: string };
  request_id: string;
}

export interface Logfile {
  id: string;
  date: string;
  state: "requested" | "started" | "completed";
  links: Link[];
}

export interface SummarySettings {
  daily: boolean;
  weekly: boolean;
  notifications: { type: "email"; destination: string }[];
}

/** A page of a list, with the server's next/previous links. */
export interface Page<T> {
  items: T[];
  links: Link[];
}

/** Paging parameters (spec §1.5). */
export interface PageQuery {
  marker?: string;
  limit?: number;
  sort_dir?: "asc" | "desc";
}
