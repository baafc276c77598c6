import { segmentName } from './wal-name';
import { said, warningsOf, type Said } from '../contract/phrases';
import type { RecoveryTarget } from '../contract/recovery';
import type { CatalogModel, ModelBackup, ModelRange, RecoveryResolution, Refusal } from './model';
import { drillWarning } from './drill-marks';
import { lagText, refuseTime } from './refusals';
import { spanNames, walBetween, walThrough } from './wal-path';
import { firstReaching, indexOfSegment } from './wal-index';

/** Options for {@link resolveRecoveryTarget}. */
export interface ResolveOptions {
  /**
   * Restore along this timeline. Default: the current timeline (that of the newest WAL) when
   * it covers the target, else the highest timeline that does.
   */
  timeline?: number;
}

/**
 * Resolves what to restore for a target, from the catalog alone (pure):
 *
 * - `{kind:'time'}`: the newest base backup that finished at or before the time on an
 *   unbroken WAL run that reaches it; pgBackRest type `time`; the WAL from the backup's
 *   walStart to the first segment archived at/after the time. Refused (RESTORE_NOT_COVERED,
 *   with the reason) before the first restorable moment, inside a gap (naming the missing
 *   segment), in WAL retention already expired, or after the newest archived WAL (capture lag:
 *   restore `latest` instead).
 * - `{kind:'point'}`: that backup, type `immediate`, its own WAL (walStart..walStop).
 * - `{kind:'latest'}`: the backup of the newest restorable range on the current timeline
 *   plus all WAL after it, type `default`; a warning when a gap stops it before the newest WAL.
 *
 * `attachedFiles` is the restic snapshot of the nearest recovery point at or before the
 * target whose manifest is trusted. Pass `backup.label` as `--set`, `timeline` as
 * `--target-timeline`. For a time target near the newest WAL, call it on a freshly updated
 * model (`CatalogService.model(serverId)`), and on `refresh: true` to rule out objects deleted
 * since the last full listing.
 */
export function resolveRecoveryTarget(
  model: CatalogModel,
  target: RecoveryTarget,
  options: ResolveOptions = {},
): RecoveryResolution {
  switch (target.kind) {
    case 'time':
      return resolveTime(model, Date.parse(target.time), options);
    case 'point':
      return resolvePoint(model, target.label);
    case 'latest':
      return resolveLatest(model, options);
  }
}

function refuse(reason: string, why: Refusal): RecoveryResolution {
  return { ok: false, code: 'RESTORE_NOT_COVERED', reason, why };
}

/** The range to restore `ms` from: preferred timeline first, newest backup within it. */
function rangeFor(model: CatalogModel, ms: number, options: ResolveOptions): ModelRange | null {
  const covering = model.ranges.filter(
    (r) =>
      r.fromMs <= ms &&
      ms <= r.toMs &&
      (options.timeline === undefined || r.timeline === options.timeline),
  );
  if (covering.length === 0) return null;
  const onCurrent = covering.filter((r) => r.timeline === model.currentTimeline);
  const pool = onCurrent.length ? onCurrent : covering;
  const top = Math.max(...pool.map((r) => r.timeline));
  return pool
    .filter((r) => r.timeline === top)
    .reduce((best, r) => (r.fromMs > best.fromMs ? r : best));
}

/** Nearest trusted recovery point with a restic snapshot at or before `ms`. */
function attachedFor(
  model: CatalogModel,
  ms: number,
): { label: string; resticSnapshotId: string; takenAt: string | null } | null {
  let best: ModelBackup | null = null;
  for (const b of model.backups) {
    if (b.stopMs === null || b.stopMs > ms || !b.resticSnapshotId) continue;
    if (!best || (best.stopMs as number) <= b.stopMs) best = b;
  }
  return best
    ? {
        label: best.label,
        resticSnapshotId: best.resticSnapshotId as string,
        takenAt: best.entry.timeStop,
      }
    : null;
}

