// Maps with unsigned-integer field keys: the one extension point of the format. Keys must be
// strictly ascending (canonical order, and no duplicates). A key the reader does not know is
// skipped if it is odd (an ignorable addition) and rejected if it is even (the writer says it
// must be understood), FORMAT.md §7.8.
import { LIMITS } from "../limits.js";
import type { Reader } from "./reader.js";

/** Options for every decoder. */
export interface DecodeOptions {
  /**
   * Called for each ignorable unknown field that was skipped (an odd key this version does not
   * know), with its field path, e.g. `tree.nodes[2].21`. Such an object came from a newer
   * writer; re-encoding the decoded value would drop the field.
   */
  readonly onUnknownField?: (field: string) => void;
}

/** Most entries any map may have (known fields plus ignorable unknown ones). */
export const MAX_MAP_ENTRIES = 256;

/**
 * Reads the next key of a map whose known keys are 0..lastKnown, checking that keys ascend
 * strictly after `previous`. An unknown odd key's value is skipped (and reported); an unknown
 * even key fails. Returns the key; a key above `lastKnown` means its value was skipped.
 */
export function readKey(r: Reader, previous: number, lastKnown: number, options: DecodeOptions): number {
  const keyAt = r.pos;
  const key = r.uint("", Number.MAX_SAFE_INTEGER);
  if (key === previous) r.fail("duplicate", "", `field ${key} appears twice`, keyAt);
  if (key < previous) r.fail("unsorted", "", `field keys must be in ascending order, got ${key} after ${previous}`, keyAt);
  if (key <= lastKnown) return key;
  if (key % 2 === 0) {
    r.fail("unknown-field", "", `unknown field ${key}, which an even key marks as required: written by a newer Cairn that this reader cannot safely ignore`, keyAt);
  }
  r.enter(String(key));
  r.skip(LIMITS.maxUnknownDepth);
  options.onUnknownField?.(r.path());
  r.leave();
  return key;
}
