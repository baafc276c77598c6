import { describe, expect, it } from 'vitest';
import {
  calendarKeys,
  isoWeekKey,
  pitrProtected,
  planRetention,
  walRetentionStart,
  type RecoveryPointRef,
  type RetentionPlan,
} from '../../shared/retention/gfs';

const TZ = 'Europe/Berlin';
const POLICY = { daily: 7, weekly: 4, monthly: 3 };

// Labels are the local wall-clock time with its UTC offset, e.g. '2025-03-30 03:30+02'.
function point(label: string): RecoveryPointRef {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})([+-]\d{2})$/.exec(label);
  if (!m) throw new Error(`bad test label ${label}`);
  return { label, at: `${m[1]}T${m[2]}:00${m[3]}:00` };
}

// Days without any recovery point (failed or skipped runs).
const MISSED = new Set([
  '2024-10-30', // a Wednesday inside the first checkpoint's daily window
  '2024-11-30', // month end: November's monthly point must become Nov 29
  '2025-01-31', // month end: January's monthly point must become Jan 30
  ...['10', '11', '12', '13', '14', '15', '16'].map((d) => `2025-03-${d}`), // all of ISO week 11
  '2025-03-27', // inside the last daily window
]);

/**
 * The points of one calendar day, with the offsets written out by hand (not computed with
 * Intl): the daily run at 02:30 Europe/Berlin; CEST (+02) until the night of Sunday
 * 27 October 2024, when 02:30 happens twice (the scheduled run in CEST and a manual re-run
 * one hour later in CET at the same wall-clock time); CET (+01) until Sunday 30 March 2025,
 * when 02:30 does not exist and the run happens at 03:30 CEST (01:30 UTC). On 1 January an
 * extra manual run at 00:20 local, which is still 31 December in UTC; on 31 March 2025 one at
 * 00:40 CEST, which is 30 March in UTC and also in a zone stuck at CET (+01).
 */
