import { phrase, type Phrase } from '../contract/phrases';
import type { CatalogGap } from '../contract/recovery';
import type { BackupFailure, Candidate } from './candidates';
import type { ModelBackup, ModelRange } from './model';
import type { TimelineWal, WalIndex } from './wal-index';
import { segmentName } from './wal-name';

interface Hole {
  tl: TimelineWal;
  firstMissing: number;
  lastMissing: number;
}

/**
 * Gaps: segments missing between runs of a timeline, where they break restorability. A hole
 * counts when a restorable stretch runs into it, or when it makes a backup unrestorable.
 * Not gaps: WAL after the newest segment (not archived yet: capture lag) and the holes
 * retention leaves on purpose (pgBackRest keeps only walStart..walStop of backups older than
 * the PITR window, so a hole that runs exactly from one backup's walStop to another's
 * walStart is expired WAL, not lost WAL).
 */
export function findGaps(
  wal: WalIndex,
  backups: readonly ModelBackup[],
  candidates: readonly Candidate[],
  failures: readonly BackupFailure[],
  ranges: readonly ModelRange[],
): CatalogGap[] {
  const gaps: CatalogGap[] = [];
  for (const tl of wal.timelines.values()) {
    const id = tl.timeline;
    const coveredTo = new Map<number, number>();
    for (const c of candidates) {
      const last = c.path[c.path.length - 1];
      if (c.timeline !== id || !last || last.timeline !== id) continue;
      coveredTo.set(last.to, Math.max(coveredTo.get(last.to) ?? -Infinity, c.toMs));
    }
    const lost = failures.filter((f) => !f.pending && f.missing.timeline === id);
    const starts = new Set(
      backups.filter((b) => b.walStart?.timeline === id).map((b) => b.walStart?.segment),
    );
    const stops = new Set(
      backups.filter((b) => b.walStop?.timeline === id).map((b) => b.walStop?.segment),
    );
    const laneStarts = ranges.filter((r) => r.timeline === id).map((r) => r.fromMs);
    for (const hole of holesOf(tl, lost)) {
      const victims = lost.filter(
        (f) => f.missing.segment >= hole.firstMissing && f.missing.segment <= hole.lastMissing,
      );
      const covered = coveredTo.get(hole.firstMissing - 1);
      if (covered === undefined && victims.length === 0) continue;
      if (
        victims.length === 0 &&
        stops.has(hole.firstMissing - 1) &&
        starts.has(hole.lastMissing + 1)
      )
        continue;
      const from = covered ?? Math.min(...victims.map((v) => v.backup.stopMs as number));
      const after = laneStarts.filter((ms) => ms > from);
      gaps.push({
        from: new Date(from).toISOString(),
        to: after.length ? new Date(Math.min(...after)).toISOString() : null,
        timeline: id,
        missingSegment: segmentName(id, hole.firstMissing),
        missingCount: hole.lastMissing - hole.firstMissing + 1,
        cause: causeText(hole, victims),
        causeWords: causeWords(hole, victims),
      });
    }
  }
  return gaps.sort((a, b) =>
    a.from < b.from ? -1 : a.from > b.from ? 1 : a.timeline - b.timeline,
  );
}

/** Holes between runs, plus the stretch before the first run that a backup needed. */
function holesOf(tl: TimelineWal, lost: readonly BackupFailure[]): Hole[] {
  const holes: Hole[] = [];
  const first = tl.pos[0] as number;
  const head = lost.filter((f) => f.missing.segment < first).map((f) => f.missing.segment);
  if (head.length) holes.push({ tl, firstMissing: Math.min(...head), lastMissing: first - 1 });
  for (let k = 0; k + 1 < tl.runs.length; k++) {
    const before = tl.runs[k] as { end: number };
    const after = tl.runs[k + 1] as { start: number };
    holes.push({
      tl,
      firstMissing: (tl.pos[before.end] as number) + 1,
      lastMissing: (tl.pos[after.start] as number) - 1,
    });
  }
  return holes;
}

/** The cause as a phrase the console words (issue 16 §1): the same facts as causeText. */
function causeWords(hole: Hole, victims: readonly BackupFailure[]): Phrase {
  const count = hole.lastMissing - hole.firstMissing + 1;
  const segment = segmentName(hole.tl.timeline, hole.firstMissing);
  const labels = victims.map((v) => v.backup.label);
  return labels.length === 0
    ? phrase('gap.missing', { segment, count })
    : phrase('gap.missingInBackups', {
        segment,
        count,
        backups: labels.join(', '),
        backupCount: labels.length,
      });
}

function causeText(hole: Hole, victims: readonly BackupFailure[]): string {
  const count = hole.lastMissing - hole.firstMissing + 1;
  const name = segmentName(hole.tl.timeline, hole.firstMissing);
  let text = `WAL segment ${name} missing from the bucket (${count} segment${count === 1 ? '' : 's'})`;
  const labels = victims.map((v) => v.backup.label);
  if (labels.length === 1) text += `; backup ${labels[0]} falls in it and cannot be restored`;
  else if (labels.length > 1)
    text += `; backups ${labels.join(', ')} fall in it and cannot be restored`;
  return text;
}
