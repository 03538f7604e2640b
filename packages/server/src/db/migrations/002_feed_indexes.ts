// Version 2: indexes for the two hottest reads — newest-first activity pages across all job
// kinds (project_id, seq) and an agent's feed of project-wide events (project_id, agent_id, id).
import type { Migration } from "../migrate.js";

export const feedIndexes: Migration = {
  version: 2,
  name: "feed indexes",
  up: () => [`CREATE INDEX jobs_project_seq ON jobs (project_id, seq)`, `CREATE INDEX events_project_agent ON events (project_id, agent_id, id)`],
};
