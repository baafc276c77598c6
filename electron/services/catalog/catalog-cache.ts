import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveListing } from '../../../shared/catalog';
import type { CachedDrillReport } from './drill-report-sync';
import type { CachedEvent } from './event-sync';
import type { CachedManifest } from './manifest-sync';

export const CACHE_FORMAT = 'kumiko-catalog-cache/1';

/**
 * What the catalog keeps per server in `<dataDir>/catalog/<serverId>.json`: the bucket
 * listing (WAL columnar), manifests as checked, event records. No credentials: the bucket is
 * identified by a hash of endpoint, bucket and stanza only.
 */
export interface CatalogCache {
  format: typeof CACHE_FORMAT;
  serverId: string;
  /** SHA-256 of endpoint, bucket and stanza: a cache of another bucket is discarded. */
  source: string;
  stanza: string;
  /** When the archive was last listed in full (epoch ms). */
  fullListedAt: number;
  /** When the cache was last brought up to date from the bucket (epoch ms). */
  updatedAt: number;
  archive: ArchiveListing | null;
  otherArchiveIds: string[];
  labels: string[];
  /** backup.manifest LastModified of backups that need it (see BackupInput.repoManifestTime). */
  repoManifestTimes: Record<string, number | null>;
  manifests: Record<string, CachedManifest>;
  events: Record<string, CachedEvent>;
  /** Drill reports by drill id (absent from caches written before issue 14). */
  drillReports?: Record<string, CachedDrillReport>;
}

/** The identity of a bucket location, without anything secret. */
export function cacheSource(endpoint: string, bucket: string, stanza: string): string {
  return crypto.createHash('sha256').update(`${endpoint}\n${bucket}\n${stanza}`).digest('hex');
}

/** The cache file of a server (ids that are not plain file names are hashed). */
export function cacheFile(dataDir: string, serverId: string): string {
  const name = /^[A-Za-z0-9_-]{1,100}$/.test(serverId)
    ? serverId
    : crypto.createHash('sha256').update(serverId).digest('hex');
  return path.join(dataDir, 'catalog', `${name}.json`);
}

function isListing(value: unknown): value is ArchiveListing {
  if (value === null) return true;
  const l = value as ArchiveListing;
  const s = l?.segments;
  return (
    typeof l?.archiveId === 'string' &&
    Array.isArray(s?.names) &&
    Array.isArray(s.times) &&
    Array.isArray(s.sizes) &&
    s.names.length === s.times.length &&
    s.names.length === s.sizes.length &&
    Array.isArray(l.partials) &&
    Array.isArray(l.backupHistory) &&
    Array.isArray(l.timelineHistory)
  );
}

/**
 * The cache of `serverId`, or null when there is none or it is unreadable, of another format
 * or another server (it is then rebuilt from the bucket). The shape is checked, not every
 * element: the file is ours, and a broken one only costs a full listing.
 */
export async function readCache(file: string, serverId: string): Promise<CatalogCache | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const c = JSON.parse(text) as CatalogCache;
    const ok =
      c.format === CACHE_FORMAT &&
      c.serverId === serverId &&
      typeof c.source === 'string' &&
      typeof c.stanza === 'string' &&
      Number.isFinite(c.fullListedAt) &&
      Number.isFinite(c.updatedAt) &&
      isListing(c.archive) &&
      Array.isArray(c.labels) &&
      Array.isArray(c.otherArchiveIds) &&
      typeof c.repoManifestTimes === 'object' &&
      typeof c.manifests === 'object' &&
      typeof c.events === 'object';
    return ok ? c : null;
  } catch {
    return null;
  }
}

/** Writes the cache atomically (temporary file, then rename), readable by the user only. */
export async function writeCache(file: string, cache: CatalogCache): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(cache), { mode: 0o600 });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
