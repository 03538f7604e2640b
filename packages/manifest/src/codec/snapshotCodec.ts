// Snapshots on the wire: one map keyed by the field numbers below, with a nested stats map
// (FORMAT.md §7.6). Same rules and wording in both directions, as for nodes.
import { ManifestError } from "../errors.js";
import { compareBytes, utf8 } from "../internal/bytes.js";
import { array, bytes, object } from "../internal/validate.js";
import type { SnapshotId, TreeId } from "../ids.js";
import { INT64_MAX, INT64_MIN, LIMITS } from "../limits.js";
import { absolutePathProblem, pathListProblem } from "../names.js";
import type { Snapshot, SnapshotError, SnapshotStats } from "../snapshot.js";
import { bigField, bytesField, idField, present, textField, uintField } from "./checks.js";
import { MAX_MAP_ENTRIES, readKey, type DecodeOptions } from "./fields.js";
import { readIdHex } from "./nodeDecoder.js";
import type { Reader } from "./reader.js";
import type { Writer } from "./writer.js";

export const SNAPSHOT_FIELDS = {
  timeNs: 0, host: 1, agentId: 2, configurationId: 3, paths: 4, tags: 5, parent: 6, tree: 7,
  excludes: 8, programVersion: 9, stats: 10, errorCount: 11, errors: 12,
} as const;
type SnapshotField = keyof typeof SNAPSHOT_FIELDS;
const SNAPSHOT_BY_KEY = Object.keys(SNAPSHOT_FIELDS) as SnapshotField[];
const REQUIRED: readonly SnapshotField[] = ["timeNs", "host", "paths", "tree", "programVersion", "stats", "errorCount"];

export const STATS_FIELDS = {
  filesNew: 0, filesChanged: 1, filesUnmodified: 2, dirsNew: 3, dirsChanged: 4, dirsUnmodified: 5,
  dataBlobsAdded: 6, treeBlobsAdded: 7, bytesAdded: 8, bytesAddedStored: 9, filesProcessed: 10, bytesProcessed: 11,
} as const;
type StatsField = keyof typeof STATS_FIELDS;
const STATS_BY_KEY = Object.keys(STATS_FIELDS) as StatsField[];
const BYTE_STATS: ReadonlySet<StatsField> = new Set(["bytesAdded", "bytesAddedStored", "bytesProcessed"]);
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const LAST_KEY = SNAPSHOT_BY_KEY.length - 1;

function tagOrder(i: number, previous: string, tag: string): [code: "duplicate" | "unsorted", detail: string] | null {
  const order = compareBytes(utf8(previous), utf8(tag));
  if (order === 0) return ["duplicate", `repeats tags[${i - 1}]`];
  if (order > 0) return ["unsorted", `tags must be in ascending order of their UTF-8 bytes, but this one sorts before tags[${i - 1}]`];
  return null;
}

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeSnapshotBody(w: Writer, value: unknown): void {
  const s = object<Record<string, unknown>>("snapshot", value);
  const at = (f: string) => `snapshot.${f}`;
  const fields: [number, () => void][] = [];
  const put = (f: SnapshotField, write: () => void) => fields.push([SNAPSHOT_FIELDS[f], write]);

  const time = bigField("snapshot", "timeNs", s.timeNs, INT64_MIN, INT64_MAX);
  put("timeNs", () => w.int(time));
  const host = textField("snapshot", "host", s.host, 1, LIMITS.maxLabelBytes);
  put("host", () => w.text(host));
  for (const f of ["agentId", "configurationId"] as const) {
    if (!present(s[f])) continue;
    const v = textField("snapshot", f, s[f], 1, LIMITS.maxIdTextBytes);
    put(f, () => w.text(v));
  }
  const paths = array<unknown>(at("paths"), s.paths).map((p, i) => bytes(`${at("paths")}[${i}]`, p));
  const pathProblem = pathListProblem(paths);
  if (pathProblem) throw new ManifestError(pathProblem.code, pathProblem.index >= 0 ? `${at("paths")}[${pathProblem.index}]` : at("paths"), pathProblem.detail);
  put("paths", () => {
    w.array(paths.length);
    for (const p of paths) w.bytes(p);
  });
  const tags = array<unknown>(at("tags"), s.tags ?? []);
  if (tags.length > LIMITS.maxTags) throw new ManifestError("limit-exceeded", at("tags"), `at most ${LIMITS.maxTags} items allowed, got ${tags.length}`);
  const tagList = tags.map((t, i) => {
    const tag = textField("snapshot.tags", `[${i}]`, t, 1, LIMITS.maxLabelBytes);
    const bad = i > 0 ? tagOrder(i, tags[i - 1] as string, tag) : null;
    if (bad) throw new ManifestError(bad[0], `${at("tags")}[${i}]`, bad[1]);
    return tag;
  });
  if (tagList.length > 0) put("tags", () => {
    w.array(tagList.length);
    for (const t of tagList) w.text(t);
  });
  if (present(s.parent)) {
    const parent = idField("snapshot", "parent", s.parent);
    put("parent", () => w.hexBytes(parent));
  }
  const tree = idField("snapshot", "tree", s.tree);
  put("tree", () => w.hexBytes(tree));
  const excludes = array<unknown>(at("excludes"), s.excludes ?? []);
  if (excludes.length > LIMITS.maxPaths) throw new ManifestError("limit-exceeded", at("excludes"), `at most ${LIMITS.maxPaths} items allowed, got ${excludes.length}`);
  const excludeList = excludes.map((e, i) => textField("snapshot.excludes", `[${i}]`, e, 1, LIMITS.maxPatternBytes));
  if (excludeList.length > 0) put("excludes", () => {
    w.array(excludeList.length);
    for (const e of excludeList) w.text(e);
  });
  const program = textField("snapshot", "programVersion", s.programVersion, 1, LIMITS.maxIdTextBytes);
  put("programVersion", () => w.text(program));
  const stats = checkStats(at("stats"), s.stats);
  put("stats", () => {
    w.map(stats.length);
    stats.forEach((v, key) => {
      w.uint(key);
      w.uint(v);
    });
  });
  const errorCount = uintField("snapshot", "errorCount", s.errorCount, 0, MAX_COUNT);
  put("errorCount", () => w.uint(errorCount));
  const errors = checkErrors(at("errors"), s.errors ?? [], errorCount);
  if (errors.length > 0) put("errors", () => {
    w.array(errors.length);
    for (const e of errors) {
      w.array(2);
      w.bytes(e.path);
      w.text(e.message);
    }
  });

  w.map(fields.length);
  for (const [key, write] of fields) {
    w.uint(key);
    write();
  }
}

