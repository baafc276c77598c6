import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstalledAgent } from '../electron/services/agent-install/agents-repo';
import {
  cacheFile,
  writeCache,
  type CatalogCache,
} from '../electron/services/catalog/catalog-cache';
import { CatalogService } from '../electron/services/catalog/catalog-service';
import type { Server } from '../shared/contract';
import { synthManifest, thirtyDays, FOURTEEN_BACKUP_DAYS } from '../test/unit/catalog-fixtures';
import { median, percentile, round, timeRuns } from './measure';
import type { BenchSuite } from './suites';

const RUNS = Number(process.env.KUMIKO_BENCH_RUNS ?? 15);
const SERVER_ID = 'bench-catalog';

/**
 * The cache file of 30 days at one WAL segment a minute (43,200 segments, two of them
 * missing) and 14 recovery points with verified manifests, as CatalogService writes it.
 */
function syntheticCache(): CatalogCache {
  const input = thirtyDays({ missing: [5000, 20000] });
  const manifests: CatalogCache['manifests'] = {};
  const labels: string[] = [];
  for (const day of FOURTEEN_BACKUP_DAYS) {
    const manifest = synthManifest(day * 24 * 60 + 120, { serverId: SERVER_ID });
    labels.push(manifest.label);
    manifests[manifest.label] = {
      label: manifest.label,
      key: `kumiko/${SERVER_ID}/manifests/${manifest.label}.json`,
      etag: '"etag"',
      sigEtag: '"sig"',
      verifiedWith: 'ssh-ed25519 AAAA bench',
      sha256: 'f'.repeat(64),
      signature: 'valid',
      manifest,
    };
  }
  return {
    format: 'kumiko-catalog-cache/1',
    serverId: SERVER_ID,
    source: 'bench',
    stanza: 'main',
    fullListedAt: input.now,
    updatedAt: input.now,
    archive: input.archive,
    otherArchiveIds: [],
    labels,
    repoManifestTimes: {},
    manifests,
    events: {},
  };
}

/**
 * Catalog load from a warm cache (issue 4: under 1 s for 43,000 segments + 14 points): a new
 * CatalogService reads `<dataDir>/catalog/<id>.json` and builds the model through the same
 * code path as `catalog.get`, without S3 (the incremental S3 update is measured by the
 * integration test against the harness S3 server).
 */
export const catalogSuite: BenchSuite = {
  name: 'catalog',
  description: 'catalog load + build from a warm cache, 43,200 WAL segments + 14 recovery points',
  async run(log) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumiko-bench-catalog-'));
    try {
      await writeCache(cacheFile(dataDir, SERVER_ID), syntheticCache());
      const bytes = fs.statSync(cacheFile(dataDir, SERVER_ID)).size;
      log(`cache file ${(bytes / 1e6).toFixed(2)} MB`);
      const installed: InstalledAgent = {
        serverId: SERVER_ID,
        version: 'bench',
        stanza: 'main',
        dataDirectory: '/var/lib/postgresql/15/main',
        scheduler: 'systemd',
        publicKey: 'ssh-ed25519 AAAA bench',
        settings: { retention: { daily: 7, weekly: 4, monthly: 3, pitrDays: 30 } },
        installedAt: new Date().toISOString(),
      };
      const deps = {
        dataDir,
        servers: { get: (id: string) => ({ id }) as Server },
        storage: {
          credentials: () => Promise.reject(new Error('the warm path must not touch S3')),
        },
        agent: { installed: () => installed, retiredKeys: () => [] },
        timeZone: 'UTC',
      };
      let segments = 0;
      const buildMs: number[] = [];
      const load = async () => {
        // A new service each run: nothing in memory, the cache file is read and parsed.
        const service = new CatalogService(deps);
        const model = await service.cached(SERVER_ID);
        if (!model) throw new Error('no catalog from the cache');
        segments = model.catalog.walSegments;
        buildMs.push(service.lastUpdate(SERVER_ID)?.buildMs ?? NaN);
        return JSON.stringify(model.catalog).length;
      };
      const samples = await timeRuns(load, RUNS, 2);
      log(`${segments} segments; load+build+serialise median ${median(samples).toFixed(1)} ms`);
      return {
        'pitr.catalog_load_ms': round(median(samples), 1),
        'pitr.catalog_load_p95_ms': round(percentile(samples, 95), 1),
        'pitr.catalog_build_ms': round(median(buildMs.slice(-RUNS)), 1),
        'pitr.catalog_cache_mb': round(bytes / 1e6, 2),
        'pitr.catalog_segments': segments,
      };
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
