// The manifest's entry type of an lstat result (backup listings and the restore's target scan).
import type { BigIntStats } from "node:fs";
import type { NodeType } from "@cairn/manifest";

export function nodeTypeOf(st: BigIntStats): NodeType {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isFIFO()) return "fifo";
  if (st.isCharacterDevice()) return "chardev";
  if (st.isBlockDevice()) return "blockdev";
  return "socket";
}
