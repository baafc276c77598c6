import type { RetentionPolicy } from '../../shared/contract/agent';

// When an erasure becomes final in every backup (issue 17 §3 "hard delete on rollover"): once
// no retained recovery point predates it. Under the GFS policy a point taken just before the
// erasure can stay longest as a monthly point, until `monthly` newer monthly points exist (up
// to monthly + 1 months), or as a weekly or daily one, or as the base backup the PITR window
// needs. The console shows this date from the start; the agent marks the erasure final when
// its retention run finds no older point left.

const DAY_MS = 86_400_000;

/** The day (YYYY-MM-DD, UTC) by which no retained point predates `erasedAt`, at the latest. */
export function hardDeleteDue(erasedAt: Date, retention: RetentionPolicy): string {
  const monthly = new Date(erasedAt);
  if (retention.monthly > 0) monthly.setUTCMonth(monthly.getUTCMonth() + retention.monthly + 1);
  const candidates = [
    monthly.getTime(),
    erasedAt.getTime() + (retention.daily + 1) * DAY_MS,
    erasedAt.getTime() + (retention.weekly + 1) * 7 * DAY_MS,
    // PITR keeps the base backup before the window's start, which can be up to a week older.
    erasedAt.getTime() + (retention.pitrDays + 8) * DAY_MS,
  ];
  return new Date(Math.max(...candidates) + DAY_MS).toISOString().slice(0, 10);
}
