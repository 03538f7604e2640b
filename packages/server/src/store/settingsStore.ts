// Per-project summary e-mail settings (spec §2.17).
import type { Queryable } from "../db/database.js";
import type { SummarySettings } from "./model.js";

/** Settings of a project that never saved any. */
export const DEFAULT_SUMMARY_SETTINGS: SummarySettings = { daily: false, weekly: false, notifications: [] };

/** Summary settings data access. */
export class SettingsStore {
  constructor(private readonly db: Queryable) {}

  async get(projectId: string): Promise<SummarySettings> {
    const row = await this.db.get<{ doc: string }>(`SELECT doc FROM summary_settings WHERE project_id = ?`, [projectId]);
    return row === undefined ? { ...DEFAULT_SUMMARY_SETTINGS } : (JSON.parse(row.doc) as SummarySettings);
  }

  async put(projectId: string, settings: SummarySettings): Promise<void> {
    await this.db.run(`INSERT INTO summary_settings (project_id, doc) VALUES (?, ?) ON CONFLICT (project_id) DO UPDATE SET doc = excluded.doc`, [
      projectId,
      JSON.stringify(settings),
    ]);
  }
}
