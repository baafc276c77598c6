import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventFromRecord } from '../../shared/catalog';
import type { Server } from '../../shared/contract';
import { AppError } from '../../electron/services/app-error';
import {
  cacheFile,
  readCache,
  writeCache,
  type CatalogCache,
} from '../../electron/services/catalog/catalog-cache';
import { CatalogService } from '../../electron/services/catalog/catalog-service';
import { synthListing, segmentTime } from './catalog-fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-catalog-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function service(): CatalogService {
  return new CatalogService({
    dataDir: dir,
    servers: { get: (id: string) => ({ id }) as Server },
    storage: {
      credentials: (id: string) =>
        Promise.reject(
          new AppError('STORAGE_NOT_CONFIGURED', `No storage target for server ${id}.`),
        ),
    },
    agent: { installed: () => null, retiredKeys: () => [] },
    timeZone: 'UTC',
    now: () => segmentTime(99) + 5_000,
  });
}

const cache = (serverId: string): CatalogCache => ({
  format: 'kumiko-catalog-cache/1',
  serverId,
  source: 'x',
  stanza: 'main',
  fullListedAt: 0,
  updatedAt: 0,
  archive: synthListing({ minutes: 100 }),
  otherArchiveIds: ['14-1'],
  labels: [],
  repoManifestTimes: {},
  manifests: {},
  events: {},
});

describe('CatalogService', () => {
  it('reports a server without storage as STORAGE_NOT_CONFIGURED', async () => {
    await expect(service().get('srv-9')).rejects.toMatchObject({ code: 'STORAGE_NOT_CONFIGURED' });
  });

  it('builds from the cache file alone, and ignores a cache of another server or format', async () => {
    expect(await service().cached('srv-1')).toBeNull();
    await writeCache(cacheFile(dir, 'srv-1'), cache('srv-1'));
    const s = service();
    const model = await s.cached('srv-1');
    expect(model?.catalog.walSegments).toBe(100);
    expect(model?.catalog.captureLagSeconds).toBe(5);
    expect(model?.notes).toContain(
      'WAL of an older database system (archive 14-1) is in the bucket but not in the coverage',
    );
    expect(s.lastUpdate('srv-1')?.mode).toBe('cache-only');
    expect(await readCache(cacheFile(dir, 'srv-1'), 'srv-2')).toBeNull();
    fs.writeFileSync(cacheFile(dir, 'srv-3'), '{"format":"other"}');
    expect(await readCache(cacheFile(dir, 'srv-3'), 'srv-3')).toBeNull();
    expect(fs.readdirSync(path.join(dir, 'catalog')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(cacheFile(dir, '../evil')).not.toContain('..');
  });

  it('reads drill and erasure records tolerantly, never titling an erasure from its fields', () => {
    expect(
      eventFromRecord(
        'drill',
        'kumiko/s/drills/d1/report.json',
        '{"title":"Q4 drill","finishedAt":"2026-11-02T10:00:00Z","result":"passed"}',
      ),
    ).toEqual({ kind: 'drill', at: '2026-11-02T10:00:00.000Z', title: 'Q4 drill', ok: true });
    expect(
      eventFromRecord(
        'erasure',
        'kumiko/s/gdpr/ab12.json',
        '{"name":"Jane Doe","erasedAt":"2026-11-03T00:00:00Z"}',
      ),
    ).toEqual({
      kind: 'erasure',
      at: '2026-11-03T00:00:00.000Z',
      title: 'GDPR erasure gdpr/ab12',
      ok: null,
    });
    expect(eventFromRecord('drill', 'k.json', 'not json')).toBeNull();
    expect(eventFromRecord('drill', 'k.json', '{"title":"no time"}')).toBeNull();
  });
});
