import { describe, expect, it } from 'vitest';
import {
  buildCatalogModel,
  resolveRecoveryTarget,
  segmentName,
  type CatalogModel,
  type RecoveryResolution,
  type ResolvedRecovery,
} from '../../shared/catalog';
import {
  MINUTE,
  P0,
  SEGMENT_SIZE,
  segmentTime,
  synthBackup,
  synthListing,
  T0,
  thirtyDays,
} from './catalog-fixtures';
import { translate } from '../../renderer/app/i18n/translate';
import { wordError } from '../../renderer/app/i18n/word-error';

const iso = (ms: number) => new Date(ms).toISOString();
const stopOf = (minute: number) => T0 + minute * MINUTE + 50_000;

function model(
  options: { missing?: number[]; backups?: number[]; minutes?: number } = {},
): CatalogModel {
  const minutes = options.minutes ?? 600;
  return buildCatalogModel({
    serverId: 'srv-1',
    now: segmentTime(minutes - 1) + 45_000,
    archive: synthListing({ minutes, missing: options.missing ?? [] }),
    backups: (options.backups ?? [10, 300]).map((m) => synthBackup(m)),
    events: [],
    timeZone: 'UTC',
  });
}

function ok(r: RecoveryResolution): ResolvedRecovery {
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.value;
}

const wordedIn = (
  lang: 'de' | 'en',
  r: { reason: string; why: { key: string; params?: Record<string, string | number> } },
) =>
  wordError((key, params) => translate(lang, key, params), {
    code: 'RESTORE_NOT_COVERED',
    message: r.reason,
    reason: r.why,
  }).reason;

/** The refusal's English reason; also checks the console words it in German (issue 16 §1). */
function refused(r: RecoveryResolution): string {
  if (r.ok) throw new Error('expected a refusal');
  expect(r.code).toBe('RESTORE_NOT_COVERED');
  const german = wordedIn('de', r);
  expect(german, r.why.key).toBeTruthy();
  expect(german).not.toMatch(/[{}]/);
  expect(german).not.toBe(wordedIn('en', r));
  return r.reason;
}

