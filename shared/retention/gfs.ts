import type { RetentionPolicy } from '../contract/agent';

/**
 * GFS (grandfather-father-son) retention planner for recovery points (DESIGN.md §5). Pure:
 * the agent applies the plan with `pgbackrest expire --set <label>` and `restic forget <id>…`
 * (by id, not with restic's own `--keep-*` flags: restic ≥ 0.17 keeps more, and it buckets in
 * its process's local zone, so the two engines could disagree).
 *
 * Rules, with restic's classic `--keep-daily/--keep-weekly/--keep-monthly N` semantics
 * (restic ≤ 0.16; the keep-the-oldest-too addition of restic 0.17 is NOT applied):
 *
 * - **daily N**: the newest point of each of the N most recent calendar days THAT HAVE POINTS.
 *   A missed day is skipped, not counted: after an outage the last N points that each stand
 *   for a day survive, instead of fewer.
 * - **weekly N**: the same for ISO-8601 weeks (Monday to Sunday, week-numbering year).
 * - **monthly N**: the same for calendar months.
 * - Each rule counts on its own, newest first; the current day, week and month count too (so
 *   the newest point is daily, weekly and monthly at once, exactly like restic).
 * - Days, weeks and months are calendar units in `timeZone` (the server's IANA zone), read with
 *   `Intl.DateTimeFormat`: a DST change neither splits a day in two nor merges two days.
 * - The newest point is always kept (reason `newest`).
 * - With `pitrDays`, every point {@link pitrProtected} names is kept (reason `pitr`), so every
 *   second of the last `pitrDays` × 24 h stays restorable; without it GFS alone decides.
 * - A point kept by several rules appears once, with all its reasons and its highest tier
 *   (monthly > weekly > daily); `tier` is null when only `pitr` keeps it.
 * - Order of the input does not matter; ties in time are broken by label (greater = newer).
 */

/** One recovery point, as the planner sees it. */
export interface RecoveryPointRef {
  /** Unique id, e.g. the pgBackRest backup label. */
  label: string;
  /**
   * When the point became restorable: for a pgBackRest backup its stop time. PITR reasoning
   * assumes every moment from `at` on can be reached from this point with archived WAL.
   */
  at: Date | string;
}

export type GfsTier = 'daily' | 'weekly' | 'monthly';
export type KeepReason = GfsTier | 'newest' | 'pitr';

/** The GFS counts, plus optionally the PITR window in days (see the rules above). */
export type GfsPolicy = Pick<RetentionPolicy, 'daily' | 'weekly' | 'monthly'> &
  Partial<Pick<RetentionPolicy, 'pitrDays'>>;

export interface GfsOptions {
  /** The planning moment (only the PITR window depends on it). */
  now: Date | string;
  /** IANA time zone of the server, e.g. `Europe/Berlin`; calendar units are taken here. */
  timeZone: string;
}

export interface KeptPoint {
  label: string;
  /** Highest GFS tier that keeps the point; null when only PITR (or `newest`) keeps it. */
  tier: GfsTier | null;
  /** Every rule that keeps it, in the order monthly, weekly, daily, newest, pitr. */
  reasons: KeepReason[];
}

export interface RetentionPlan {
  /** Newest first. */
  keep: KeptPoint[];
  /** Newest first. */
  expire: { label: string }[];
}

const DAY_MS = 86_400_000;

interface Point {
  label: string;
  ms: number;
}

function toMs(at: Date | string, what: string): number {
  const ms = (typeof at === 'string' ? new Date(at) : at).getTime();
  if (Number.isNaN(ms)) throw new Error(`invalid time for ${what}: ${String(at)}`);
  return ms;
}

/** Validates labels (unique) and times; returns the points newest first. */
function normalise(points: readonly RecoveryPointRef[]): Point[] {
  const seen = new Set<string>();
  const out = points.map((p) => {
    if (seen.has(p.label)) throw new Error(`duplicate recovery point label ${p.label}`);
    seen.add(p.label);
    return { label: p.label, ms: toMs(p.at, p.label) };
  });
  return out.sort((a, b) => b.ms - a.ms || (a.label < b.label ? 1 : a.label > b.label ? -1 : 0));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date (year, month 1-12, day) of `ms` in `timeZone`.
 * @throws RangeError for an unknown time zone.
 */
export function localDate(ms: number, timeZone: string): { y: number; m: number; d: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day) };
}

