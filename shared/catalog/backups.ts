import type { RecoveryPointManifest } from '../agent/manifest';
import type { CatalogBackup } from '../contract/recovery';
import { planRetention, type GfsPolicy } from '../retention/gfs';
import { backupTypeFromLabel, labelStartMs } from './label-time';
import type { BackupInput, ListedFile, ManifestInput, ModelBackup } from './model';
import { parseArchiveFileName, parseSegmentName, segmentName, segmentStartLsn } from './wal-name';
import { formatLsn, parseLsn } from './wal-name';

/** Retention used for read-time tiers when the agent's own settings are not known. */
export const DEFAULT_GFS_POLICY: GfsPolicy = { daily: 7, weekly: 4, monthly: 3 };

/** A backup history file lands just before backup.manifest; allow for clock skew and slow stops. */
const HISTORY_MATCH_SLACK_MS = 5 * 60_000;
const HISTORY_MATCH_WINDOW_MS = 36 * 3_600_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The manifest whose numbers the catalog uses, or null. A manifest's numbers are used when its signature verified, or when no key is pinned to
 * verify with (a new laptop: the bucket is all there is; the state says so). An invalid or
 * missing signature leaves only what can be derived from pgBackRest's own files.
 */
export function trustedManifest(input: BackupInput): RecoveryPointManifest | null {
  const m = input.manifest;
  if (!m?.manifest || m.manifest.label !== input.label) return null;
  return m.signature === 'valid' || m.signature === 'no-pinned-key' ? m.manifest : null;
}

function manifestEntry(input: ManifestInput): NonNullable<CatalogBackup['manifest']> {
  const databases = input.manifest?.databases ?? [];
  let tables = 0;
  let rows = 0;
  for (const db of databases) {
    tables += db.tables.length;
    for (const t of db.tables) rows += t.rowCount;
  }
  return {
    key: input.key,
    sha256: input.sha256,
    signature: input.signature,
    resticSnapshotId: input.manifest?.restic.snapshotId ?? null,
    tables,
    rows,
    // Text from the bucket: shown only as the agent signed it.
    note:
      input.signature === 'valid' || input.signature === 'no-pinned-key'
        ? (input.manifest?.note ?? null)
        : null,
  };
}

function untrustedProblem(input: BackupInput): string | null {
  const m = input.manifest;
  if (!m) return 'no recovery-point manifest: details derived from pgBackRest files';
  if (!m.manifest) return 'manifest is not a valid recovery-point manifest: not used';
  if (m.manifest.label !== input.label) return `manifest names label ${m.manifest.label}: not used`;
  if (m.signature === 'invalid') return 'manifest signature INVALID: its numbers are not used';
  if (m.signature === 'missing') return 'manifest has no signature: its numbers are not used';
  return null;
}

function fromManifest(input: BackupInput, m: RecoveryPointManifest): ModelBackup {
  const p = m.pgbackrest;
  const entry: CatalogBackup = {
    label: input.label,
    type: p.type,
    timeStart: new Date(p.timeStart).toISOString(),
    timeStop: new Date(p.timeStop).toISOString(),
    lsnStart: p.lsnStart,
    lsnStop: p.lsnStop,
    walStart: p.walStart,
    walStop: p.walStop,
    sizeBytes: p.sizeBytes,
    tier: null,
    manifest: input.manifest ? manifestEntry(input.manifest) : null,
  };
  return {
    entry,
    label: input.label,
    type: p.type,
    stopMs: Date.parse(p.timeStop),
    walStart: parseSegmentName(p.walStart),
    walStop: parseSegmentName(p.walStop),
    origin: 'manifest',
    resticSnapshotId: m.restic.snapshotId,
    restorable: false,
    problem: null,
  };
}

/**
 * The backup history file of a backup without a trusted manifest: the newest unclaimed one
 * archived no later than shortly after the backup's stop (pgBackRest archives it at
 * pg_backup_stop, then writes backup.manifest).
 */
function matchHistory(
  stopMs: number,
  history: readonly ListedFile[],
  claimed: Set<string>,
): ListedFile | null {
  let best: ListedFile | null = null;
  for (const h of history) {
    if (claimed.has(h.name)) continue;
    if (h.time > stopMs + HISTORY_MATCH_SLACK_MS || h.time < stopMs - HISTORY_MATCH_WINDOW_MS)
      continue;
    if (!best || h.time > best.time) best = h;
  }
  return best;
}

