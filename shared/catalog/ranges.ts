import type { Candidate } from './candidates';
import type { ModelRange } from './model';
import type { WalIndex } from './wal-index';
import { spanNames, walThrough } from './wal-path';

/**
 * Coverage ranges from candidates: on each timeline every moment belongs to the newest backup
 * that reaches it (a later backup starts a new range: restoring from it replays less WAL).
 * Ordered by timeline, then time.
 */
export function buildRanges(candidates: readonly Candidate[], wal: WalIndex): ModelRange[] {
  const lanes = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const lane = lanes.get(c.timeline) ?? [];
    lane.push(c);
    lanes.set(c.timeline, lane);
  }
  const ranges: ModelRange[] = [];
  for (const timeline of [...lanes.keys()].sort((a, b) => a - b)) {
    const lane = (lanes.get(timeline) as Candidate[]).sort(
      (a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs,
    );
    for (let i = 0; i < lane.length; i++) {
      const c = lane[i] as Candidate;
      for (const [fromMs, toMs] of ownedPieces(c, lane.slice(i + 1))) {
        ranges.push(toRange(c, fromMs, toMs, wal));
      }
    }
  }
  return ranges;
}

/** [from, to] of `c` minus what newer candidates (later in the lane) reach. */
function ownedPieces(c: Candidate, newer: readonly Candidate[]): [number, number][] {
  let pieces: [number, number][] = [[c.fromMs, c.toMs]];
  for (const n of newer) {
    const next: [number, number][] = [];
    for (const [f, t] of pieces) {
      if (n.toMs < f || n.fromMs > t) {
        next.push([f, t]);
        continue;
      }
      // The newer backup owns [n.fromMs, n.toMs]; the boundary instant is shared.
      if (n.fromMs > f) next.push([f, n.fromMs]);
      if (n.toMs < t) next.push([n.toMs, t]);
    }
    pieces = next;
  }
  // An instant handed over (f === t) only counts when it is all the backup ever reaches
  // (a backup whose WAL ends at its own stop, like an old one kept without PITR).
  if (c.fromMs === c.toMs) return pieces.slice(0, 1);
  return pieces.filter(([f, t]) => t > f);
}

function toRange(c: Candidate, fromMs: number, toMs: number, wal: WalIndex): ModelRange {
  const span = walThrough(wal, c.path, toMs);
  const names = spanNames(span);
  return {
    entry: {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      timeline: c.timeline,
      baseBackup: c.backup.label,
      firstSegment: names.firstSegment,
      lastSegment: names.lastSegment,
      segments: span.segments,
    },
    fromMs,
    toMs,
    timeline: c.timeline,
    backup: c.backup,
    path: c.path,
  };
}
