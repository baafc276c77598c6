import type { RecoveryPointManifest } from '../agent/manifest';
import type { Phrase } from '../contract/phrases';
import type { Catalog, CatalogBackup, CatalogEvent, CoverageRange } from '../contract/recovery';
import type { GfsPolicy } from '../retention/gfs';
import type { WalIndex } from './wal-index';

/**
 * The catalog's internal model (issue 4): the contract's {@link Catalog} plus what a restore
 * needs beyond it (WAL names, sizes and the chain of segments behind each coverage range).
 * Built by `buildCatalogModel` (pure), cached by the app's CatalogService, and handed to the
 * restore service through `CatalogService.model(serverId)`; `resolveRecoveryTarget` reads it.
 *
 * Times inside the model are epoch milliseconds; the contract object carries ISO strings.
 */

/** SSHSIG state of a manifest, as in the contract. */
export type ManifestSignatureState = 'valid' | 'invalid' | 'missing' | 'no-pinned-key';

/** A WAL segment by timeline and position (`log * 256 + seg` for 16 MB segments). */
export interface SegmentRef {
  timeline: number;
  segment: number;
}

/** One object of the archive listing (S3 LastModified in epoch ms, size in bytes). */
export interface ListedFile {
  /** File name without folder: `…24hex`, `….00000028.backup`, `00000002.history`. */
  name: string;
  time: number;
  size: number;
}

/**
 * The WAL archive of one pgBackRest archive id (e.g. `15-1`) as listed from the bucket.
 * Segments are columnar (three parallel arrays) because there are tens of thousands of them:
 * that keeps the cache file small and quick to parse.
 */
export interface ArchiveListing {
  archiveId: string;
  /** Full segments: 24-hex names ascending (= timeline, then position), archive time, size. */
  segments: { names: string[]; times: number[]; sizes: number[] };
  /** `.partial` segments (the unfinished last segment of a timeline left at a promotion). */
  partials: ListedFile[];
  /** Backup history files (`<segment>.<offset>.backup`), written when a backup stops. */
  backupHistory: ListedFile[];
  /** Timeline history files (`0000000N.history`), written when timeline N begins. */
  timelineHistory: ListedFile[];
}

/** A manifest as the service read and checked it. */
export interface ManifestInput {
  key: string;
  /** SHA-256 (hex) of the downloaded bytes, the bytes the signature covers. */
  sha256: string;
  signature: ManifestSignatureState;
  /** The parsed manifest; null when the bytes are not a valid manifest. */
  manifest: RecoveryPointManifest | null;
}

/** One base backup as the bucket shows it. */
export interface BackupInput {
  label: string;
  /** The recovery-point manifest, when the agent wrote one. */
  manifest: ManifestInput | null;
  /**
   * LastModified of `backup/<stanza>/<label>/backup.manifest` (pgBackRest writes it last, so
   * it is the backup's stop time): used for a backup whose manifest is missing or untrusted.
   * Null when the backup has no backup.manifest yet (running or aborted); undefined when not
   * looked up.
   */
  repoManifestTime?: number | null;
}

/**
 * One drill report bundle from the bucket (`drills/<drillId>/`), as the service read and checked
 * it: what its report.json says, and whether MANIFEST.sha256.sig verified against the pinned
 * agent key with report.json's hash listed in that manifest (`signature` 'valid' only then).
 */
export interface DrillReportInput {
  drillId: string;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  /** The recovery point (pgBackRest backup label) the drill restored. */
  backupLabel: string;
  failedChecks: { id: string; detail: string }[];
  signature: ManifestSignatureState;
}

/** Everything `buildCatalogModel` needs; the service assembles it from the bucket. */
export interface CatalogInput {
  serverId: string;
  /** The moment the catalog describes (epoch ms): capture lag and GFS tiers are relative to it. */
  now: number;
  /** The current archive id's WAL (the newest database system); null when none is listed. */
  archive: ArchiveListing | null;
  /** Backup labels found under backup/<stanza>/, with what is known about each. */
  backups: BackupInput[];
  events: CatalogEvent[];
  /** Drill reports: they mark recovery points and appear as drill events (absent: none). */
  drills?: DrillReportInput[];
  /** GFS policy for the read-time tiers (default 7 daily, 4 weekly, 3 monthly). */
  retention?: GfsPolicy;
  /** IANA zone for calendar days (GFS) and for reading labels of backups without a manifest. */
  timeZone?: string;
  /** Source of the catalog (default 'bucket'). */
  source?: Catalog['source'];
  /** Facts worth showing that the model does not carry otherwise (e.g. ignored archive ids). */
  notes?: string[];
}

