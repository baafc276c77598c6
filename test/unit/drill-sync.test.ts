import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DrillReportEntry } from '../../shared/contract';
import { AppError } from '../../electron/services/app-error';
import type { BucketObject, BucketReader } from '../../electron/services/catalog/bucket-lister';
import {
  groupBundles,
  MAX_BUNDLE_BYTES,
  missingFiles,
} from '../../electron/services/drill/bundle-listing';
import { PENDING_GRACE_MS, syncReports } from '../../electron/services/drill/drill-sync';
import { nextDrillFromHeartbeat } from '../../electron/services/drill/next-drill';

// drill.sync without S3: a fake bucket of report bundles and a fake archive that "verifies" by
// looking at a marker in the downloaded files.

const SERVER = 'srv-1';
const PREFIX = `kumiko/${SERVER}/drills/`;
const NOW = Date.parse('2026-11-27T12:00:00Z');
const hash = (c: string) => c.repeat(64);

/** A complete bundle: report.json, an evidence file, the manifest listing both, its signature. */
function bundle(
  drillId: string,
  options: { tampered?: boolean; without?: string; server?: string } = {},
) {
  const files: Record<string, string> = {
    'report.json': options.tampered
      ? `{"tampered":true,"drill":{"server":{"id":"${options.server ?? SERVER}"}}}`
      : `{"drillId":"${drillId}","drill":{"server":{"id":"${options.server ?? SERVER}"}}}`,
    'evidence/amcheck.txt': 'ok',
    'MANIFEST.sha256': `${hash('a')}  evidence/amcheck.txt\n${hash('b')}  report.json\n`,
    'MANIFEST.sha256.sig': 'sig',
    allowed_signers: 'x',
  };
  if (options.without) delete files[options.without];
  return Object.entries(files).map(([name, body]) => ({
    key: `${PREFIX}${drillId}/${name}`,
    body,
  }));
}

function fakeBucket(objects: { key: string; body: string; time?: number }[]): BucketReader {
  const listed: BucketObject[] = objects.map((o) => ({
    key: o.key,
    time: o.time ?? NOW - 3_600_000,
    size: o.body.length,
    etag: '',
  }));
  return {
    list: async (prefix) => listed.filter((o) => o.key.startsWith(prefix)),
    folders: async () => ({ folders: [], objects: [] }),
    get: async (key) => {
      const found = objects.find((o) => o.key === key);
      return found ? Buffer.from(found.body) : null;
    },
  };
}

/** Archives what it is given unless report.json says TAMPERED (a failed verification). */
function fakeArchive() {
  const archived: string[] = [];
  const archive = async (dir: string): Promise<DrillReportEntry> => {
    const report = await fs.readFile(path.join(dir, 'report.json'), 'utf8');
    if (report.includes('"tampered"')) {
      throw new AppError('CONFLICT', `The report bundle ${dir} does not verify.`, {
        problems: ['report.json: hash mismatch'],
      });
    }
    archived.push(path.basename(dir));
    return { drillId: path.basename(dir) } as DrillReportEntry;
  };
  return { archived, archive };
}

describe('report bundles in the bucket', () => {
  it('groups keys by drill id in chain order and refuses names that could escape a folder', () => {
    const objects = [
      ...bundle('drill-20261127T030000Z'),
      ...bundle('drill-20261126T030000Z'),
      { key: `${PREFIX}drill-x/../../etc/passwd`, body: 'x' },
      { key: `${PREFIX}..hidden/report.json`, body: 'x' },
      { key: `${PREFIX}loose.json`, body: 'x' },
    ].map((o) => ({ key: o.key, time: 1, size: o.body.length }));
    const groups = groupBundles(PREFIX, objects);
    expect(groups.map((g) => g.drillId)).toEqual([
      '..hidden',
      'drill-20261126T030000Z',
      'drill-20261127T030000Z',
      'drill-x',
    ]);
    expect(groups[0]?.unsafe).toMatch(/unsafe drill id/);
    expect(groups[3]?.unsafe).toMatch(/unsafe file name/);
    expect(groups[1]?.unsafe).toBeNull();
    expect(groups[1]?.files.get('evidence/amcheck.txt')).toBe(
      `${PREFIX}drill-20261126T030000Z/evidence/amcheck.txt`,
    );
    const huge = groupBundles(PREFIX, [
      { key: `${PREFIX}drill-1/report.pdf`, time: 1, size: MAX_BUNDLE_BYTES + 1 },
    ]);
    expect(huge[0]?.unsafe).toMatch(/too big/);
  });

  it('names what a bundle lacks: manifest, signature, listed files', () => {
    const files = (list: { key: string; body: string }[]) =>
      new Map(list.map((o) => [o.key.split('/').slice(4).join('/'), Buffer.from(o.body)]));
    expect(missingFiles(files(bundle('d')))).toEqual([]);
    expect(missingFiles(files(bundle('d', { without: 'report.json' })))).toEqual(['report.json']);
    expect(missingFiles(files(bundle('d', { without: 'MANIFEST.sha256.sig' })))).toEqual([
      'MANIFEST.sha256.sig',
    ]);
    expect(missingFiles(new Map())).toEqual(['MANIFEST.sha256', 'MANIFEST.sha256.sig']);
  });
});

