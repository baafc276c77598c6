import { describe, expect, it } from 'vitest';
import {
  clockIsOff,
  clockPlanWarning,
  clockTile,
  type ClockReading,
} from '../../shared/agent/server-clock';
import { catalogInputFrom } from '../../electron/services/catalog/catalog-input';
import type { CatalogCache } from '../../electron/services/catalog/catalog-cache';

const reading = (offsetSeconds: number, uncertaintySeconds = 0.05): ClockReading => ({
  offsetSeconds,
  uncertaintySeconds,
  measuredAt: '2026-12-06T09:00:00.000Z',
});

describe('server clock (fault 14)', () => {
  it('is off beyond 10 s after the uncertainty, and says by how much and which way', () => {
    expect(clockIsOff(reading(9.9))).toBe(false);
    expect(clockIsOff(reading(-10.5, 1))).toBe(false);
    expect(clockIsOff(reading(-10.5))).toBe(true);
    const ahead = clockTile(reading(600.4));
    expect(ahead).toMatchObject({ id: 'clock', level: 'warning', value: '+600 s' });
    expect(ahead.reason).toContain('600 s ahead of');
    const behind = clockTile(reading(-42));
    expect(behind.value).toBe('-42 s');
    expect(behind.reason).toContain('42 s behind');
    expect(clockTile(reading(0.2)).level).toBe('ok');
  });

  it('warns in a plan only when the clock is off', () => {
    expect(clockPlanWarning(null)).toBeNull();
    expect(clockPlanWarning(reading(3))).toBeNull();
    expect(clockPlanWarning(reading(600))).toMatch(/600 s ahead of .* server's clock/);
  });

  it("puts the bucket's times and now on the server's clock, leaving the cache as listed", () => {
    const cache = {
      serverId: 's1',
      labels: ['20261206-090000F'],
      manifests: {},
      repoManifestTimes: { '20261206-090000F': 1_000 },
      otherArchiveIds: [],
      events: {},
      archive: {
        archiveId: '15-1',
        segments: { names: ['000000010000000000000001'], times: [2_000], sizes: [16] },
        partials: [],
        backupHistory: [{ name: '000000010000000000000001.00000028.backup', time: 1_500, size: 1 }],
        timelineHistory: [],
      },
    } as unknown as CatalogCache;
    const options = {
      now: 10_000,
      retention: { daily: 7, weekly: 4, monthly: 3 },
      timeZone: 'UTC',
    };
    const shifted = catalogInputFrom(cache, { ...options, serverClockOffsetMs: 600_000 });
    expect(shifted.now).toBe(610_000);
    expect(shifted.archive?.segments.times).toEqual([602_000]);
    expect(shifted.archive?.backupHistory[0]?.time).toBe(601_500);
    expect(shifted.backups[0]?.repoManifestTime).toBe(601_000);
    expect(cache.archive?.segments.times).toEqual([2_000]);
    const same = catalogInputFrom(cache, options);
    expect(same.now).toBe(10_000);
    expect(same.archive).toBe(cache.archive);
  });
});
