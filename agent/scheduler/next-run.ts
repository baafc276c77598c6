import type { AgentSchedule } from '../../shared/contract/agent';

/** After a failed daily snapshot, try again this much later instead of waiting a day. */
export const DAILY_RETRY_MS = 3600_000;

/** The first moment after `after` whose server-local wall-clock time is HH:MM. */
export function nextDailyAt(after: Date, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const candidate = new Date(after);
  candidate.setHours(h, m, 0, 0);
  // setHours on the local calendar day: a DST change shifts the instant, never the wall time.
  while (candidate.getTime() <= after.getTime()) {
    candidate.setDate(candidate.getDate() + 1);
    candidate.setHours(h, m, 0, 0);
  }
  return candidate;
}

/**
 * When the next snapshot is due. With snapshotIntervalSeconds: one interval after the last
 * attempt started (at once when there was none). Daily: the next snapshotAt after the last
 * attempt; a time missed while the server was down is caught up at once. With no attempt yet
 * the next snapshotAt (the installer took the first backup).
 */
export function nextSnapshotAt(
  schedule: AgentSchedule,
  lastAttempt: { at: Date; ok: boolean } | null,
  now: Date,
): Date {
  if (schedule.snapshotIntervalSeconds !== undefined) {
    if (!lastAttempt) return now;
    return new Date(lastAttempt.at.getTime() + schedule.snapshotIntervalSeconds * 1000);
  }
  if (!lastAttempt) return nextDailyAt(now, schedule.snapshotAt);
  if (!lastAttempt.ok) {
    const retry = new Date(lastAttempt.at.getTime() + DAILY_RETRY_MS);
    return retry < nextDailyAt(lastAttempt.at, schedule.snapshotAt)
      ? retry
      : nextDailyAt(lastAttempt.at, schedule.snapshotAt);
  }
  const next = nextDailyAt(lastAttempt.at, schedule.snapshotAt);
  return next < now ? now : next;
}

/** Retention: one interval after the last run, or one interval after the daemon started. */
export function nextRetentionAt(
  schedule: AgentSchedule,
  lastRun: Date | null,
  startedAt: Date,
): Date {
  const base = lastRun ?? startedAt;
  return new Date(base.getTime() + schedule.retentionIntervalSeconds * 1000);
}

/** After a drill that could not run (no report), try again this much later at the most. */
export const DRILL_RETRY_MS = 3600_000;

/**
 * When the next scheduled drill is due; null when drills are off (intervalSeconds 0).
 * One interval after the last attempt that produced a report (passed or failed: a failed drill
 * is a result, not something to repeat at once); after an attempt that could not run, an hour
 * later (or one interval, if shorter). With no attempt yet, one interval after `since`, the
 * moment the daemon first scheduled drills (kept in state, so restarts do not postpone it).
 */
export function nextDrillAt(
  intervalSeconds: number,
  lastAttempt: { at: Date; ok: boolean } | null,
  since: Date,
): Date | null {
  if (intervalSeconds <= 0) return null;
  const interval = intervalSeconds * 1000;
  if (!lastAttempt) return new Date(since.getTime() + interval);
  const wait = lastAttempt.ok ? interval : Math.min(interval, DRILL_RETRY_MS);
  return new Date(lastAttempt.at.getTime() + wait);
}
