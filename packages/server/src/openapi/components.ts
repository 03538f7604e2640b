// Response schemas of the OpenAPI document (request schemas come from the routes themselves).
const str = { type: "string" } as const;
const nstr = { type: ["string", "null"] } as const;
const int = { type: "integer" } as const;
const bool = { type: "boolean" } as const;
const ts = { type: "string", format: "date-time" } as const;
const nts = { type: ["string", "null"], format: "date-time" } as const;
const links = { $ref: "#/components/schemas/Links" } as const;
const ref = { $ref: "#/components/schemas/Ref" } as const;
const obj = (properties: Record<string, unknown>, required?: string[]): Record<string, unknown> => ({ type: "object", properties, ...(required ? { required } : {}) });
const pathRule = obj({ type: { type: "string", enum: ["file", "folder"] }, path: str }, ["type", "path"]);
const errorsSummary = obj({ count: int, reason: str, diagnostics: nstr, links });
const schedule = { type: ["object", "null"], properties: { start: ts, recurrence: { type: "array", items: str }, time_zone: str } };
const backupsField = obj({ last_completed: { anyOf: [ref, { type: "null" }] }, next: { anyOf: [obj({ scheduled_time: ts }), { type: "null" }] } });

/** `components.schemas`. */
export const componentSchemas: Record<string, unknown> = {
  Error: obj({ message: str, errors: { type: "array", items: str } }, ["message"]),
  Link: obj({ href: str, rel: str }, ["href", "rel"]),
  Links: { type: "array", items: { $ref: "#/components/schemas/Link" } },
  Ref: obj({ id: str, links }, ["id"]),
  Vault: obj({ id: str, name: str, state: str, flavor: str, encrypted: bool, region: nstr, use_internal: bool, links }),
  Agent: obj({
    project_id: str,
    id: str,
    password: { type: "string", description: "Only in the registration response" },
    name: str,
    version: str,
    host: obj({
      flavor: { type: "string", enum: ["nova", "rackspace_dedicated", "rackspace_private_cloud"] },
      region: nstr,
      machine: obj({ id: str, links }),
      os: obj({ name: str, version: str, architecture: str }),
      addresses: { type: "array", items: obj({ version: { type: "integer", enum: [4, 6] }, addr: str }) },
    }),
    enabled: bool,
    rsa_public_key: obj({ modulus: str, exponent: { type: ["string", "integer"] } }),
    vault: { anyOf: [{ $ref: "#/components/schemas/Vault" }, { type: "null" }] },
    log_level: str,
    registered_time: str,
    links,
  }),
  AgentToken: obj({ token: obj({ id: str, expires: ts }) }),
  AgentConfiguration: obj({
    system_preferences: { type: "object" },
    vaults: { type: "array", items: obj({ id: str, use_internal: bool, encrypted: bool, links }) },
    configurations: {
      type: "array",
      items: obj({ id: str, name: str, enabled: bool, vault_id: nstr, retention: obj({ days: int }), times: { type: ["array", "null"], items: ts }, inclusions: { type: "array", items: pathRule }, exclusions: { type: "array", items: pathRule } }),
    },
  }),
  ConfigurationSummary: obj({ project_id: str, id: str, agent: ref, name: str, enabled: bool, schedule, retention: obj({ days: int }), backups: backupsField, links }),
  Configuration: obj({
    project_id: str,
    id: str,
    agent: ref,
    name: str,
    enabled: bool,
    schedule,
    retention: obj({ days: int }),
    inclusions: { type: "array", items: pathRule },
    exclusions: { type: "array", items: pathRule },
    notifications: { type: "array", items: obj({ type: str, destination: str, on_success: bool, on_failure: bool }) },
    deleted: bool,
    backups: backupsField,
    links,
  }),
  Backup: obj({
    project_id: str,
    id: str,
    agent: ref,
    configuration: ref,
    state: str,
    started_time: nts,
    ended_time: nts,
    snapshot_id: { type: ["integer", "null"] },
    errors: errorsSummary,
    files_searched: int,
    files_backed_up: int,
    bytes_searched: int,
    bytes_backed_up: int,
    bytes_in_db: int,
    bandwidth_avg_bps: int,
    restorable: bool,
    links,
  }),
  Restore: obj({
    project_id: str,
    id: str,
    backup: ref,
    destination_agent: ref,
    destination_path: nstr,
    overwrite_files: bool,
    inclusions: { type: "array", items: pathRule },
    exclusions: { type: "array", items: pathRule },
    state: str,
    started_time: nts,
    ended_time: nts,
    errors: errorsSummary,
    files_restored: int,
    bytes_restored: int,
    links,
  }),
  Cleanup: obj({ project_id: str, id: str, agent: ref, state: str, started_time: nts, ended_time: nts, snapshot_ids: { type: "array", items: int }, errors: errorsSummary, bytes_before: int, bytes_after: int, links }),
  ErrorReport: obj({
    count: int,
    reason: str,
    diagnostics: nstr,
    list: { type: "array", items: obj({ index: int, path: str, type: str, description: str, exception: { type: ["object", "null"] } }) },
    links,
  }),
  Activity: obj({ id: str, type: { type: "string", enum: ["backup", "restore", "cleanup"] }, last_updated_time: ts, state: str, agent: ref, configuration: ref, links }),
  Event: { type: "object", properties: { id: { type: "string", pattern: "^[0-9]+$" }, time: ts, event: str }, required: ["id", "time", "event"], additionalProperties: true },
  EventList: obj({ events: { type: "array", items: { $ref: "#/components/schemas/Event" } }, links }),
  RequestAccepted: obj({ id: str, links }),
  RequestResult: { type: "object", properties: { id: str, time: ts, event: str, agent: obj({ id: str }), request_id: str }, additionalProperties: true },
  BrowseResult: obj({
    id: str,
    time: ts,
    event: { type: "string", enum: ["host_browsed", "backup_browsed"] },
    agent: obj({ id: str }),
    request_id: str,
    succeeded: bool,
    path: str,
    path_encoded: nstr,
    items: { type: "array", items: obj({ name: str, name_encoded: nstr, bytes: int, mime_type: str }) },
  }),
  Logfile: obj({ id: str, date: ts, state: { type: "string", enum: ["requested", "started", "completed"] }, links }),
  SummarySettings: obj({ daily: bool, weekly: bool, notifications: { type: "array", items: obj({ type: str, destination: str }) } }),
  Health: { type: "object", properties: { event: { type: "object" }, storage: { type: "object" }, transport: { type: "object" } } },
  DependentHealth: obj({ online: bool, links }),
  Versions: obj({ versions: { type: "array", items: obj({ id: str, status: str, updated: str, links }) } }),
  Version: obj({ version: obj({ id: str, status: str, updated: str, links }) }),
  User: obj({ id: str, username: str, role: { type: "string", enum: ["admin", "creator", "observer"] }, password: str, links }),
  ApiKey: obj({ api_key: str, user: obj({ id: str, username: str }) }),
  Access: obj({
    access: obj({
      token: obj({ id: str, expires: ts, tenant: obj({ id: str, name: str }) }),
      user: obj({ id: str, name: str, roles: { type: "array", items: obj({ name: str, tenantId: str }) } }),
      serviceCatalog: { type: "array", items: obj({ name: str, type: str, endpoints: { type: "array", items: obj({ region: str, tenantId: str, publicURL: str, internalURL: str }) } }) },
    }),
  }),
};
