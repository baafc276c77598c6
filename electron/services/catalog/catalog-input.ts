import type {
  ArchiveListing,
  BackupInput,
  CatalogInput,
  DrillReportInput,
  ListedFile,
} from '../../../shared/catalog';
import type { CatalogEvent } from '../../../shared/contract';
import type { GfsPolicy } from '../../../shared/retention/gfs';
import type { CatalogCache } from './catalog-cache';

/**
 * The pure builder's input from a cache file. `serverClockOffsetMs` (the server's clock minus
 * this computer's, which the bucket's clock is taken to agree with) puts the bucket's
 * LastModified times and `now` on the server's clock, the clock of everything the server
 * recorded itself (manifests, commit times, restore targets): with a server clock 10 minutes
 * ahead, a moment it just committed would otherwise lie 10 minutes after the newest WAL.
 */
export function catalogInputFrom(
  cache: CatalogCache,
  options: { now: number; retention: GfsPolicy; timeZone: string; serverClockOffsetMs?: number },
): CatalogInput {
  const shift = options.serverClockOffsetMs ?? 0;
  const backups: BackupInput[] = cache.labels.map((label) => {
    const m = cache.manifests[label];
    return {
      label,
      manifest: m
        ? { key: m.key, sha256: m.sha256, signature: m.signature, manifest: m.manifest }
        : null,
      repoManifestTime: onServerClock(cache.repoManifestTimes[label], shift),
    };
  });
  const notes = cache.otherArchiveIds.map(
    (id) =>
      `WAL of an older database system (archive ${id}) is in the bucket but not in the coverage`,
  );
  const events = Object.values(cache.events)
    .map((e) => e.event)
    .filter((e): e is CatalogEvent => e !== null);
  const drills = cache.drillReports
    ? Object.values(cache.drillReports)
        .map((d) => d.report)
        .filter((d): d is DrillReportInput => d !== null)
    : undefined;
  return {
    serverId: cache.serverId,
    now: options.now + shift,
    archive:
      cache.archive && shift !== 0 ? archiveOnServerClock(cache.archive, shift) : cache.archive,
    backups,
    events,
    drills,
    retention: options.retention,
    timeZone: options.timeZone,
    source: 'bucket',
    notes,
  };
}

function onServerClock<T extends number | null | undefined>(time: T, shift: number): T {
  return (typeof time === 'number' ? time + shift : time) as T;
}

/** The listing with every LastModified moved by `shift` ms (a copy: the cache stays as listed). */
function archiveOnServerClock(archive: ArchiveListing, shift: number): ArchiveListing {
  const files = (list: ListedFile[]) => list.map((f) => ({ ...f, time: f.time + shift }));
  return {
    ...archive,
    segments: { ...archive.segments, times: archive.segments.times.map((t) => t + shift) },
    partials: files(archive.partials),
    backupHistory: files(archive.backupHistory),
    timelineHistory: files(archive.timelineHistory),
  };
}

/** The agent's retention counts from its stored install settings, if they look right. */
export function retentionFrom(settings: Record<string, unknown> | undefined): GfsPolicy | null {
  const r = settings?.retention as Partial<GfsPolicy> | undefined;
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  return r && count(r.daily) && count(r.weekly) && count(r.monthly)
    ? { daily: r.daily as number, weekly: r.weekly as number, monthly: r.monthly as number }
    : null;
}
