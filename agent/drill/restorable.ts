import type { ArchiverFacts } from '../heartbeat/archiver';

/** The newest moment a restore could reach when the drill started, and where that came from. */
export interface RestorableMoment {
  at: Date;
  /** How `at` was found, for the report's evidence. */
  source: 'pg_stat_archiver' | 'backup';
  lastArchivedWal: string | null;
  repositoryArchiveMax: string | null;
}

const segmentOf = (wal: string | null): string | null =>
  /^[0-9A-F]{24}/.exec(wal ?? '')?.[0] ?? null;

/**
 * The newest restorable moment, for the RPO (drill start minus this).
 *
 * Why pg_stat_archiver: `pgbackrest info` names the newest archived WAL segment (archive max)
 * but no time, while pg_stat_archiver.last_archived_time is when PostgreSQL's archive_command
 * reported that segment safely in the repository (with async archiving, once the push was
 * confirmed). Everything written before that segment was switched is restorable; the switch
 * happened at or shortly before last_archived_time, so this moment is late by the push latency
 * at most (seconds): the RPO it gives is understated by that much, never by the archive_timeout.
 *
 * It is used only when the repository confirms it: the segment PostgreSQL last archived must
 * not be newer than the repository's archive max (else the repository lost or never got WAL
 * PostgreSQL counted as archived). Otherwise, and when PostgreSQL cannot be asked, the drill
 * falls back to the end of the newest backup, which is restorable by construction.
 */
export function newestRestorableMoment(
  archiver: Pick<ArchiverFacts, 'lastArchivedWal' | 'lastArchivedAt'> | null,
  repositoryArchiveMax: string | null,
  newestBackupStop: Date,
): RestorableMoment {
  const lastArchivedWal = archiver?.lastArchivedWal ?? null;
  const base = { lastArchivedWal, repositoryArchiveMax };
  const archived = segmentOf(lastArchivedWal);
  const repoMax = segmentOf(repositoryArchiveMax);
  const confirmed = archived !== null && repoMax !== null && archived <= repoMax;
  if (confirmed && archiver?.lastArchivedAt) {
    const at = new Date(archiver.lastArchivedAt);
    if (at.getTime() >= newestBackupStop.getTime())
      return { ...base, at, source: 'pg_stat_archiver' };
  }
  return { ...base, at: newestBackupStop, source: 'backup' };
}