/** The warnings every target shares; `otherTimelines` only for a moment (not a point). */
function commonWarnings(
  model: CatalogModel,
  range: ModelRange,
  ms: number,
  otherTimelines: boolean,
): Said[] {
  const warnings: Said[] = [];
  const drill = drillWarning(range.backup.label, range.backup.entry.drill);
  if (drill) warnings.push(drill);
  if (range.backup.origin === 'derived') {
    const label = range.backup.label;
    const detail = range.backup.problem ?? 'details derived';
    warnings.push(
      said(`Base backup ${label} has no trusted manifest: ${detail}.`, 'plan.derivedBackup', {
        label,
        detail,
      }),
    );
  }
  const others = model.ranges.filter(
    (r) => r.timeline !== range.timeline && r.fromMs <= ms && ms <= r.toMs,
  );
  if (otherTimelines && others.length) {
    const timelines = [...new Set(others.map((r) => r.timeline))].join(', ');
    warnings.push(
      said(
        `This moment also exists on timeline ${timelines}; restoring timeline ${range.timeline}.`,
        'plan.otherTimeline',
        { timelines, timeline: range.timeline },
      ),
    );
  }
  return warnings;
}

/**
 * The target lies in the last WAL segment of its range. Said as what that segment is: the
 * newest archived one, or the last before a gap (the range then ends there, not at the newest
 * WAL, and "latest" would not help).
 */
function endOfWalWarning(model: CatalogModel, last: { timeline: number; segment: number }): Said {
  const tl = model.wal.timelines.get(last.timeline);
  const newest = tl && tl.pos.length > 0 ? tl.pos[tl.pos.length - 1] : undefined;
  if (newest === last.segment)
    return said(
      'The target lies in the newest archived WAL: if nothing committed after it yet, PostgreSQL ends recovery at the end of the archive without reaching the target. Restoring "latest" avoids that.',
      'plan.targetInNewestWal',
    );
  const segment = segmentName(last.timeline, last.segment);
  return said(
    `The target lies in WAL segment ${segment}, the last one before a gap in the archive: if nothing committed after the target within it, PostgreSQL ends recovery there without reaching the target. A moment a little earlier avoids that.`,
    'plan.targetBeforeGap',
    { segment },
  );
}

function resolveTime(model: CatalogModel, ms: number, options: ResolveOptions): RecoveryResolution {
  if (Number.isNaN(ms))
    return refuse('The target time is not a valid time.', { key: 'invalidTime' });
  const range = rangeFor(model, ms, options);
  if (!range) {
    const refused = refuseTime(model, ms, options.timeline);
    return refuse(refused.text, refused.why);
  }
  const span = walThrough(model.wal, range.path, ms);
  const warnings = commonWarnings(model, range, ms, true);
  if (span.atEnd && ms > range.fromMs) warnings.push(endOfWalWarning(model, span.last));
  const attachedFiles = attachedFor(model, ms);
  if (!attachedFiles)
    warnings.push(
      said('No recovery point before this moment has attached files.', 'plan.noFilesBefore'),
    );
  return {
    ok: true,
    value: {
      pgbackrestType: 'time',
      backup: range.backup.entry,
      targetTime: new Date(ms).toISOString(),
      timeline: range.timeline,
      wal: { ...spanNames(span), segments: span.segments, bytes: span.bytes },
      attachedFiles,
      ...warningsOf(warnings),
    },
  };
}

