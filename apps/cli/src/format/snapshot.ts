// How a snapshot is shown: one table row for people, a flat object for --json.
import { escapeName, shortId, type Snapshot, type SnapshotId } from "@cairn/manifest";
import { displayPaths } from "../snapshot/select.js";
import { formatBytes } from "./size.js";
import { escapeText } from "./text.js";
import { isoFromNs, localFromNs } from "./time.js";

export function snapshotJson(id: SnapshotId, s: Snapshot): Record<string, unknown> {
  return {
    id,
    shortId: shortId(id),
    time: isoFromNs(s.timeNs),
    host: s.host,
    paths: displayPaths(s),
    tags: s.tags,
    parent: s.parent,
    tree: s.tree,
    excludes: s.excludes,
    programVersion: s.programVersion,
    agentId: s.agentId,
    configurationId: s.configurationId,
    stats: s.stats,
    errorCount: s.errorCount,
    errors: s.errors.map((e) => ({ path: escapeName(e.path), message: e.message })),
  };
}

export const SNAPSHOT_HEADER = ["ID", "Time", "Host", "Tags", "Size", "Paths"];

export function snapshotRow(id: SnapshotId, s: Snapshot): string[] {
  const status = s.errorCount > 0 ? ` (${s.errorCount} unreadable)` : "";
  return [shortId(id), localFromNs(s.timeNs), escapeText(s.host), s.tags.map(escapeText).join(","), formatBytes(s.stats.bytesProcessed) + status, displayPaths(s).join(", ")];
}