describe('syncReports', () => {
  it('archives new bundles oldest first and skips archived ones', async () => {
    const { archived, archive } = fakeArchive();
    const result = await syncReports({
      serverId: SERVER,
      bucket: fakeBucket([
        ...bundle('drill-20261127T030000Z'),
        ...bundle('drill-20261125T030000Z'),
        ...bundle('drill-20261126T030000Z'),
      ]),
      archived: new Set(['drill-20261125T030000Z']),
      archive,
      now: () => NOW,
    });
    expect(archived).toEqual(['drill-20261126T030000Z', 'drill-20261127T030000Z']);
    expect(result).toEqual({
      imported: 2,
      importedDrillIds: ['drill-20261126T030000Z', 'drill-20261127T030000Z'],
      refused: [],
      pending: [],
    });
  });

  it('refuses a bundle that does not verify, with the problems, and never archives it', async () => {
    const { archived, archive } = fakeArchive();
    const result = await syncReports({
      serverId: SERVER,
      bucket: fakeBucket(bundle('drill-20261127T030000Z', { tampered: true })),
      archived: new Set(),
      archive,
      now: () => NOW,
    });
    expect(archived).toEqual([]);
    expect(result.refused).toEqual([
      {
        drillId: 'drill-20261127T030000Z',
        code: 'REPORT_UNVERIFIED',
        message: expect.stringContaining('does not verify'),
        problems: ['report.json: hash mismatch'],
      },
    ]);
  });

  it('leaves a bundle still being uploaded, and everything after it, for the next sync', async () => {
    const { archived, archive } = fakeArchive();
    const fresh = bundle('drill-20261126T030000Z', { without: 'MANIFEST.sha256.sig' }).map((o) => ({
      ...o,
      time: NOW - 1000,
    }));
    const result = await syncReports({
      serverId: SERVER,
      bucket: fakeBucket([...fresh, ...bundle('drill-20261127T030000Z')]),
      archived: new Set(),
      archive,
      now: () => NOW,
    });
    expect(archived).toEqual([]);
    expect(result.pending).toEqual(['drill-20261126T030000Z', 'drill-20261127T030000Z']);
    // The same gap long after the upload: broken, refused.
    const later = await syncReports({
      serverId: SERVER,
      bucket: fakeBucket(fresh),
      archived: new Set(),
      archive,
      now: () => NOW + PENDING_GRACE_MS + 1,
    });
    expect(later.refused[0]?.message).toContain('MANIFEST.sha256.sig missing');
  });

  it('refuses a bundle under this server that names another server', async () => {
    const { archived, archive } = fakeArchive();
    const result = await syncReports({
      serverId: SERVER,
      bucket: fakeBucket(bundle('drill-20261127T030000Z', { server: 'other' })),
      archived: new Set(),
      archive,
      now: () => NOW,
    });
    expect(archived).toEqual([]);
    expect(result.refused[0]?.message).toBe('report.json names server other, not srv-1');
  });

  it('treats a bundle another sync archived meanwhile as done', async () => {
    const result = await syncReports({
      serverId: SERVER,
      bucket: fakeBucket(bundle('drill-20261127T030000Z')),
      archived: new Set(),
      archive: () => {
        throw new AppError('CONFLICT', 'Report drill-20261127T030000Z is already archived.');
      },
      now: () => NOW,
    });
    expect(result).toMatchObject({ imported: 0, refused: [], pending: [] });
  });
});

describe('next drill from a heartbeat', () => {
  it('reads scheduler.nextDrillAt and tolerates heartbeats without it', () => {
    expect(
      nextDrillFromHeartbeat({ scheduler: { nextDrillAt: '2026-12-01T03:00:00+01:00' } }),
    ).toBe('2026-12-01T02:00:00.000Z');
    expect(nextDrillFromHeartbeat({ scheduler: { nextSnapshotAt: 'x' } })).toBeNull();
    expect(nextDrillFromHeartbeat({ scheduler: { nextDrillAt: null } })).toBeNull();
    expect(nextDrillFromHeartbeat(null)).toBeNull();
    expect(nextDrillFromHeartbeat('garbage')).toBeNull();
  });
});
