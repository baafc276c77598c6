import type { HealthTile, TileLevel } from '../contract/agent';
import { phrase as p, type Phrase } from '../contract/phrases';
import type { Heartbeat } from './heartbeat';

/**
 * Whether drills are being done and pass (issue 14: failures are loud everywhere), decided in
 * one place for the agent's alerts and the app's status tile, so an incident and a tile never
 * disagree. Pure: facts in, verdict out.
 */

/** The newest drill that got as far as a signed report. */
export interface DrillReportFacts {
  drillId: string;
  /** When it started and finished (ISO). */
  startedAt: string;
  at: string;
  passed: boolean;
  /** The recovery point (pgBackRest backup label) it restored; null from agents before issue 14. */
  backupLabel: string | null;
  failedChecks: string[];
  /** The first failed check and why, in one line; null when it passed (or not recorded). */
  failure: string | null;
}

/** What the agent knows about its drills (its config and state.json). */
export interface DrillFacts {
  /** drill.intervalSeconds of the agent config; 0 = scheduled drills off; null = not reported. */
  intervalSeconds: number | null;
  /** When the daemon first scheduled drills (the first is due one interval later); null = never. */
  scheduleSince: string | null;
  lastReport: DrillReportFacts | null;
  /** The newest attempt: ok = a report was written (passed or not), else why none was. */
  lastAttempt: { at: string; ok: boolean; error: string | null } | null;
}

/** A drill never comes exactly on time: it runs for a while, waits for a backup, is retried. */
const MIN_GRACE_SECONDS = 3600;
const MAX_GRACE_SECONDS = 3 * 86_400;

/**
 * How late a scheduled drill may be before it is overdue: a quarter of the interval, at least an
 * hour (a drill of a large database runs that long, and one that could not run is retried an
 * hour later) and at most three days (a quarterly drill a week late is a finding).
 */
export function drillGraceSeconds(intervalSeconds: number): number {
  return Math.min(Math.max(intervalSeconds / 4, MIN_GRACE_SECONDS), MAX_GRACE_SECONDS);
}

/** What {@link assessDrills} found. */
export interface DrillAssessment {
  /** The newest report failed: one line naming the drill, the recovery point and the checks. */
  failed: string | null;
  /** No report within the interval plus grace: one line saying since when. */
  overdue: string | null;
  /** When the next scheduled drill is due (without grace); null when off or unknown. */
  dueAt: string | null;
}

/** `3 d`, `5 h`, `12 min`, `40 s`: drill intervals are days, so hours alone would not read well. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86_400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** One line for a failed drill: which drill, which recovery point, which checks, the first why. */
export function failedDrillLine(report: DrillReportFacts): string {
  const point = report.backupLabel ? ` of recovery point ${report.backupLabel}` : '';
  const checks = report.failedChecks.length ? report.failedChecks.join(', ') : 'a check';
  const why = report.failure ? ` (${report.failure})` : '';
  return `drill ${report.drillId}${point} at ${report.startedAt} failed: ${checks}${why}`;
}

/**
 * Failed: the newest drill report says so (a later passing drill clears it). Overdue: drills are
 * scheduled (interval > 0) and no report started within interval + grace of the previous one,
 * or, with none yet, of the moment the scheduler first planned drills. (A scheduler that never
 * ran planned none, and sends no heartbeat either: the agent tile shows that.)
 */
export function assessDrills(facts: DrillFacts, now: Date): DrillAssessment {
  const report = facts.lastReport;
  const failed = report && !report.passed ? failedDrillLine(report) : null;
  const interval = facts.intervalSeconds;
  const since = report?.startedAt ?? facts.scheduleSince;
  if (!interval || !since) return { failed, overdue: null, dueAt: null };
  const dueMs = Date.parse(since) + interval * 1000;
  const deadlineMs = dueMs + drillGraceSeconds(interval) * 1000;
  const dueAt = new Date(dueMs).toISOString();
  if (now.getTime() <= deadlineMs) return { failed, overdue: null, dueAt };
  const late = formatAge((now.getTime() - dueMs) / 1000);
  const overdue = report
    ? `no drill since ${report.startedAt}: the next was due ${late} ago (every ${formatAge(interval)})`
    : `no drill yet: the first was due ${late} ago (every ${formatAge(interval)}, scheduled since ${since})`;
  return { failed, overdue, dueAt };
}

/** The drill facts a heartbeat carries (agents before issue 14 report less: nulls). */
export function drillFactsOf(hb: Heartbeat): DrillFacts {
  const last = hb.lastDrill ?? null;
  return {
    intervalSeconds: hb.drill?.intervalSeconds ?? null,
    scheduleSince: hb.drill?.scheduleSince ?? null,
    lastAttempt: hb.drill?.lastAttempt ?? null,
    lastReport: last
      ? {
          drillId: last.drillId,
          startedAt: last.startedAt ?? last.at,
          at: last.at,
          passed: last.passed,
          backupLabel: last.backupLabel ?? null,
          failedChecks: last.failedChecks ?? [],
          failure: last.failure ?? null,
        }
      : null,
  };
}

/**
 * A drill stopped on purpose (the app's cancel, the daemon stopping): the agent's error then says
 * "aborted" (agent/drill/drill.ts). Not a fault to warn about for months; if drills keep not
 * running, they become overdue.
 */
function isCancelled(error: string | null): boolean {
  return error !== null && /\baborted\b/.test(error);
}