function checkStats(field: string, value: unknown): (number | bigint)[] {
  const stats = object<Record<string, unknown>>(field, value);
  return STATS_BY_KEY.map((name) =>
    BYTE_STATS.has(name) ? bigField(field, name, stats[name], 0n, INT64_MAX) : uintField(field, name, stats[name], 0, MAX_COUNT),
  );
}

function checkErrors(field: string, value: unknown, errorCount: number): SnapshotError[] {
  const list = array<unknown>(field, value);
  if (list.length > LIMITS.maxErrorEntries) throw new ManifestError("limit-exceeded", field, `at most ${LIMITS.maxErrorEntries} items allowed, got ${list.length}`);
  if (list.length > errorCount) throw new ManifestError("inconsistent", field, `${list.length} errors are listed but errorCount is ${errorCount}`);
  return list.map((item, i) => {
    const e = object<Record<string, unknown>>(`${field}[${i}]`, item);
    const path = bytesField(`${field}[${i}]`, "path", e.path, 1, LIMITS.maxPathBytes);
    const problem = absolutePathProblem(path);
    if (problem) throw new ManifestError(problem.code, `${field}[${i}].path`, problem.detail);
    const message = textField(`${field}[${i}]`, "message", e.message, 1, LIMITS.maxErrorMessageBytes);
    return { path, message };
  });
}

// ---------------------------------------------------------------------------------------------
// Decoding (field names are relative; the reader's path starts at "snapshot")

function nonEmptyList(r: Reader, max: number, minItemBytes: number): number {
  const count = r.array("", max, minItemBytes);
  if (count === 0) r.fail("not-canonical", "", "an empty list must be omitted, not encoded", r.at);
  return count;
}

