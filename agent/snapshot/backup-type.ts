import type { PgBackRestBackup } from '../engines/pgbackrest-info';

/** A full backup at least this often: incrementals stay cheap to restore. */
export const FULL_BACKUP_MAX_AGE_DAYS = 7;

/**
 * `full` when no full backup finished in the last 7 days (or there is none), else `incr`.
 * pgBackRest 2.45 incrementals are file-level, so a weekly full bounds the restore chain.
 */
export function chooseBackupType(backups: readonly PgBackRestBackup[], now: Date): 'full' | 'incr' {
  const cutoff = now.getTime() / 1000 - FULL_BACKUP_MAX_AGE_DAYS * 86_400;
  const recentFull = backups.some((b) => b.type === 'full' && b.timestamp.stop >= cutoff);
  return recentFull ? 'incr' : 'full';
}
