import type { AgentConfig } from '../../shared/agent/config';
import { psqlJson } from '../engines/psql';

/** pg_stat_archiver plus what is needed to tell an idle server from a stuck archiver. */
export interface ArchiverFacts {
  archivedCount: number;
  lastArchivedWal: string | null;
  lastArchivedAt: string | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedAt: string | null;
  /** The database server's clock when it answered (ISO). */
  now: string;
  /** Completed WAL segments PostgreSQL still has to hand to archive_command (.ready files). */
  readySegments: number;
  /** Bytes written into the current, not yet switched, WAL segment (0 right after a switch). */
  bytesInCurrentSegment: number | null;
  walSegmentSize: number;
}

const QUERY = `SELECT json_build_object(
  'archivedCount', a.archived_count,
  'lastArchivedWal', a.last_archived_wal,
  'lastArchivedAt', a.last_archived_time,
  'failedCount', a.failed_count,
  'lastFailedWal', a.last_failed_wal,
  'lastFailedAt', a.last_failed_time,
  'now', now(),
  'readySegments', (SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'),
  'insertLsn', CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_insert_lsn()::text END,
  'walSegmentSize', (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')
) FROM pg_stat_archiver a`;

/** `0/3000028` → 0x3000028 as a bigint. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

const isoOrNull = (value: string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** Reads the archiver statistics over psql. @throws AgentError when PostgreSQL does not answer. */
export async function readArchiver(config: AgentConfig): Promise<ArchiverFacts> {
  const raw = await psqlJson<
    Omit<ArchiverFacts, 'bytesInCurrentSegment'> & { insertLsn: string | null }
  >(config, QUERY, 'pg_stat_archiver');
  const segmentSize = BigInt(raw.walSegmentSize);
  return {
    archivedCount: Number(raw.archivedCount),
    lastArchivedWal: raw.lastArchivedWal,
    lastArchivedAt: isoOrNull(raw.lastArchivedAt),
    failedCount: Number(raw.failedCount),
    lastFailedWal: raw.lastFailedWal,
    lastFailedAt: isoOrNull(raw.lastFailedAt),
    now: new Date(raw.now).toISOString(),
    readySegments: Number(raw.readySegments),
    bytesInCurrentSegment:
      raw.insertLsn === null ? null : Number(parseLsn(raw.insertLsn) % segmentSize),
    walSegmentSize: Number(raw.walSegmentSize),
  };
}

/**
 * True when WAL is waiting to be archived: completed segments not yet handed over, or data in
 * the current segment. archive_timeout switches segments only when something was written, so
 * an idle server sits at a segment boundary with nothing ready and no lag to report.
 */
export function walPending(facts: ArchiverFacts): boolean {
  return facts.readySegments > 0 || (facts.bytesInCurrentSegment ?? 0) > 0;
}
