import type { RecoveryPointManifest } from '../../shared/agent/manifest';
import {
  formatLsn,
  segmentName,
  WAL_SEGMENT_BYTES,
  type ArchiveListing,
  type BackupInput,
  type CatalogInput,
  type ManifestSignatureState,
} from '../../shared/catalog';

// Synthetic bucket contents for catalog tests and the catalog bench: one WAL segment a minute,
// backups whose manifests say where their WAL starts and stops.

export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** 2026-11-01T00:00:00Z: the start of the synthetic archive. */
export const T0 = Date.UTC(2026, 10, 1);
/** Position of the first synthetic segment: log 0x12, seg 0x34. */
export const P0 = 0x12 * 256 + 0x34;
export const SEGMENT_SIZE = 1_000_000;

/** Minute `i`'s segment is archived at T0 + (i + 1) min; its records are from minute i. */
export const segmentTime = (i: number): number => T0 + (i + 1) * MINUTE;

export interface SynthOptions {
  minutes: number;
  /** Minute indexes whose segment is missing from the bucket. */
  missing?: Iterable<number>;
  /** From this minute on the segments are on `timeline` (after a promotion). */
  timelineSwitch?: { minute: number; timeline: number; historyMs?: number };
  /** Keep TL1 segments after the switch too (the old timeline went on). */
  parentContinues?: boolean;
}

/** A listing of one segment per minute on timeline 1 (and optionally a second timeline). */
export function synthListing(options: SynthOptions): ArchiveListing {
  const missing = new Set(options.missing ?? []);
  const names: string[] = [];
  const times: number[] = [];
  const sizes: number[] = [];
  const sw = options.timelineSwitch;
  const rows: [string, number][] = [];
  for (let i = 0; i < options.minutes; i++) {
    if (missing.has(i)) continue;
    const onChild = sw !== undefined && i >= sw.minute;
    if (!onChild || options.parentContinues) rows.push([segmentName(1, P0 + i), segmentTime(i)]);
    if (onChild && sw) rows.push([segmentName(sw.timeline, P0 + i), segmentTime(i) + 5_000]);
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [name, time] of rows) {
    names.push(name);
    times.push(time);
    sizes.push(SEGMENT_SIZE);
  }
  const hex = sw ? sw.timeline.toString(16).toUpperCase().padStart(8, '0') : '';
  return {
    archiveId: '15-1',
    segments: { names, times, sizes },
    partials: [],
    backupHistory: [],
    timelineHistory: sw
      ? [
          {
            name: `${hex}.history`,
            time: sw.historyMs ?? segmentTime(sw.minute) - 30_000,
            size: 40,
          },
        ]
      : [],
  };
}

const label = (ms: number): string =>
  new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15) + 'F';

/**
 * A manifest for a full backup that starts in minute `minute` (WAL start = that minute's
 * segment) and stops 40 s later, consistent with the next segment.
 */
export function synthManifest(
  minute: number,
  options: { timeline?: number; snapshotId?: string | null; serverId?: string } = {},
): RecoveryPointManifest {
  const tl = options.timeline ?? 1;
  const start = T0 + minute * MINUTE + 10_000;
  const l = label(start);
  return {
    format: 'kumiko-manifest/1',
    serverId: options.serverId ?? 'srv-1',
    label: l,
    tier: 'daily',
    agentVersion: '0.1.0',
    createdAt: new Date(start + 60_000).toISOString(),
    pgbackrest: {
      label: l,
      type: 'full',
      lsnStart: formatLsn((P0 + minute) * WAL_SEGMENT_BYTES + 0x28),
      lsnStop: formatLsn((P0 + minute + 1) * WAL_SEGMENT_BYTES + 0x100),
      timeStart: new Date(start).toISOString(),
      timeStop: new Date(start + 40_000).toISOString(),
      walStart: segmentName(tl, P0 + minute),
      walStop: segmentName(tl, P0 + minute + 1),
      sizeBytes: 30_000_000,
      repoSizeBytes: 4_000_000,
    },
    restic: {
      snapshotId:
        options.snapshotId === undefined
          ? `ab${String(minute).padStart(6, '0')}`
          : options.snapshotId,
      paths: ['/srv/uploads'],
      fileCount: 5,
      bytes: 100,
    },
    databases: [
      {
        name: 'app',
        isolation: 'repeatable read',
        tables: [{ schema: 'public', table: 't', rowCount: 10, checksum: '0'.repeat(32) }],
      },
    ],
    pg: { version: '15.8', systemIdentifier: '7300000000000000001', dataChecksums: true },
  };
}

/** A backup input from a synthetic manifest. */
export function synthBackup(
  minute: number,
  options: {
    timeline?: number;
    signature?: ManifestSignatureState;
    snapshotId?: string | null;
  } = {},
): BackupInput {
  const manifest = synthManifest(minute, options);
  return {
    label: manifest.label,
    manifest: {
      key: `kumiko/srv-1/manifests/${manifest.label}.json`,
      sha256: 'f'.repeat(64),
      signature: options.signature ?? 'valid',
      manifest,
    },
  };
}

/** Minutes of the 14 recovery points spread over 30 days (as GFS 7/4/3 would keep them). */
export const FOURTEEN_BACKUP_DAYS = [0, 3, 7, 10, 14, 17, 21, 23, 24, 25, 26, 27, 28, 29];

/** 30 days at one segment a minute (43,200 segments) plus 14 backups, as a catalog input. */
export function thirtyDays(options: Omit<SynthOptions, 'minutes'> = {}): CatalogInput {
  const minutes = 30 * 24 * 60;
  return {
    serverId: 'srv-1',
    now: segmentTime(minutes - 1) + 30_000,
    archive: synthListing({ minutes, ...options }),
    backups: FOURTEEN_BACKUP_DAYS.map((d) => synthBackup(d * 24 * 60 + 120)),
    events: [],
    timeZone: 'UTC',
  };
}