/**
 * The `drill` status tile. Critical: the newest drill failed, or drills are overdue. Warning:
 * scheduled drills are off, or the last attempt could not run at all. Ok: the newest drill
 * passed, or the first one is not due yet. Unknown: nothing can be said (an older agent, or a
 * scheduler that never planned a drill).
 */
export function drillTile(facts: DrillFacts, now: Date): HealthTile {
  const tile = (
    level: TileLevel,
    value: string,
    reason: string,
    valueWords: Phrase,
    reasonWords: Phrase[],
  ): HealthTile => ({
    id: 'drill',
    level,
    value,
    reason,
    words: { value: valueWords, reason: reasonWords },
  });
  const a = assessDrills(facts, now);
  const report = facts.lastReport;
  const agoSeconds = (iso: string) => Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
  const ago = (iso: string) => formatAge(agoSeconds(iso));
  if (a.failed || a.overdue) {
    const reason = [a.failed && `The last ${a.failed}.`, a.overdue && `Overdue: ${a.overdue}.`]
      .filter(Boolean)
      .join(' ');
    return tile(
      'critical',
      a.failed ? 'failed' : 'overdue',
      reason,
      p(a.failed ? 'value.drillFailed' : 'value.drillOverdue'),
      [
        ...(a.failed && report ? failedDrillWords(report) : []),
        ...(a.overdue ? [overdueWords(facts, now)] : []),
      ].filter((x): x is Phrase => x !== null),
    );
  }
  const attempt = facts.lastAttempt;
  const attemptFailed =
    attempt &&
    !attempt.ok &&
    !isCancelled(attempt.error) &&
    (!report || Date.parse(attempt.at) > Date.parse(report.startedAt));
  if (attemptFailed) {
    return tile(
      'warning',
      'could not run',
      `The last drill (${attempt.at}) could not run: ${attempt.error ?? 'unknown error'}.` +
        (report ? ` The one before passed ${ago(report.at)} ago.` : ''),
      p('value.drillCouldNotRun'),
      [
        p('tile.drill.couldNotRun', { attemptAt: attempt.at, detail: attempt.error ?? '?' }),
        ...(report ? [p('tile.drill.beforePassed', { agoSeconds: agoSeconds(report.at) })] : []),
      ],
    );
  }
  const passed = report
    ? `Drill ${report.drillId}${report.backupLabel ? ` of recovery point ${report.backupLabel}` : ''} passed ${ago(report.at)} ago.`
    : null;
  const passedWords = report ? passedDrillWords(report, agoSeconds(report.at)) : null;
  if (facts.intervalSeconds === 0) {
    return tile(
      'warning',
      'off',
      `Scheduled drills are off. ${passed ?? 'No drill has run yet.'} Start one, or set an interval.`,
      p('value.drillOff'),
      [p('tile.drill.off'), passedWords ?? p('tile.drill.noneRun')],
    );
  }
  if (report) {
    const next = a.dueAt ? ` Next due ${a.dueAt}.` : '';
    return tile(
      'ok',
      `passed ${ago(report.at)} ago`,
      `${passed}${next}`,
      p('value.drillPassedAgo', { agoSeconds: agoSeconds(report.at) }),
      [
        passedDrillWords(report, agoSeconds(report.at)),
        ...(a.dueAt ? [p('tile.drill.nextDue', { dueAt: a.dueAt })] : []),
      ],
    );
  }
  if (a.dueAt)
    return tile(
      'ok',
      'none yet',
      `No drill yet; the first is due ${a.dueAt}.`,
      p('value.drillNoneYet'),
      [p('tile.drill.firstDue', { dueAt: a.dueAt })],
    );
  return tile(
    'unknown',
    'none yet',
    facts.intervalSeconds === null
      ? 'This agent version does not report its drill schedule.'
      : 'No drill yet, and the scheduler has not planned one.',
    p('value.drillNoneYet'),
    [p(facts.intervalSeconds === null ? 'tile.drill.notReported' : 'tile.drill.notPlanned')],
  );
}

/** {@link failedDrillLine} as phrases: the drill, its point and checks, then the first why. */
function failedDrillWords(report: DrillReportFacts): Phrase[] {
  const params = {
    drillId: report.drillId,
    startedAt: report.startedAt,
    checks: report.failedChecks.join(', '),
    checkCount: report.failedChecks.length,
  };
  return [
    report.backupLabel
      ? p('tile.drill.failedOfPoint', { ...params, label: report.backupLabel })
      : p('tile.drill.failed', params),
    ...(report.failure ? [p('detail', { detail: report.failure })] : []),
  ];
}

function passedDrillWords(report: DrillReportFacts, agoSeconds: number): Phrase {
  return report.backupLabel
    ? p('tile.drill.passedOfPoint', {
        drillId: report.drillId,
        label: report.backupLabel,
        agoSeconds,
      })
    : p('tile.drill.passed', { drillId: report.drillId, agoSeconds });
}

/** The overdue line of {@link assessDrills} as a phrase (null when not overdue). */
function overdueWords(facts: DrillFacts, now: Date): Phrase | null {
  const interval = facts.intervalSeconds;
  const report = facts.lastReport;
  const since = report?.startedAt ?? facts.scheduleSince;
  if (!interval || !since) return null;
  const lateSeconds = Math.max(0, (now.getTime() - Date.parse(since)) / 1000 - interval);
  return report
    ? p('tile.drill.overdueSince', {
        sinceAt: report.startedAt,
        lateSeconds,
        intervalSeconds: interval,
      })
    : p('tile.drill.overdueFirst', { lateSeconds, intervalSeconds: interval, sinceAt: since });
}