function derived(
  input: BackupInput,
  timeZone: string,
  history: readonly ListedFile[],
  claimed: Set<string>,
): ModelBackup {
  const type = backupTypeFromLabel(input.label) ?? 'full';
  const stopMs = input.repoManifestTime ?? null;
  const match = stopMs === null ? null : matchHistory(stopMs, history, claimed);
  const file = match ? parseArchiveFileName(match.name) : null;
  let walStart: ModelBackup['walStart'] = null;
  let lsnStart: string | null = null;
  if (file?.kind === 'backup-history' && match) {
    claimed.add(match.name);
    walStart = { timeline: file.timeline, segment: file.segment };
    lsnStart = formatLsn(parseLsn(segmentStartLsn(file.segment)) + file.offset);
  }
  const problems = [untrustedProblem(input)];
  if (stopMs === null)
    problems.push('backup has not finished (no backup.manifest in the repository)');
  else if (!walStart) problems.push('its WAL start is unknown (no backup history file matches)');
  const entry: CatalogBackup = {
    label: input.label,
    type,
    timeStart: iso(labelStartMs(input.label, timeZone)),
    timeStop: iso(stopMs),
    lsnStart,
    lsnStop: null,
    walStart: walStart ? segmentName(walStart.timeline, walStart.segment) : null,
    walStop: null,
    sizeBytes: null,
    tier: null,
    manifest: input.manifest ? manifestEntry(input.manifest) : null,
  };
  return {
    entry,
    label: input.label,
    type,
    stopMs,
    walStart,
    walStop: null,
    origin: 'derived',
    resticSnapshotId: null,
    restorable: false,
    problem: problems.filter((p) => p !== null).join('; ') || null,
  };
}

/**
 * The catalog's backups, oldest first, with GFS tiers derived now from all of them: from the
 * manifest where it can be trusted, else from pgBackRest's files (type from the label, stop
 * time from backup.manifest, WAL start from the backup history file).
 */
export function normaliseBackups(
  inputs: readonly BackupInput[],
  options: {
    now: number;
    timeZone: string;
    retention: GfsPolicy;
    backupHistory: readonly ListedFile[];
  },
): ModelBackup[] {
  const trusted = new Map<string, RecoveryPointManifest>();
  const claimed = new Set<string>();
  for (const input of inputs) {
    const m = trustedManifest(input);
    if (!m) continue;
    trusted.set(input.label, m);
    // A backup history file is named after walStart and the start LSN's offset in it.
    const offset = parseLsn(m.pgbackrest.lsnStart) % (16 * 1024 * 1024);
    claimed.add(
      `${m.pgbackrest.walStart}.${offset.toString(16).toUpperCase().padStart(8, '0')}.backup`,
    );
  }
  const history = [...options.backupHistory].sort((a, b) => a.time - b.time);
  const backups = [...inputs]
    .sort((a, b) => (a.label < b.label ? -1 : 1))
    .map((input) => {
      const m = trusted.get(input.label);
      return m ? fromManifest(input, m) : derived(input, options.timeZone, history, claimed);
    });
  backups.sort(
    (a, b) => (a.stopMs ?? Infinity) - (b.stopMs ?? Infinity) || (a.label < b.label ? -1 : 1),
  );
  assignTiers(backups, options);
  return backups;
}

function assignTiers(
  backups: ModelBackup[],
  options: { now: number; timeZone: string; retention: GfsPolicy },
): void {
  const points = backups
    .filter((b) => b.stopMs !== null)
    .map((b) => ({ label: b.label, at: new Date(b.stopMs as number) }));
  if (points.length === 0) return;
  const plan = planRetention(
    points,
    { ...options.retention, pitrDays: undefined },
    {
      now: new Date(options.now),
      timeZone: options.timeZone,
    },
  );
  const tiers = new Map(plan.keep.map((k) => [k.label, k.tier]));
  for (const b of backups) b.entry.tier = tiers.get(b.label) ?? null;
}
