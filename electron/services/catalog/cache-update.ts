import { bucketLayout } from '../../../shared/agent/bucket-layout';
import { trustedManifest } from '../../../shared/catalog';
import { listBackupLabels, repoManifestTime } from './backup-labels';
import { syncArchive } from './archive-sync';
import type { AgentKeyRing } from './agent-key-ring';
import type { BucketReader } from './bucket-lister';
import { CACHE_FORMAT, type CatalogCache } from './catalog-cache';
import { syncDrillReports } from './drill-report-sync';
import { syncEvents } from './event-sync';
import { syncManifests, type CachedManifest } from './manifest-sync';

/** Where and how to update one server's cache. */
export interface CacheUpdateContext {
  serverId: string;
  stanza: string;
  /** See cacheSource(). */
  source: string;
  /** The agent key pinned at install (OpenSSH line), null when none is known. */
  /** The agent keys signatures are checked against. */
  keys: AgentKeyRing;
  now: number;
}

const CONCURRENCY = 4;

/** True when the catalog will need the backup's backup.manifest time (no trusted manifest). */
function needsRepoTime(label: string, m: CachedManifest | undefined): boolean {
  return trustedManifest({ label, manifest: m ?? null }) === null;
}

/**
 * Brings the cache up to date from the bucket: WAL listing (full or incremental), backup
 * labels, manifests (new ones only), backup.manifest times of backups without a trusted
 * manifest, drill reports (with their signatures checked) and GDPR records. `cached` null or `full` lists everything again.
 */
export async function updateCache(
  lister: BucketReader,
  ctx: CacheUpdateContext,
  cached: CatalogCache | null,
  full: boolean,
): Promise<CatalogCache> {
  const pg = bucketLayout.pgbackrestPrefix(ctx.serverId);
  const backupPrefix = `${pg}backup/${ctx.stanza}/`;
  const [archive, backups, events, drillReports] = await Promise.all([
    syncArchive(
      lister,
      `${pg}archive/${ctx.stanza}/`,
      full ? null : (cached?.archive ?? null),
      full,
    ),
    (async () => {
      const [labels, manifests] = await Promise.all([
        listBackupLabels(lister, backupPrefix),
        syncManifests(lister, ctx.serverId, ctx.keys, full ? {} : (cached?.manifests ?? {}), full),
      ]);
      const times: Record<string, number | null> = {};
      const lookups = labels.filter((label) => {
        if (!needsRepoTime(label, manifests[label])) return false;
        const known = full ? undefined : cached?.repoManifestTimes[label];
        // A backup.manifest, once there, does not change: only look again while it is missing.
        if (typeof known === 'number') times[label] = known;
        return typeof known !== 'number';
      });
      for (let i = 0; i < lookups.length; i += CONCURRENCY) {
        await Promise.all(
          lookups.slice(i, i + CONCURRENCY).map(async (label) => {
            times[label] = await repoManifestTime(lister, backupPrefix, label);
          }),
        );
      }
      return { labels, manifests, times };
    })(),
    syncEvents(lister, ctx.serverId, full ? {} : (cached?.events ?? {})),
    syncDrillReports(lister, ctx.serverId, ctx.keys, full ? {} : (cached?.drillReports ?? {})),
  ]);
  return {
    format: CACHE_FORMAT,
    serverId: ctx.serverId,
    source: ctx.source,
    stanza: ctx.stanza,
    fullListedAt: archive.mode === 'full' ? ctx.now : (cached?.fullListedAt ?? ctx.now),
    updatedAt: ctx.now,
    archive: archive.listing,
    otherArchiveIds: archive.otherArchiveIds,
    labels: backups.labels,
    repoManifestTimes: backups.times,
    manifests: backups.manifests,
    events: events,
    drillReports,
  };
}
