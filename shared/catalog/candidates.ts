import type { ModelBackup, SegmentRef, WalPiece } from './model';
import { firstReaching, indexOfSegment, runOf, type TimelineWal, type WalIndex } from './wal-index';
import { segmentName } from './wal-name';

/**
 * What one base backup can reach on one timeline ("lane"): every moment from `fromMs` to
 * `toMs`, reading the WAL along `path` (its walStart to the end of the unbroken run, possibly
 * continued on a child timeline after a switch).
 */
export interface Candidate {
  backup: ModelBackup;
  timeline: number;
  fromMs: number;
  toMs: number;
  path: WalPiece[];
}

/** Why a backup cannot be restored: the first segment it needs that is not in the bucket. */
export interface BackupFailure {
  backup: ModelBackup;
  missing: SegmentRef;
  /** True when the segment is beyond the newest archived one: not lost, not archived yet. */
  pending: boolean;
}

/** Candidates of all backups on all lanes, and the backups that cannot be restored. */
export function findCandidates(
  backups: readonly ModelBackup[],
  wal: WalIndex,
): { candidates: Candidate[]; failures: BackupFailure[] } {
  const candidates: Candidate[] = [];
  const failures: BackupFailure[] = [];
  const children = childTimelines(wal);
  for (const b of backups) {
    if (b.stopMs === null || b.walStart === null) continue;
    const start = b.walStart;
    const tl = wal.timelines.get(start.timeline);
    const idx = tl ? indexOfSegment(tl, start.segment) : -1;
    if (!tl || idx < 0) {
      failures.push({ backup: b, missing: start, pending: isPending(tl, start.segment) });
      continue;
    }
    const run = runOf(tl, idx);
    const consistent = consistencyIndex(tl, b, idx, run.end);
    if (consistent < 0) {
      const missing = { timeline: start.timeline, segment: (tl.pos[run.end] as number) + 1 };
      failures.push({ backup: b, missing, pending: run.end === tl.pos.length - 1 });
      continue;
    }
    const stopPos = tl.pos[consistent] as number;
    const piece: WalPiece = {
      timeline: tl.timeline,
      from: start.segment,
      to: tl.pos[run.end] as number,
    };
    const toMs = Math.max(tl.reach[run.end] as number, b.stopMs);
    candidates.push({ backup: b, timeline: tl.timeline, fromMs: b.stopMs, toMs, path: [piece] });
    extend(candidates, wal, children, b, [piece], stopPos);
  }
  return { candidates, failures };
}

/**
 * The index of the segment that makes the backup consistent: its walStop, or for a backup
 * known only from pgBackRest's files, the first segment archived at/after its stop time.
 * -1 when that segment lies beyond the run (missing or not archived yet).
 */
function consistencyIndex(tl: TimelineWal, b: ModelBackup, idx: number, end: number): number {
  if (b.walStop && b.walStop.timeline === tl.timeline) {
    const stop = b.walStop.segment;
    return stop <= (tl.pos[end] as number) ? idx + (stop - (tl.pos[idx] as number)) : -1;
  }
  const hit = firstReaching(tl, idx, end, b.stopMs as number);
  // Archive times come from the S3 server's clock, stop times from the database server's:
  // a run that reaches its end within a minute of the stop counts as consistent.
  if (hit < 0 && (tl.reach[end] as number) >= (b.stopMs as number) - 60_000) return end;
  return hit;
}

function isPending(tl: TimelineWal | undefined, segment: number): boolean {
  return !tl || segment > (tl.pos[tl.pos.length - 1] as number);
}

/**
 * Timelines that branch off another one: a timeline whose first segment is at position p
 * continues the highest lower timeline that has segment p − 1 (history files are encrypted in
 * the repository, so the parent is inferred from the names alone).
 */
function childTimelines(wal: WalIndex): Map<number, number[]> {
  const ids = [...wal.timelines.keys()].sort((a, b) => a - b);
  const children = new Map<number, number[]>();
  for (const id of ids) {
    const tl = wal.timelines.get(id) as TimelineWal;
    const p = tl.pos[0] as number;
    for (let k = ids.indexOf(id) - 1; k >= 0; k--) {
      const parent = wal.timelines.get(ids[k] as number) as TimelineWal;
      if (indexOfSegment(parent, p - 1) >= 0) {
        const list = children.get(parent.timeline) ?? [];
        list.push(id);
        children.set(parent.timeline, list);
        break;
      }
    }
  }
  return children;
}

/**
 * Follows timeline switches: when a child timeline begins right after a segment this path
 * reaches, and the backup was consistent before the switch, the backup also restores moments
 * on the child (PostgreSQL reads the parent's WAL up to the switch, then the child's).
 */
function extend(
  out: Candidate[],
  wal: WalIndex,
  children: Map<number, number[]>,
  backup: ModelBackup,
  path: WalPiece[],
  stopPos: number,
): void {
  const last = path[path.length - 1] as WalPiece;
  for (const childId of children.get(last.timeline) ?? []) {
    const child = wal.timelines.get(childId) as TimelineWal;
    const p = child.pos[0] as number;
    if (p - 1 < last.from || p - 1 > last.to || stopPos > p - 1) continue;
    const run = child.runs[0] as { start: number; end: number };
    const trimmed: WalPiece = { ...last, to: p - 1 };
    const piece: WalPiece = { timeline: childId, from: p, to: child.pos[run.end] as number };
    const next = [...path.slice(0, -1), trimmed, piece];
    const switchMs = wal.historyTimes.get(childId) ?? (child.time[0] as number);
    const fromMs = Math.max(backup.stopMs as number, switchMs);
    const toMs = child.reach[run.end] as number;
    if (fromMs <= toMs) out.push({ backup, timeline: childId, fromMs, toMs, path: next });
    extend(out, wal, children, backup, next, stopPos);
  }
}

/** Readable name of a missing segment reference. */
export function refName(ref: SegmentRef): string {
  return segmentName(ref.timeline, ref.segment);
}
