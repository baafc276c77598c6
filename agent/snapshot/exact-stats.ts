import type { AgentConfig } from '../../shared/agent/config';
import type { ManifestDatabase } from '../../shared/agent/manifest';
import { lsnToBytes } from '../../shared/restore/recovery-log';
import { psqlQuery } from '../engines/psql';
import { errorMessage } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { exportSnapshot } from './exported-snapshot';
import { databaseStatsIn, listDatabases, type VisibleStats } from './table-stats';

/** Options of {@link exactDatabaseStats}. */
export interface ExactStatsOptions {
  signal?: AbortSignal;
  log: Logger;
  /** How long one slot may wait for running transactions (default exported-snapshot.ts). */
  slotWaitMs?: number;
}

/**
 * The manifest's databases, each described exactly at a WAL position after the backup's end
 * (a temporary logical slot's consistent point: exported-snapshot.ts), so a drill restoring
 * this backup to that position must find the very same counts and checksums.
 *
 * `during`: the numbers read beside the backup (at no known position). A database whose
 * exported snapshot sees exactly the transactions that reading saw (equal `pg_current_snapshot`,
 * as on a database nobody wrote to meanwhile) keeps them: they describe the exported state
 * too, and reading every row again would only make the recovery point slower. Otherwise its
 * tables are read again in the exported snapshot, at the lowest priority.
 *
 * Databases whose exported snapshots see the same transactions share one position (a restore
 * to either holds the same data), so a drill needs as few stops as there are distinct states.
 * A database whose slot cannot be made (wal_level below logical, a transaction that does not
 * end) keeps its `during` numbers without a position, and the reason is logged: the backup
 * itself is fine, and the drill says which database it could not compare exactly.
 */
export async function exactDatabaseStats(
  config: AgentConfig,
  during: Map<string, VisibleStats>,
  options: ExactStatsOptions,
): Promise<ManifestDatabase[]> {
  const { signal, log } = options;
  const out: ManifestDatabase[] = [];
  const positions = new Map<string, string>();
  for (const db of await listDatabases(config)) {
    const earlier = during.get(db);
    let exported;
    try {
      exported = await exportSnapshot(config, db, signal, options.slotWaitMs);
    } catch (error) {
      if (signal?.aborted) throw error;
      log.warn(`snapshot: no exact position for database "${db}": ${errorMessage(error)}`);
      if (earlier) out.push(earlier.database);
      continue;
    }
    let stats: VisibleStats;
    try {
      stats = await databaseStatsIn(config, db, {
        signal,
        background: true,
        importSnapshot: exported.name,
        isolation: 'exported snapshot',
        consistentLsn: exported.lsn,
        // The import holds the snapshot from here on; the slot is no longer needed.
        onImported: () => void exported.release(),
        reuse: (visibility) =>
          earlier && earlier.visibility === visibility ? earlier.database.tables : undefined,
      });
    } finally {
      await exported.release();
    }
    const shared = positions.get(stats.visibility);
    if (shared) stats.database.consistentLsn = shared;
    else positions.set(stats.visibility, exported.lsn);
    out.push(stats.database);
  }
  return out;
}

/** The newest consistent position of the manifest's databases, or null when none has one. */
export function newestPosition(databases: ManifestDatabase[]): string | null {
  let newest: string | null = null;
  for (const db of databases) {
    if (db.consistentLsn && (newest === null || lsnToBytes(db.consistentLsn) > lsnToBytes(newest)))
      newest = db.consistentLsn;
  }
  return newest;
}

/**
 * Ends the WAL segment holding `lsn` when it is still being written, so PostgreSQL archives it
 * now instead of after archive_timeout: a restore to that position reads the record there. The
 * recovery point does not wait for the upload (a few hundred milliseconds of S3); a drill
 * waits for the segment before it starts (agent/drill/wal-staging.ts). pg_walfile_name names
 * the segment *before* a position on a segment boundary, hence the one byte added.
 */
export async function switchPast(
  config: AgentConfig,
  lsn: string,
  signal?: AbortSignal,
): Promise<void> {
  const step = 'switch past the exact position';
  const [segment, current] = (
    await psqlQuery(
      config,
      `SELECT pg_walfile_name('${lsn}'::pg_lsn + 1) || ' ' || pg_walfile_name(pg_current_wal_insert_lsn())`,
      step,
      'postgres',
      signal,
    )
  ).split(' ');
  if ((current ?? '') <= (segment ?? '')) {
    await psqlQuery(config, 'SELECT pg_switch_wal()', step, 'postgres', signal);
  }
}