describe('resolveRecoveryTarget', () => {
  it('a time: newest backup before it, WAL from its start to the segment archived at/after it', () => {
    const m = model();
    const at = T0 + 200 * MINUTE + 30_000; // inside minute 200: segment 200 is archived at 201:00
    const r = ok(resolveRecoveryTarget(m, { kind: 'time', time: iso(at) }));
    expect(r).toMatchObject({
      pgbackrestType: 'time',
      targetTime: iso(at),
      timeline: 1,
      wal: {
        firstSegment: segmentName(1, P0 + 10),
        lastSegment: segmentName(1, P0 + 200),
        segments: 191,
        bytes: 191 * SEGMENT_SIZE,
      },
      attachedFiles: { label: m.backups[0]?.label, resticSnapshotId: 'ab000010' },
    });
    expect(r.backup.label).toBe(m.backups[0]?.label);
    // The files are as of that recovery point's end, not of the moment: the plan says so.
    expect(r.attachedFiles?.takenAt).toBe(r.backup.timeStop);
    expect(Date.parse(r.attachedFiles?.takenAt ?? '')).toBeLessThan(at);
    // After the second backup it starts from that one.
    const later = ok(resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 400 * MINUTE) }));
    expect(later.backup.label).toBe(m.backups[1]?.label);
    expect(later.wal.segments).toBe(400 - 300);
  });

  it('refuses a time inside a gap, naming the missing segment, and accepts one before it', () => {
    const m = model({ missing: [100] });
    const inGap = refused(resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 150 * MINUTE) }));
    expect(inGap).toContain(
      `WAL segment ${segmentName(1, P0 + 100)} missing from the bucket (1 segment)`,
    );
    expect(inGap).toContain(`restorable again from ${iso(stopOf(300))}`);
    const before = ok(
      resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 90 * MINUTE + 30_000) }),
    );
    expect(before.wal.lastSegment).toBe(segmentName(1, P0 + 90));
  });

  it('says the target lies before a gap, not in the newest WAL, when its range ends at a gap', () => {
    const m = model({ missing: [100] });
    const lastBeforeGap = ok(
      resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 99 * MINUTE + 30_000) }),
    );
    const said = lastBeforeGap.warnings.join(' ');
    expect(said).not.toMatch(/newest archived WAL/);
    expect(said).toContain(`${segmentName(1, P0 + 99)}, the last one before a gap`);
    // In the newest segment of the archive the warning says so.
    const newest = ok(
      resolveRecoveryTarget(model(), { kind: 'time', time: iso(T0 + 599 * MINUTE + 30_000) }),
    );
    expect(newest.warnings.join(' ')).toMatch(/newest archived WAL/);
  });

  it('refuses a gap no later backup covers', () => {
    const m = model({ missing: [400] });
    const reason = refused(
      resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 500 * MINUTE) }),
    );
    expect(reason).toMatch(/no later backup covers it yet/);
    const latest = ok(resolveRecoveryTarget(m, { kind: 'latest' }));
    expect(latest.targetTime).toBe(iso(segmentTime(399)));
    expect(latest.warnings.join(' ')).toMatch(/"latest" ends there/);
  });

  it('refuses before the first backup and after the newest archived WAL', () => {
    const m = model();
    expect(refused(resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 5 * MINUTE) }))).toMatch(
      /before the first restorable moment/,
    );
    const future = refused(
      resolveRecoveryTarget(m, { kind: 'time', time: iso(segmentTime(599) + 20_000) }),
    );
    expect(future).toMatch(/not captured yet .*capture lag 45 s.*restore "latest"/);
    expect(refused(resolveRecoveryTarget(m, { kind: 'time', time: 'not a time' }))).toMatch(
      /not a valid time/,
    );
  });

  it('refuses WAL that retention expired between old backups', () => {
    const keep = new Set([10, 11, 100, 101]);
    const missing = [...Array(300).keys()].filter((i) => !keep.has(i));
    const m = model({ missing, backups: [10, 100, 300] });
    expect(
      refused(resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 50 * MINUTE) })),
    ).toMatch(/expired by retention/);
    // The old backup itself stays restorable as a recovery point.
    const point = ok(resolveRecoveryTarget(m, { kind: 'point', label: m.backups[0]?.label ?? '' }));
    expect(point.wal.segments).toBe(2);
  });

  it('a recovery point: that backup, immediate, its own WAL and restic snapshot', () => {
    const m = model();
    const label = m.backups[1]?.label ?? '';
    const r = ok(resolveRecoveryTarget(m, { kind: 'point', label }));
    expect(r).toMatchObject({
      pgbackrestType: 'immediate',
      targetTime: iso(stopOf(300)),
      wal: {
        firstSegment: segmentName(1, P0 + 300),
        lastSegment: segmentName(1, P0 + 301),
        segments: 2,
      },
      attachedFiles: { label, resticSnapshotId: 'ab000300' },
    });
    expect(refused(resolveRecoveryTarget(m, { kind: 'point', label: '20200101-000000F' }))).toMatch(
      /no backup 20200101-000000F/,
    );
  });

  it('a recovery point inside a gap is refused', () => {
    const m = model({ missing: [300, 301], backups: [10, 300, 400] });
    expect(
      refused(resolveRecoveryTarget(m, { kind: 'point', label: m.backups[1]?.label ?? '' })),
    ).toMatch(/cannot be restored: .*missing from the bucket/);
  });

  it('latest: newest backup plus all WAL after it', () => {
    const m = model();
    const r = ok(resolveRecoveryTarget(m, { kind: 'latest' }));
    expect(r).toMatchObject({
      pgbackrestType: 'default',
      targetTime: iso(segmentTime(599)),
      wal: {
        firstSegment: segmentName(1, P0 + 300),
        lastSegment: segmentName(1, P0 + 599),
        segments: 300,
      },
    });
    expect(r.backup.label).toBe(m.backups[1]?.label);
    const empty = buildCatalogModel({
      serverId: 's',
      now: T0,
      archive: null,
      backups: [],
      events: [],
    });
    expect(refused(resolveRecoveryTarget(empty, { kind: 'latest' }))).toMatch(
      /Nothing is restorable yet/,
    );
  });

  it('after a timeline switch picks the timeline of the moment and says so', () => {
    const m = buildCatalogModel({
      serverId: 'srv-1',
      now: segmentTime(599) + 10_000,
      archive: synthListing({
        minutes: 600,
        timelineSwitch: { minute: 250, timeline: 2 },
        parentContinues: true,
      }),
      backups: [synthBackup(10)],
      events: [],
    });
    const onBoth = ok(
      resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 400 * MINUTE + 30_000) }),
    );
    expect(onBoth.timeline).toBe(2);
    expect(onBoth.wal.firstSegment).toBe(segmentName(1, P0 + 10));
    expect(onBoth.wal.lastSegment).toBe(segmentName(2, P0 + 400));
    expect(onBoth.warnings.join(' ')).toMatch(/also exists on timeline 1/);
    const old = ok(
      resolveRecoveryTarget(
        m,
        { kind: 'time', time: iso(T0 + 400 * MINUTE + 30_000) },
        { timeline: 1 },
      ),
    );
    expect(old.wal.lastSegment).toBe(segmentName(1, P0 + 400));
    const before = ok(resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 100 * MINUTE) }));
    expect(before.timeline).toBe(1);
  });

  it('on the 30-day catalog: a time in each gap is refused, times around them resolve', () => {
    const m = buildCatalogModel(thirtyDays({ missing: [5000, 20000] }));
    expect(
      refused(resolveRecoveryTarget(m, { kind: 'time', time: iso(T0 + 5001 * MINUTE) })),
    ).toContain(segmentName(1, P0 + 5000));
    const r = ok(
      resolveRecoveryTarget(m, {
        kind: 'time',
        time: iso(T0 + 29 * 86_400_000 + 3 * 3_600_000 + 30_000),
      }),
    );
    expect(r.wal.segments).toBe(3 * 60 - 120 + 1);
    expect(r.attachedFiles?.resticSnapshotId).toBe(`ab${String(29 * 1440 + 120).padStart(6, '0')}`);
  });
});