function pointsOfDay(day: string): string[] {
  if (MISSED.has(day)) return [];
  if (day < '2024-10-27') return [`${day} 02:30+02`];
  if (day === '2024-10-27') return [`${day} 02:30+02`, `${day} 02:30+01`];
  if (day === '2025-01-01') return [`${day} 00:20+01`, `${day} 02:30+01`];
  if (day < '2025-03-30') return [`${day} 02:30+01`];
  if (day === '2025-03-30') return [`${day} 03:30+02`];
  if (day === '2025-03-31') return [`${day} 00:40+02`, `${day} 02:30+02`];
  return [`${day} 02:30+02`];
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00Z`); t <= Date.parse(`${to}T00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const SIM_DAYS = days('2024-10-22', '2025-03-31');
const allLabels = (until: string) => SIM_DAYS.filter((d) => d <= until).flatMap(pointsOfDay);
/** Planning moment: noon local on the checkpoint day (after its 02:30 run). */
const noon = (day: string) => `${day}T12:00:00${day >= '2025-03-30' ? '+02' : '+01'}:00`;

const keptLabels = (plan: RetentionPlan) => plan.keep.map((k) => k.label);

/**
 * The agent's life: every day the new points are added, the plan computed at noon and the
 * expired points removed. Returns the surviving labels at each checkpoint day.
 */
function simulate(
  policy: typeof POLICY & { pitrDays?: number },
  checkpoints: string[],
): Map<string, string[]> {
  let repo: RecoveryPointRef[] = [];
  const seen = new Map<string, string[]>();
  for (const day of SIM_DAYS) {
    repo.push(...pointsOfDay(day).map(point));
    const plan = planRetention(repo, policy, { now: noon(day), timeZone: TZ });
    const expired = new Set(plan.expire.map((e) => e.label));
    repo = repo.filter((p) => !expired.has(p.label));
    if (checkpoints.includes(day)) seen.set(day, keptLabels(plan));
  }
  return seen;
}

// Expected survivors, newest first, worked out by hand from the rules (7 daily / 4 weekly /
// 3 monthly, restic semantics, calendar units in Europe/Berlin).
const EXPECTED: Record<string, string[]> = {
  // daily: Nov 3, 2, 1, Oct 31, (30 missed) 29, 28, 27 — the later of Oct 27's two 02:30s.
  // weekly: only W44 (Nov 3) and W43 (Oct 27, CET) exist. monthly: Nov 3, Oct 27 (CET).
  '2024-11-03': [
    '2024-11-03 02:30+01',
    '2024-11-02 02:30+01',
    '2024-11-01 02:30+01',
    '2024-10-31 02:30+01',
    '2024-10-29 02:30+01',
    '2024-10-28 02:30+01',
    '2024-10-27 02:30+01',
  ],
  // daily: Jan 5…Jan 1 (02:30, not the 00:20 run), Dec 31, Dec 30.
  // weekly: 2025-W01 (Dec 30–Jan 5) → Jan 5; W52 → Dec 29; W51 → Dec 22; W50 → Dec 15.
  // monthly: Jan 5; Dec 31 (the 00:20 run is January in Berlin); Nov 29 (Nov 30 missed).
  '2025-01-05': [
    '2025-01-05 02:30+01',
    '2025-01-04 02:30+01',
    '2025-01-03 02:30+01',
    '2025-01-02 02:30+01',
    '2025-01-01 02:30+01',
    '2024-12-31 02:30+01',
    '2024-12-30 02:30+01',
    '2024-12-29 02:30+01',
    '2024-12-22 02:30+01',
    '2024-12-15 02:30+01',
    '2024-11-29 02:30+01',
  ],
  // daily: Mar 31 (02:30, not 00:40), 30 (03:30 CEST), 29, 28, (27 missed) 26, 25, 24.
  // weekly: W14 → Mar 31; W13 → Mar 30; W12 → Mar 23; W11 has no points; W10 → Mar 9.
  // monthly: Mar 31; Feb 28; Jan 30 (Jan 31 missed).
  '2025-03-31': [
    '2025-03-31 02:30+02',
    '2025-03-30 03:30+02',
    '2025-03-29 02:30+01',
    '2025-03-28 02:30+01',
    '2025-03-26 02:30+01',
    '2025-03-25 02:30+01',
    '2025-03-24 02:30+01',
    '2025-03-23 02:30+01',
    '2025-03-09 02:30+01',
    '2025-02-28 02:30+01',
    '2025-01-30 02:30+01',
  ],
};

describe('GFS calendar units', () => {
  it('takes the local calendar day across both DST changes (25 h and 23 h days)', () => {
    const hoursPerDay = (from: string, to: string) => {
      const counts = new Map<string, number>();
      for (let t = Date.parse(from); t < Date.parse(to); t += 3_600_000) {
        const day = calendarKeys(t, TZ).daily;
        counts.set(day, (counts.get(day) ?? 0) + 1);
      }
      return Object.fromEntries(counts);
    };
    expect(hoursPerDay('2024-10-26T00:00:00+02:00', '2024-10-29T00:00:00+01:00')).toEqual({
      '2024-10-26': 24,
      '2024-10-27': 25,
      '2024-10-28': 24,
    });
    expect(hoursPerDay('2025-03-29T00:00:00+01:00', '2025-04-01T00:00:00+02:00')).toEqual({
      '2025-03-29': 24,
      '2025-03-30': 23,
      '2025-03-31': 24,
    });
    // Just after local midnight is the new day, though UTC is still on the previous one.
    expect(calendarKeys(Date.parse('2024-10-27T00:10:00+02:00'), TZ).daily).toBe('2024-10-27');
    expect(calendarKeys(Date.parse('2025-03-30T23:50:00+02:00'), TZ).daily).toBe('2025-03-30');
    expect(calendarKeys(Date.parse('2025-01-01T00:20:00+01:00'), TZ)).toEqual({
      daily: '2025-01-01',
      weekly: '2025-W01',
      monthly: '2025-01',
    });
    expect(calendarKeys(Date.parse('2025-01-01T00:20:00+01:00'), 'UTC').daily).toBe('2024-12-31');
  });

  it('numbers ISO weeks from Monday, with the week-numbering year', () => {
    expect(isoWeekKey(2024, 12, 29)).toBe('2024-W52'); // Sunday
    expect(isoWeekKey(2024, 12, 30)).toBe('2025-W01'); // Monday of 2025's first week
    expect(isoWeekKey(2021, 1, 3)).toBe('2020-W53');
    expect(isoWeekKey(2025, 3, 10)).toBe('2025-W11');
    expect(isoWeekKey(2025, 3, 16)).toBe('2025-W11');
    expect(isoWeekKey(2025, 3, 17)).toBe('2025-W12');
  });

  it('refuses an unknown time zone', () => {
    expect(() =>
      planRetention([point('2025-03-31 02:30+02')], POLICY, {
        now: noon('2025-03-31'),
        timeZone: 'Mars/Olympus',
      }),
    ).toThrow(RangeError);
  });
});

describe('GFS planner, 150 days at 02:30 Europe/Berlin', () => {
  it('simulates the expected data set', () => {
    const withPoints = SIM_DAYS.filter((d) => pointsOfDay(d).length > 0);
    expect(withPoints).toHaveLength(150);
    expect(allLabels('2025-03-31')).toHaveLength(153);
  });

  it.each(Object.keys(EXPECTED))('keeps exactly the expected points at %s (one plan)', (day) => {
    const points = allLabels(day).map(point);
    const plan = planRetention(points, POLICY, { now: noon(day), timeZone: TZ });
    expect(keptLabels(plan)).toEqual(EXPECTED[day]);
    const expired = new Set(plan.expire.map((e) => e.label));
    expect(expired.size + plan.keep.length).toBe(points.length);
    for (const label of EXPECTED[day] ?? []) expect(expired.has(label)).toBe(false);
  });

  it('gives the same survivors when applied every day as the agent does', () => {
    const seen = simulate(POLICY, Object.keys(EXPECTED));
    for (const [day, labels] of Object.entries(EXPECTED)) expect(seen.get(day)).toEqual(labels);
  });

  it('reports each kept point once, with its highest tier and all reasons', () => {
    const day = '2025-03-31';
    const plan = planRetention(allLabels(day).map(point), POLICY, { now: noon(day), timeZone: TZ });
    expect(plan.keep.map((k) => [k.label, k.tier, k.reasons.join(',')])).toEqual([
      ['2025-03-31 02:30+02', 'monthly', 'monthly,weekly,daily,newest'],
      ['2025-03-30 03:30+02', 'weekly', 'weekly,daily'],
      ['2025-03-29 02:30+01', 'daily', 'daily'],
      ['2025-03-28 02:30+01', 'daily', 'daily'],
      ['2025-03-26 02:30+01', 'daily', 'daily'],
      ['2025-03-25 02:30+01', 'daily', 'daily'],
      ['2025-03-24 02:30+01', 'daily', 'daily'],
      ['2025-03-23 02:30+01', 'weekly', 'weekly'],
      ['2025-03-09 02:30+01', 'weekly', 'weekly'],
      ['2025-02-28 02:30+01', 'monthly', 'monthly'],
      ['2025-01-30 02:30+01', 'monthly', 'monthly'],
    ]);
    const a = planRetention(allLabels('2025-01-05').map(point), POLICY, {
      now: noon('2025-01-05'),
      timeZone: TZ,
    });
    expect(a.keep.find((k) => k.label === '2024-12-31 02:30+01')).toEqual({
      label: '2024-12-31 02:30+01',
      tier: 'monthly',
      reasons: ['monthly', 'daily'],
    });
    expect(a.expire).toContainEqual({ label: '2025-01-01 00:20+01' });
    expect(plan.expire).toContainEqual({ label: '2025-03-31 00:40+02' });
  });

  it('is stable: planning again after applying the plan expires nothing more', () => {
    for (const day of Object.keys(EXPECTED)) {
      for (const policy of [POLICY, { ...POLICY, pitrDays: 30 }]) {
        const options = { now: noon(day), timeZone: TZ };
        const first = planRetention(allLabels(day).map(point), policy, options);
        const again = planRetention(keptLabels(first).map(point), policy, options);
        expect(again.expire).toEqual([]);
        expect(again.keep).toEqual(first.keep);
      }
    }
  });

  it('does not depend on the input order', () => {
    const points = allLabels('2025-03-31').map(point);
    const shuffled = [...points].sort((a, b) => (a.label.slice(8) < b.label.slice(8) ? -1 : 1));
    const options = { now: noon('2025-03-31'), timeZone: TZ };
    expect(planRetention(shuffled, POLICY, options)).toEqual(
      planRetention(points, POLICY, options),
    );
  });

  it('always keeps the newest point, even with every count at zero', () => {
    const points = allLabels('2024-11-03').map(point);
    const plan = planRetention(
      points,
      { daily: 0, weekly: 0, monthly: 0 },
      { now: noon('2024-11-03'), timeZone: TZ },
    );
    expect(plan.keep).toEqual([{ label: '2024-11-03 02:30+01', tier: null, reasons: ['newest'] }]);
    expect(plan.expire).toHaveLength(points.length - 1);
    expect(planRetention([], POLICY, { now: noon('2024-11-03'), timeZone: TZ })).toEqual({
      keep: [],
      expire: [],
    });
  });

  it('refuses duplicate labels and invalid times', () => {
    const options = { now: noon('2025-03-31'), timeZone: TZ };
    const p = point('2025-03-31 02:30+02');
    expect(() => planRetention([p, p], POLICY, options)).toThrow(/duplicate/);
    expect(() => planRetention([{ label: 'x', at: 'yesterday' }], POLICY, options)).toThrow(
      /invalid time/,
    );
  });
});

describe('PITR window', () => {
  const day = '2025-03-31';
  const now = noon(day); // 2025-03-31 10:00 UTC; 30 × 24 h earlier is 2025-03-01 10:00 UTC
  const points = allLabels(day).map(point);
  const march = allLabels(day)
    .filter((l) => l >= '2025-03-01')
    .reverse();

  it('protects the newest point at or before the window start and every later one', () => {
    expect(march[march.length - 1]).toBe('2025-03-01 02:30+01');
    expect(march).toHaveLength(24); // Mar 1–9, 17–26, 28–31 and the 00:40 run on Mar 31
    expect(pitrProtected(points, now, 30)).toEqual(march);
    // A point exactly at the window start is the base; the one before it is not needed.
    const edge = [
      { label: 'before', at: '2025-03-01T09:00:00Z' },
      { label: 'at-start', at: '2025-03-01T10:00:00Z' },
      { label: 'inside', at: '2025-03-20T10:00:00Z' },
    ];
    expect(pitrProtected(edge, now, 30)).toEqual(['inside', 'at-start']);
    // Nothing old enough yet: everything is protected.
    expect(pitrProtected(edge.slice(2), now, 30)).toEqual(['inside']);
  });

  it('never expires what the window needs (reason pitr) and keeps GFS beyond it', () => {
    const plan = planRetention(points, { ...POLICY, pitrDays: 30 }, { now, timeZone: TZ });
    expect(keptLabels(plan)).toEqual([...march, '2025-02-28 02:30+01', '2025-01-30 02:30+01']);
    const byLabel = new Map(plan.keep.map((k) => [k.label, k]));
    expect(byLabel.get('2025-03-01 02:30+01')).toMatchObject({ tier: null, reasons: ['pitr'] });
    expect(byLabel.get('2025-03-02 02:30+01')).toMatchObject({ tier: null, reasons: ['pitr'] });
    expect(byLabel.get('2025-03-09 02:30+01')).toMatchObject({
      tier: 'weekly',
      reasons: ['weekly', 'pitr'],
    });
    expect(byLabel.get('2025-02-28 02:30+01')).toMatchObject({
      tier: 'monthly',
      reasons: ['monthly'],
    });
    // Applied daily over the whole simulation, the result is the same.
    const seen = simulate({ ...POLICY, pitrDays: 30 }, [day]);
    expect(seen.get(day)).toEqual(keptLabels(plan));
  });

  it('starts WAL retention at the newest kept point at or before the window start', () => {
    const withPitr = planRetention(points, { ...POLICY, pitrDays: 30 }, { now, timeZone: TZ });
    expect(walRetentionStart(points, withPitr.keep, now, 30)).toEqual({
      label: '2025-03-01 02:30+01',
      at: new Date('2025-03-01T01:30:00Z'),
    });
    // GFS alone kept nothing between Feb 28 and Mar 9: WAL would have to reach back to Feb 28.
    const gfsOnly = planRetention(points, POLICY, { now, timeZone: TZ });
    expect(walRetentionStart(points, gfsOnly.keep, now, 30)?.label).toBe('2025-02-28 02:30+01');
    // No kept point is old enough: the oldest kept one.
    expect(walRetentionStart(points, keptLabels(gfsOnly), now, 90)?.label).toBe(
      '2025-01-30 02:30+01',
    );
    expect(walRetentionStart(points, [], now, 30)).toBeNull();
  });
});
