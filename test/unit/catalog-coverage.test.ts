import { describe, expect, it } from 'vitest';
import { buildCatalogModel, segmentName, type CatalogInput } from '../../shared/catalog';
import {
  DAY,
  MINUTE,
  P0,
  segmentTime,
  synthBackup,
  synthListing,
  synthManifest,
  T0,
  thirtyDays,
} from './catalog-fixtures';

const iso = (ms: number) => new Date(ms).toISOString();
const stopOf = (minute: number) => T0 + minute * MINUTE + 50_000;

function input(
  over: Partial<CatalogInput> & { minutes?: number; missing?: number[] },
): CatalogInput {
  const minutes = over.minutes ?? 600;
  return {
    serverId: 'srv-1',
    now: segmentTime(minutes - 1) + 20_000,
    archive: synthListing({ minutes, missing: over.missing ?? [] }),
    backups: [synthBackup(10), synthBackup(300)],
    events: [],
    timeZone: 'UTC',
    ...over,
  };
}

describe('catalog coverage', () => {
  it('one unbroken run: a range per backup, back to back, to the newest segment', () => {
    const { catalog, backups } = buildCatalogModel(input({}));
    expect(catalog.gaps).toEqual([]);
    expect(catalog.coverage).toEqual([
      {
        from: iso(stopOf(10)),
        to: iso(stopOf(300)),
        timeline: 1,
        baseBackup: backups[0]?.label,
        firstSegment: segmentName(1, P0 + 10),
        lastSegment: segmentName(1, P0 + 300),
        segments: 291,
      },
      {
        from: iso(stopOf(300)),
        to: iso(segmentTime(599)),
        timeline: 1,
        baseBackup: backups[1]?.label,
        firstSegment: segmentName(1, P0 + 300),
        lastSegment: segmentName(1, P0 + 599),
        segments: 300,
      },
    ]);
    expect(catalog.firstRestorable).toBe(iso(stopOf(10)));
    expect(catalog.lastRestorable).toBe(iso(segmentTime(599)));
    expect(catalog.captureLagSeconds).toBe(20);
    expect(catalog.walSegments).toBe(600);
    expect(catalog.segmentTimes).toHaveLength(600);
    // Both on one day: GFS keeps only the newest of the day (daily, weekly and monthly at once).
    expect(catalog.backups.map((b) => [b.tier, b.manifest?.signature])).toEqual([
      [null, 'valid'],
      ['monthly', 'valid'],
    ]);
  });

  it('a missing segment splits coverage: times after it wait for the next backup', () => {
    const { catalog } = buildCatalogModel(input({ missing: [100, 101] }));
    expect(catalog.gaps).toEqual([
      {
        from: iso(segmentTime(99)),
        to: iso(stopOf(300)),
        timeline: 1,
        missingSegment: segmentName(1, P0 + 100),
        missingCount: 2,
        cause: `WAL segment ${segmentName(1, P0 + 100)} missing from the bucket (2 segments)`,
        causeWords: {
          key: 'gap.missing',
          params: { segment: segmentName(1, P0 + 100), count: 2 },
        },
      },
    ]);
    expect(catalog.coverage.map((r) => [r.from, r.to])).toEqual([
      [iso(stopOf(10)), iso(segmentTime(99))],
      [iso(stopOf(300)), iso(segmentTime(599))],
    ]);
  });

  it('a backup inside a gap cannot be restored; the gap lasts until a later backup', () => {
    const model = buildCatalogModel(
      input({
        missing: [200, 201, 202],
        backups: [synthBackup(10), synthBackup(201), synthBackup(400)],
      }),
    );
    const [gap] = model.catalog.gaps;
    expect(gap?.from).toBe(iso(segmentTime(199)));
    expect(gap?.to).toBe(iso(stopOf(400)));
    expect(gap?.cause).toMatch(/missing from the bucket \(3 segments\); backup \S+ falls in it/);
    expect(model.backups.map((b) => b.restorable)).toEqual([true, false, true]);
    expect(model.notes.join('\n')).toMatch(/not restorable.*missing from the bucket/);
  });

  it('no gap for WAL before the first backup or after the newest segment', () => {
    const { catalog } = buildCatalogModel(input({ missing: [3, 4] }));
    expect(catalog.gaps).toEqual([]);
  });

  it('holes left by retention between old backups are not gaps', () => {
    // Old backups keep only walStart..walStop; WAL is continuous from the third on.
    const keep = new Set<number>([10, 11, 100, 101]);
    const missing: number[] = [];
    for (let i = 0; i < 300; i++) if (!keep.has(i)) missing.push(i);
    const model = buildCatalogModel(
      input({ missing, backups: [synthBackup(10), synthBackup(100), synthBackup(300)] }),
    );
    expect(model.catalog.gaps).toEqual([]);
    expect(model.catalog.coverage).toHaveLength(3);
    expect(model.catalog.coverage[0]?.to).toBe(iso(segmentTime(11)));
  });

  it('follows a timeline switch: moments on the new timeline restore from the old backup', () => {
    const model = buildCatalogModel(
      input({
        archive: synthListing({ minutes: 600, timelineSwitch: { minute: 250, timeline: 2 } }),
      }),
    );
    expect(model.currentTimeline).toBe(2);
    expect(model.catalog.gaps).toEqual([]);
    const lanes = model.catalog.coverage.map((r) => [
      r.timeline,
      r.baseBackup,
      r.firstSegment,
      r.lastSegment,
    ]);
    const [b10, b300] = model.backups.map((b) => b.label);
    expect(lanes).toEqual([
      [1, b10, segmentName(1, P0 + 10), segmentName(1, P0 + 249)],
      // Backup 300 was taken on timeline 1 after the switch point: it never chains into TL2,
      // and its walStart is not on TL1 here (TL1 stopped), so it is not restorable.
      [2, b10, segmentName(1, P0 + 10), segmentName(2, P0 + 599)],
    ]);
    expect(b300).toBeDefined();
    expect(model.ranges[1]?.path).toEqual([
      { timeline: 1, from: P0 + 10, to: P0 + 249 },
      { timeline: 2, from: P0 + 250, to: P0 + 599 },
    ]);
    expect(model.ranges[1]?.fromMs).toBe(segmentTime(250) - 30_000);
  });

  it('uses a backup without a manifest from pgBackRest files, and distrusts an invalid manifest', () => {
    const m = synthManifest(300);
    const archive = synthListing({ minutes: 600 });
    archive.backupHistory.push({
      name: `${m.pgbackrest.walStart}.00000028.backup`,
      time: stopOf(300) + 1_000,
      size: 300,
    });
    const model = buildCatalogModel(
      input({
        archive,
        backups: [
          synthBackup(10, { signature: 'invalid' }),
          { label: m.label, manifest: null, repoManifestTime: stopOf(300) + 2_000 },
        ],
      }),
    );
    const invalid = model.backups.find((b) => b.label === synthManifest(10).label);
    const derived = model.backups.find((b) => b.label === m.label);
    expect(invalid?.origin).toBe('derived');
    expect(invalid?.resticSnapshotId).toBeNull();
    expect(invalid?.entry.manifest?.signature).toBe('invalid');
    expect(invalid?.problem).toMatch(/INVALID/);
    expect(invalid?.restorable).toBe(false); // no stop time and WAL start derivable for it
    expect(derived?.entry).toMatchObject({
      label: m.label,
      type: 'full',
      walStart: m.pgbackrest.walStart,
      lsnStart: m.pgbackrest.lsnStart,
      timeStart: iso(T0 + 300 * MINUTE + 10_000), // read from the label (UTC)
      timeStop: iso(stopOf(300) + 2_000),
      manifest: null,
    });
    expect(derived?.restorable).toBe(true);
  });

  it('30 days at a segment a minute with 14 backups, gaps and all, builds quickly and right', () => {
    const lost = [5000, 5001, 20000];
    const synthetic = thirtyDays({ missing: lost });
    const started = performance.now();
    const model = buildCatalogModel(synthetic);
    const ms = performance.now() - started;
    const { catalog } = model;
    expect(catalog.walSegments).toBe(43_200 - lost.length);
    expect(catalog.segmentTimes).toHaveLength(43_197);
    expect(catalog.backups).toHaveLength(14);
    expect(catalog.gaps.map((g) => [g.missingSegment, g.missingCount])).toEqual([
      [segmentName(1, P0 + 5000), 2],
      [segmentName(1, P0 + 20000), 1],
    ]);
    // Backups at days 0,3,7,10,14,17,21,23..29: the gaps end at the next backups (day 7, day 14).
    expect(catalog.gaps.map((g) => g.to)).toEqual([
      iso(stopOf(7 * 1440 + 120)),
      iso(stopOf(14 * 1440 + 120)),
    ]);
    expect(catalog.coverage).toHaveLength(14);
    expect(catalog.firstRestorable).toBe(iso(stopOf(120)));
    expect(catalog.lastRestorable).toBe(iso(segmentTime(43_199)));
    expect(catalog.backups.filter((b) => b.tier !== null).length).toBeGreaterThanOrEqual(7);
    // Not a timing assertion (shared CI cores); printed for the report.
    console.info(`catalog build, 43,200 segments + 14 backups: ${ms.toFixed(1)} ms`);
    expect(catalog.captureLagSeconds).toBe(30);
    expect(catalog.builtAt).toBe(iso(T0 + 30 * DAY + 30_000));
  });
});
