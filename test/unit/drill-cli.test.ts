import { describe, expect, it } from 'vitest';
import { formatEntry, formatOverview, formatSync } from '../../electron/cli/drill-commands';
import { drillEntry, drillOverview } from './renderer-fakes';

// What `kumiko drill run|list|sync` print for people (with --json they print the Result).

describe('kumiko drill output', () => {
  it('prints a run’s archived report with RTO, RPO and the offline verify command', () => {
    const text = formatEntry(drillEntry());
    expect(text).toContain('Drill drill-20261127T031500Z on ERP: PASSED');
    expect(text).toContain('RTO       252 s (4 min 12 s)');
    expect(text).toContain('RPO       41 s');
    expect(text).toContain('kumiko report verify /home/admin/.config/kumiko-recovery/reports/');
    expect(formatEntry(drillEntry({ passed: false, rtoSeconds: null }))).toMatch(
      /FAILED[\s\S]*RTO {7}–/,
    );
  });

  it('lists the history newest first with the schedule above it', () => {
    const text = formatOverview(drillOverview());
    const lines = text.split('\n');
    expect(lines[0]).toBe('Next scheduled drill: 2027-02-26T03:15:00.000Z');
    expect(lines[1]).toBe('Interval: every 91 days, smoke checks: 1');
    expect(lines[2]).toBe(
      'Database check: pg_amcheck, tables and B-tree indexes (deep index check off)',
    );
    expect(formatOverview(drillOverview({ amcheckHeapAllIndexed: true }))).toContain(
      'Database check: pg_amcheck --heapallindexed (deep index check on)',
    );
    expect(lines.filter((l) => /passed|FAILED/.test(l)).map((l) => l.slice(0, 10))).toEqual([
      '2026-11-27',
      '2026-08-28',
      '2026-05-29',
    ]);
    expect(
      formatOverview(drillOverview({ reports: [], intervalSeconds: 0, nextDrillAt: null })),
    ).toContain('Next scheduled drill: off');
  });

  it('names refused reports and why', () => {
    const text = formatSync({
      imported: 1,
      importedDrillIds: ['drill-1'],
      refused: [
        {
          drillId: 'drill-2',
          code: 'REPORT_UNVERIFIED',
          message: 'does not verify',
          problems: ['bad signature'],
        },
      ],
      pending: ['drill-3'],
    });
    expect(text).toBe(
      '1 report(s) archived.\nREFUSED drill-2: does not verify\n  bad signature\nStill uploading: drill-3\n',
    );
  });
});
