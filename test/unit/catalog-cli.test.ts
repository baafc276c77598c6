import { describe, expect, it } from 'vitest';
import { buildCatalogModel } from '../../shared/catalog';
import { formatCatalog } from '../../electron/cli/catalog-commands';
import { segmentTime, synthBackup, synthListing } from './catalog-fixtures';

describe('kumiko catalog', () => {
  it('prints ranges, gaps, backups and lag readably', () => {
    const { catalog } = buildCatalogModel({
      serverId: 'srv-1',
      now: segmentTime(599) + 42_000,
      archive: synthListing({ minutes: 600, missing: [100] }),
      backups: [synthBackup(10), synthBackup(300, { signature: 'invalid' })],
      events: [
        { kind: 'drill', at: '2026-11-01T08:00:00.000Z', title: 'Quarterly drill', ok: true },
      ],
      timeZone: 'UTC',
    });
    const text = formatCatalog(catalog);
    expect(text).toContain('capture lag 42 s');
    expect(text).toContain('Coverage (1):');
    expect(text).toMatch(
      /Gaps \(1\):\n {2}TL1 {2}2026-11-01 01:40:00Z … now {2}WAL segment \S+ missing from the bucket \(1 segment\)/,
    );
    expect(text).toMatch(/20261101-050010F +full .*manifest signature invalid/);
    expect(text).toContain('drill  Quarterly drill ✓');
    expect(text).not.toContain('.000Z');
  });
});