/** ISO-8601 week of a calendar date: `YYYY-Www` with the week-numbering year. */
export function isoWeekKey(y: number, m: number, d: number): string {
  const date = Date.UTC(y, m - 1, d);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = date + (3 - weekday) * DAY_MS; // the week's Thursday decides its year
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS));
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

/** The day, ISO week and month bucket keys of an instant in `timeZone`. */
export function calendarKeys(ms: number, timeZone: string): Record<GfsTier, string> {
  const { y, m, d } = localDate(ms, timeZone);
  const month = `${y}-${String(m).padStart(2, '0')}`;
  return {
    daily: `${month}-${String(d).padStart(2, '0')}`,
    weekly: isoWeekKey(y, m, d),
    monthly: month,
  };
}

/**
 * Labels the PITR window depends on: the newest point at or before `now − pitrDays` (the base
 * that restores the window's first second) and every point after it. When no point is that
 * old, all points (the window is only partly restorable, and nothing may make it worse).
 */
export function pitrProtected(
  points: readonly RecoveryPointRef[],
  now: Date | string,
  pitrDays: number,
): string[] {
  const windowStart = toMs(now, 'now') - pitrDays * DAY_MS;
  const sorted = normalise(points);
  const base = sorted.findIndex((p) => p.ms <= windowStart);
  return (base === -1 ? sorted : sorted.slice(0, base + 1)).map((p) => p.label);
}

/**
 * The oldest kept backup WAL must be kept from so every second of the last `pitrDays` stays
 * restorable: the newest kept point at or before `now − pitrDays`, or else the oldest kept
 * point. Older kept points (GFS weekly/monthly) stay restorable to their own consistent
 * moment, without PITR. Null when nothing is kept.
 */
export function walRetentionStart(
  points: readonly RecoveryPointRef[],
  keep: Iterable<string | { label: string }>,
  now: Date | string,
  pitrDays: number,
): { label: string; at: Date } | null {
  const kept = new Set([...keep].map((k) => (typeof k === 'string' ? k : k.label)));
  const sorted = normalise(points).filter((p) => kept.has(p.label));
  const windowStart = toMs(now, 'now') - pitrDays * DAY_MS;
  const start = sorted.find((p) => p.ms <= windowStart) ?? sorted[sorted.length - 1];
  return start ? { label: start.label, at: new Date(start.ms) } : null;
}

const TIERS: readonly GfsTier[] = ['monthly', 'weekly', 'daily'];

/** Plans which recovery points to keep and which to expire; see the rules above. */
export function planRetention(
  points: readonly RecoveryPointRef[],
  policy: GfsPolicy,
  options: GfsOptions,
): RetentionPlan {
  const sorted = normalise(points);
  const reasons = new Map<string, Set<KeepReason>>(sorted.map((p) => [p.label, new Set()]));
  const keys = new Map(sorted.map((p) => [p.label, calendarKeys(p.ms, options.timeZone)]));
  toMs(options.now, 'now'); // reject an invalid now even when pitrDays is unset
  for (const tier of TIERS) {
    let left = policy[tier];
    let lastKey: string | undefined;
    for (const p of sorted) {
      if (left <= 0) break;
      const key = keys.get(p.label)?.[tier];
      if (key === lastKey) continue;
      lastKey = key;
      left--;
      reasons.get(p.label)?.add(tier);
    }
  }
  if (sorted[0]) reasons.get(sorted[0].label)?.add('newest');
  if (policy.pitrDays !== undefined) {
    for (const label of pitrProtected(points, options.now, policy.pitrDays)) {
      reasons.get(label)?.add('pitr');
    }
  }
  const order: KeepReason[] = ['monthly', 'weekly', 'daily', 'newest', 'pitr'];
  const plan: RetentionPlan = { keep: [], expire: [] };
  for (const p of sorted) {
    const why = reasons.get(p.label) as Set<KeepReason>;
    if (why.size === 0) {
      plan.expire.push({ label: p.label });
      continue;
    }
    const list = order.filter((r) => why.has(r));
    plan.keep.push({ label: p.label, tier: TIERS.find((t) => why.has(t)) ?? null, reasons: list });
  }
  return plan;
}