function resolvePoint(model: CatalogModel, label: string): RecoveryResolution {
  const backup = model.backups.find((b) => b.label === label);
  if (!backup)
    return refuse(`There is no backup ${label} in the bucket.`, {
      key: 'noSuchPoint',
      params: { label },
    });
  const range = model.ranges.find((r) => r.backup === backup);
  if (!backup.restorable || !range || !backup.walStart || backup.stopMs === null)
    return refuse(
      `Backup ${label} cannot be restored: ${backup.problem ?? 'its WAL is incomplete'}.`,
      { key: 'pointNotRestorable', params: { label } },
    );
  const start = backup.walStart;
  let stopSegment = backup.walStop?.segment;
  if (stopSegment === undefined) {
    // Known only from pgBackRest's files: consistent with the first segment archived after its stop.
    const tl = model.wal.timelines.get(start.timeline);
    const s = tl ? indexOfSegment(tl, start.segment) : -1;
    const hit = tl && s >= 0 ? firstReaching(tl, s, tl.pos.length - 1, backup.stopMs) : -1;
    stopSegment = tl && hit >= 0 ? (tl.pos[hit] as number) : range.path[0]?.to;
  }
  const span = walBetween(model.wal, start.timeline, start.segment, stopSegment ?? start.segment);
  if (!span)
    return refuse(`Backup ${label} cannot be restored: its WAL is incomplete.`, {
      key: 'pointNotRestorable',
      params: { label },
    });
  const warnings = commonWarnings(model, range, backup.stopMs, false);
  const attachedFiles = backup.resticSnapshotId
    ? { label, resticSnapshotId: backup.resticSnapshotId, takenAt: backup.entry.timeStop }
    : null;
  if (!attachedFiles)
    warnings.push(
      said(
        `Recovery point ${label} has no trusted restic snapshot of attached files.`,
        'plan.noFilesOfPoint',
        { label },
      ),
    );
  return {
    ok: true,
    value: {
      pgbackrestType: 'immediate',
      backup: backup.entry,
      targetTime: backup.entry.timeStop,
      timeline: start.timeline,
      wal: { ...spanNames(span), segments: span.segments, bytes: span.bytes },
      attachedFiles,
      ...warningsOf(warnings),
    },
  };
}

function resolveLatest(model: CatalogModel, options: ResolveOptions): RecoveryResolution {
  const timeline = options.timeline ?? model.currentTimeline;
  const lane = model.ranges.filter((r) => r.timeline === timeline);
  if (lane.length === 0) {
    return model.ranges.length === 0
      ? refuse('Nothing is restorable yet: no base backup with its WAL is in the bucket.', {
          key: 'nothingYet',
        })
      : refuse(`Nothing is restorable on timeline ${timeline}.`, {
          key: 'notOnTimeline',
          params: { timeline: timeline ?? '?' },
        });
  }
  const range = lane.reduce((best, r) =>
    r.toMs > best.toMs || (r.toMs === best.toMs && r.fromMs > best.fromMs) ? r : best,
  );
  const span = walThrough(model.wal, range.path, Infinity);
  const warnings = commonWarnings(model, range, range.toMs, false);
  const newest = model.wal.newestMs;
  const gap = model.catalog.gaps.find(
    (g) => g.timeline === range.timeline && Date.parse(g.from) >= range.toMs,
  );
  const lag = model.catalog.captureLagSeconds;
  if (gap)
    warnings.push(
      said(
        `WAL after ${gap.from} is not restorable (${gap.cause}): "latest" ends there, not at the newest archived WAL.`,
        'plan.latestEndsAtGap',
        { fromAt: gap.from, segment: gap.missingSegment, count: gap.missingCount },
      ),
    );
  else if (newest !== null) {
    const newestAt = new Date(newest).toISOString();
    warnings.push(
      said(
        `Includes WAL archived up to ${newestAt} (${lagText(model)}).`,
        lag === null ? 'plan.latestIncludesNoLag' : 'plan.latestIncludes',
        lag === null ? { newestAt } : { newestAt, lagSeconds: lag },
      ),
    );
  }
  const attachedFiles = attachedFor(model, range.toMs);
  if (!attachedFiles) warnings.push(said('No recovery point has attached files.', 'plan.noFiles'));
  return {
    ok: true,
    value: {
      pgbackrestType: 'default',
      backup: range.backup.entry,
      targetTime: new Date(range.toMs).toISOString(),
      timeline: range.timeline,
      wal: { ...spanNames(span), segments: span.segments, bytes: span.bytes },
      attachedFiles,
      ...warningsOf(warnings),
    },
  };
}
