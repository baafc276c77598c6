import type { BackupInput, CatalogInput, DrillReportInput } from '../../../shared/catalog';
import type { CatalogEvent } from '../../../shared/contract';
import type { GfsPolicy } from '../../../shared/retention/gfs';
import type { CatalogCache } from './catalog-cache';

/** The pure builder's input from a cache file. */
export function catalogInputFrom(
  cache: CatalogCache,
  options: { now: number; retention: GfsPolicy; timeZone: string },
): CatalogInput {
  const backups: BackupInput[] = cache.labels.map((label) => {
    const m = cache.manifests[label];
    return {
      label,
      manifest: m
        ? { key: m.key, sha256: m.sha256, signature: m.signature, manifest: m.manifest }
        : null,
      repoManifestTime: cache.repoManifestTimes[label],
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
    now: options.now,
    archive: cache.archive,
    backups,
    events,
    drills,
    retention: options.retention,
    timeZone: options.timeZone,
    source: 'bucket',
    notes,
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
