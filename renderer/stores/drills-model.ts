import type { SmokeCheck } from '../../shared/agent/drill';
import { smokeSqlProblem } from '../../shared/agent/smoke-sql';
import type { Job } from '../../shared/contract/domain';
import { DRILL_JOB_KIND } from '../../shared/contract/drill-phases';
import type { DrillReportEntry } from '../../shared/contract/reports';

// Pure helpers of the Drills page: which job is a server's drill, a countersigned report put
// in place in the history, the RTO/RPO trend, and the schedule and smoke-check editor's drafts
// with their validation (mirroring the agent's DrillSettings schema, so the admin sees
// problems before the server refuses them).

export function isDrillJobOf(job: Pick<Job, 'kind' | 'subjectId'>, serverId: string): boolean {
  return job.kind === DRILL_JOB_KIND && job.subjectId === serverId;
}

/** The list with `entry` in place of the report of the same drill (a countersigned one). */
export function withEntry(
  reports: readonly DrillReportEntry[],
  entry: DrillReportEntry,
): DrillReportEntry[] {
  return reports.map((r) =>
    r.serverId === entry.serverId && r.drillId === entry.drillId ? entry : r,
  );
}

/** One drill in the trend, oldest first. */
export interface TrendPoint {
  at: number;
  rto: number | null;
  rpo: number;
  passed: boolean;
}

/** The newest `limit` drills, oldest first (the archive lists newest first). */
export function trendPoints(reports: readonly DrillReportEntry[], limit = 12): TrendPoint[] {
  return reports
    .slice(0, limit)
    .map((r) => ({
      at: Date.parse(r.startedAt),
      rto: r.rtoSeconds,
      rpo: r.rpoSeconds,
      passed: r.passed,
    }))
    .sort((a, b) => a.at - b.at);
}

/** The schedule as edited: on/off, an amount and its unit. */
export interface IntervalDraft {
  enabled: boolean;
  amount: string;
  unit: IntervalUnit;
}
export type IntervalUnit = 'minutes' | 'hours' | 'days';
export const INTERVAL_UNITS: readonly IntervalUnit[] = ['minutes', 'hours', 'days'];
const UNIT_SECONDS: Record<IntervalUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };
/** The contract's limit: at most every 400 days. */
export const MAX_INTERVAL_SECONDS = 400 * 86_400;
/** The agent's default when drills were never scheduled: quarterly. */
export const DEFAULT_INTERVAL_SECONDS = 91 * 86_400;

/** The largest unit that divides the interval exactly ("91 days", not "2184 hours"). */
export function toIntervalDraft(seconds: number | null): IntervalDraft {
  if (seconds === 0) return { ...toIntervalDraft(DEFAULT_INTERVAL_SECONDS), enabled: false };
  const value = seconds ?? DEFAULT_INTERVAL_SECONDS;
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (value % UNIT_SECONDS[unit] === 0) {
      return { enabled: true, amount: String(value / UNIT_SECONDS[unit]), unit };
    }
  }
  // Seconds that are no whole minute (set from the CLI): the nearest minute, at least one.
  return { enabled: true, amount: String(Math.max(1, Math.round(value / 60))), unit: 'minutes' };
}

/** An interval for reading: in the largest unit that divides it exactly ("91 days"). */
export function intervalParts(seconds: number): {
  count: number;
  unit: IntervalUnit | 'seconds';
} {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return { count: seconds / UNIT_SECONDS[unit], unit };
  }
  return { count: seconds, unit: 'seconds' };
}

/** Seconds for the draft (0 when off); null when the amount is not a whole number ≥ 1 in range. */
export function parseInterval(draft: IntervalDraft): number | null {
  if (!draft.enabled) return 0;
  if (!/^\s*\d+\s*$/.test(draft.amount)) return null;
  const seconds = Number(draft.amount) * UNIT_SECONDS[draft.unit];
  return seconds >= 60 && seconds <= MAX_INTERVAL_SECONDS ? seconds : null;
}

/** A smoke check as typed. */
export interface SmokeCheckDraft {
  name: string;
  database: string;
  sql: string;
  expect: SmokeCheck['expect'];
  value: string;
}

export const EXPECTATIONS: readonly SmokeCheck['expect'][] = ['equals', 'atLeast', 'atMost'];
export const MAX_SMOKE_CHECKS = 50;

export function emptySmokeCheck(): SmokeCheckDraft {
  return { name: '', database: 'postgres', sql: '', expect: 'equals', value: '' };
}

export function toSmokeCheckDraft(check: SmokeCheck): SmokeCheckDraft {
  return { ...check };
}

/** What is wrong with a field, as a message id of the page's dictionary. */
export type SmokeCheckProblem =
  | 'nameRequired'
  | 'nameTooLong'
  | 'databaseInvalid'
  | 'sqlRequired'
  | 'sqlTooLong'
  | 'sqlSeveral'
  | 'valueNumber'
  | 'valueTooLong';

export type SmokeCheckProblems = Partial<Record<keyof SmokeCheckDraft, SmokeCheckProblem>>;

export function smokeCheckProblems(draft: SmokeCheckDraft): SmokeCheckProblems {
  const out: SmokeCheckProblems = {};
  const name = draft.name.trim();
  if (!name) out.name = 'nameRequired';
  else if (name.length > 200) out.name = 'nameTooLong';
  const database = draft.database.trim();
  if (!database || database.length > 63) out.database = 'databaseInvalid';
  const sql = draft.sql.trim();
  const statements = smokeSqlProblem(sql);
  if (!sql || statements === 'empty') out.sql = 'sqlRequired';
  else if (sql.length > 4000) out.sql = 'sqlTooLong';
  else if (statements === 'several') out.sql = 'sqlSeveral';
  if (draft.value.length > 1000) out.value = 'valueTooLong';
  else if (draft.expect !== 'equals' && !isNumber(draft.value)) out.value = 'valueNumber';
  return out;
}

function isNumber(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

/** The checks to save, or null while any draft has a problem. */
export function toSmokeChecks(drafts: readonly SmokeCheckDraft[]): SmokeCheck[] | null {
  if (drafts.length > MAX_SMOKE_CHECKS) return null;
  if (drafts.some((d) => Object.keys(smokeCheckProblems(d)).length > 0)) return null;
  return drafts.map((d) => ({
    name: d.name.trim(),
    database: d.database.trim(),
    sql: d.sql.trim(),
    expect: d.expect,
    value: d.expect === 'equals' ? d.value : d.value.trim(),
  }));
}
