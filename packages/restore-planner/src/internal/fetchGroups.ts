// Grouping blob reads into as few ranged requests as is sensible: each needed blob once (however
// many files use it), pack by pack in the order files first need them, in offset order within a pack, neighbours merged into one range when the bytes
// between them are few (reading a small gap is cheaper than another request) and the range stays
// small enough to hold in memory.
import type { BlobId } from "@cairn/manifest";
import type { BlobSource } from "../inputs.js";
import type { FetchBlob, PackFetch } from "../restorePlan.js";

export interface NeededBlob {
  readonly id: BlobId;
  readonly source: BlobSource;
  readonly uses: (readonly [number, number])[];
}

export interface GroupLimits {
  readonly maxGapBytes: number;
  readonly maxRequestBytes: number;
}

export function groupFetches(blobs: Iterable<NeededBlob>, limits: GroupLimits): PackFetch[] {
  const byPack = new Map<string, NeededBlob[]>();
  for (const b of blobs) {
    const list = byPack.get(b.source.packId);
    if (list) list.push(b);
    else byPack.set(b.source.packId, [b]);
  }
  // Packs in the order files need them (the earliest use first), so files complete roughly in
  // plan order and few are in progress at once; ties (never, in practice) by pack ID.
  const firstUse = (list: NeededBlob[]) => list.reduce((min, b) => Math.min(min, b.uses[0]![0]), Infinity);
  const packOrder = [...byPack.entries()].map(([id, list]) => [id, firstUse(list)] as const).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: PackFetch[] = [];
  for (const [packId] of packOrder) {
    const list = byPack.get(packId)!.sort((a, b) => a.source.offset - b.source.offset || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let start = 0;
    let end = 0;
    let current: FetchBlob[] = [];
    const close = () => {
      if (current.length > 0) out.push({ packId, offset: start, length: end - start, blobs: current });
      current = [];
    };
    for (const b of list) {
      const { offset, length } = b.source;
      const blobEnd = offset + length;
      const fits = current.length > 0 && offset - end <= limits.maxGapBytes && Math.max(end, blobEnd) - start <= limits.maxRequestBytes;
      if (!fits) {
        close();
        start = offset;
        end = blobEnd;
      } else end = Math.max(end, blobEnd);
      current.push({ id: b.id, offset, length, uses: b.uses });
    }
    close();
  }
  return out;
}