/** A backup as the model uses it, beside its contract entry. */
export interface ModelBackup {
  /** The contract entry (same object as in `catalog.backups`). */
  entry: CatalogBackup;
  label: string;
  type: CatalogBackup['type'];
  /** Consistent from this moment on (epoch ms); null when unknown (backup not finished). */
  stopMs: number | null;
  walStart: SegmentRef | null;
  walStop: SegmentRef | null;
  /** Where the numbers come from: a verified (or unverifiable) manifest, or derivation. */
  origin: 'manifest' | 'derived';
  /** The restic snapshot of the attached files; only from a manifest that is not invalid. */
  resticSnapshotId: string | null;
  /** True when some coverage range starts from this backup. */
  restorable: boolean;
  /** Why it is not restorable (or what is doubtful about it); null when nothing. */
  problem: string | null;
}

/** A stretch of positions on one timeline, inclusive on both ends. */
export interface WalPiece {
  timeline: number;
  from: number;
  to: number;
}

/** A coverage range beside its contract entry, with the WAL chain behind it. */
export interface ModelRange {
  /** The contract entry (same object as in `catalog.coverage`). */
  entry: CoverageRange;
  fromMs: number;
  toMs: number;
  timeline: number;
  backup: ModelBackup;
  /**
   * The segments a restore from `backup` reads, from its walStart to the end of the unbroken
   * run (possibly across a timeline switch: then one piece per timeline).
   */
  path: WalPiece[];
}

/** The catalog with the WAL detail a restore needs. */
export interface CatalogModel {
  /** What `catalog.get` returns. */
  catalog: Catalog;
  /** Oldest first (by stop time, then label), parallel to `catalog.backups`. */
  backups: ModelBackup[];
  /** Parallel to `catalog.coverage` (ordered by timeline, then time). */
  ranges: ModelRange[];
  /** Segment lookup per timeline (positions, archive times, cumulative sizes, runs). */
  wal: WalIndex;
  /** The timeline of the newest archived segment (production's timeline); null without WAL. */
  currentTimeline: number | null;
  /** Readable remarks: unrestorable backups, untrusted manifests, ignored archives. */
  notes: string[];
}

/** A restore target resolved against the catalog: what to run and what it costs. */
export interface ResolvedRecovery {
  /**
   * pgBackRest `--type`: 'time' for a moment, 'immediate' for a recovery point (consistent
   * at the end of its backup), 'default' for the newest WAL.
   */
  pgbackrestType: 'time' | 'immediate' | 'default';
  /**
   * The base backup: pass it as `--set=<label>` always (for --type=time pgBackRest would
   * otherwise choose by itself, from backup.info, possibly one this catalog found broken).
   */
  backup: CatalogBackup;
  /** The moment recovery stops at (ISO): the asked time; a point's stop; latest: the newest WAL. */
  targetTime: string | null;
  /**
   * `--target-timeline`: the timeline the target lies on. After a timeline switch the same
   * wall-clock moment can exist on two timelines; PostgreSQL's default `latest` would follow
   * the newest one, so pass this explicitly.
   */
  timeline: number;
  /** The WAL the restore replays: from the backup's walStart to the segment archived at/after the target. */
  wal: { firstSegment: string; lastSegment: string; segments: number; bytes: number };
  /** The recovery point whose restic snapshot holds the attached files (nearest at or before the target). */
  /**
   * The restic snapshot of the nearest recovery point at or before the target: attached files
   * are captured daily, not continuously, so they are as of `takenAt`, not the target moment.
   */
  attachedFiles: { label: string; resticSnapshotId: string; takenAt: string | null } | null;
  /** Things the admin should read before confirming (shown in RestorePlan.warnings). */
  warnings: string[];
  /** The same warnings as phrases, one per warning, for the console (issue 16 §1). */
  warningWords: Phrase[];
}

/**
 * The result of `resolveRecoveryTarget`: a plan, or a refusal with the stable error code and
 * a reason that names the cause (missing segment, capture lag, no backup yet …). The restore
 * service throws `new AppError(code, reason)` for a refusal.
 */
export type RecoveryResolution =
  | { ok: true; value: ResolvedRecovery }
  | { ok: false; code: 'RESTORE_NOT_COVERED'; reason: string; why: Refusal };

/**
 * A refusal's reason for people: `error.RESTORE_NOT_COVERED.<key>` worded by the console with
 * its params (times as epoch milliseconds, so the console writes them in its language).
 */
export interface Refusal {
  key:
    | 'invalidTime'
    | 'nothingYet'
    | 'notOnTimeline'
    | 'beforeFirst'
    | 'inGap'
    | 'inGapNoLater'
    | 'notCaptured'
    | 'expired'
    | 'noSuchPoint'
    | 'pointNotRestorable';
  params?: Record<string, string | number>;
}