export function decodeSnapshotBody(r: Reader, options: DecodeOptions): Snapshot {
  const keyAt: number[] = [];
  let timeNs = 0n, host = "", program = "", errorCount = 0;
  let agentId: string | null = null, configurationId: string | null = null, parent: SnapshotId | null = null;
  let tree: TreeId | undefined;
  const paths: Uint8Array[] = [], tags: string[] = [], excludes: string[] = [], errors: SnapshotError[] = [];
  let stats: SnapshotStats | undefined;

  const mapAt = r.pos;
  const count = r.map("", MAX_MAP_ENTRIES);
  let previous = -1;
  for (let k = 0; k < count; k++) {
    const kAt = r.pos;
    const key = readKey(r, previous, LAST_KEY, options);
    previous = key;
    if (key > LAST_KEY) continue;
    keyAt[key] = kAt;
    const name = SNAPSHOT_BY_KEY[key]!;
    switch (name) {
      case "timeNs":
        timeNs = r.bigInt(name, INT64_MIN, INT64_MAX);
        break;
      case "host":
        host = r.text(name, 1, LIMITS.maxLabelBytes);
        break;
      case "agentId":
        agentId = r.text(name, 1, LIMITS.maxIdTextBytes);
        break;
      case "configurationId":
        configurationId = r.text(name, 1, LIMITS.maxIdTextBytes);
        break;
      case "paths": {
        r.enter(name);
        const n = r.array("", LIMITS.maxPaths, 2);
        const listAt = r.at;
        const offsets: number[] = [];
        for (let i = 0; i < n; i++) {
          offsets.push(r.pos);
          paths.push(r.bytes(`[${i}]`, 1, LIMITS.maxPathBytes));
        }
        const p = pathListProblem(paths);
        if (p) r.fail(p.code, p.index >= 0 ? `[${p.index}]` : "", p.detail, p.index >= 0 ? offsets[p.index]! : listAt);
        r.leave();
        break;
      }
      case "tags": {
        r.enter(name);
        const n = nonEmptyList(r, LIMITS.maxTags, 2);
        for (let i = 0; i < n; i++) {
          const tag = r.text(`[${i}]`, 1, LIMITS.maxLabelBytes);
          const bad = i > 0 ? tagOrder(i, tags[i - 1]!, tag) : null;
          if (bad) r.fail(bad[0], `[${i}]`, bad[1], r.at);
          tags.push(tag);
        }
        r.leave();
        break;
      }
      case "parent":
        parent = readIdHex(r, name) as SnapshotId;
        break;
      case "tree":
        tree = readIdHex(r, name) as TreeId;
        break;
      case "excludes": {
        r.enter(name);
        const n = nonEmptyList(r, LIMITS.maxPaths, 2);
        for (let i = 0; i < n; i++) excludes.push(r.text(`[${i}]`, 1, LIMITS.maxPatternBytes));
        r.leave();
        break;
      }
      case "programVersion":
        program = r.text(name, 1, LIMITS.maxIdTextBytes);
        break;
      case "stats":
        r.enter(name);
        stats = readStats(r, options);
        r.leave();
        break;
      case "errorCount":
        errorCount = r.uint(name, MAX_COUNT);
        break;
      case "errors": {
        r.enter(name);
        const listAt = r.pos;
        const n = nonEmptyList(r, LIMITS.maxErrorEntries, 5);
        for (let i = 0; i < n; i++) {
          r.enter(i);
          const pair = r.array("", 2, 1);
          if (pair !== 2) r.fail("wrong-type", "", `an error entry must be a 2-item array [path, message], got ${pair} items`, r.at);
          const path = r.bytes("path", 1, LIMITS.maxPathBytes);
          const problem = absolutePathProblem(path);
          if (problem) r.fail(problem.code, "path", problem.detail, r.at);
          errors.push({ path, message: r.text("message", 1, LIMITS.maxErrorMessageBytes) });
          r.leave();
        }
        if (errors.length > errorCount) r.fail("inconsistent", "", `${errors.length} errors are listed but errorCount is ${errorCount}`, listAt);
        r.leave();
        break;
      }
    }
  }

  for (const req of REQUIRED) {
    if (keyAt[SNAPSHOT_FIELDS[req]] === undefined) r.fail("missing-field", req, `required field ${SNAPSHOT_FIELDS[req]} (${req}) is missing`, mapAt);
  }
  return { timeNs, host, agentId, configurationId, paths, tags, parent, tree: tree!, excludes, programVersion: program, stats: stats!, errorCount, errors };
}

function readStats(r: Reader, options: DecodeOptions): SnapshotStats {
  const values: (number | bigint)[] = [];
  const mapAt = r.pos;
  const count = r.map("", MAX_MAP_ENTRIES);
  let previous = -1;
  for (let k = 0; k < count; k++) {
    const key = readKey(r, previous, STATS_BY_KEY.length - 1, options);
    previous = key;
    if (key >= STATS_BY_KEY.length) continue;
    const name = STATS_BY_KEY[key]!;
    values[key] = BYTE_STATS.has(name) ? r.bigUint(name, INT64_MAX) : r.uint(name, MAX_COUNT);
  }
  const out: Record<string, number | bigint> = {};
  STATS_BY_KEY.forEach((name, key) => {
    if (values[key] === undefined) r.fail("missing-field", name, `required field ${key} (${name}) is missing`, mapAt);
    out[name] = values[key]!;
  });
  return out as unknown as SnapshotStats;
}
