import type { AgentConfig } from '../../shared/agent/config';
import { AUDIT_SLOT_LIKE } from '../../shared/audit/audit-stream-sql';
import { psqlJson } from '../engines/psql';

/** One audit trail slot as the heartbeat sees it (shared/audit/audit-stream-sql.ts). */
export interface AuditSlotFacts {
  database: string;
  /** WAL the slot keeps on the server's disk until the drain moves past it. */
  heldBytes: number;
  /** PostgreSQL's wal_status: `lost` means WAL it needed is gone (a gap in the history). */
  walStatus: string;
}

/**
 * The trail's slots of every database. A slot holds WAL until drained; the drain runs about
 * once a second, so a slot that holds much is a drain that is not running or not keeping up.
 */
export async function readAuditSlots(config: AgentConfig): Promise<AuditSlotFacts[]> {
  const rows = await psqlJson<{ database: string; held: string | null; status: string | null }[]>(
    config,
    `SELECT coalesce(json_agg(json_build_object('database', database,
              'held', pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text,
              'status', wal_status) ORDER BY database), '[]')
       FROM pg_replication_slots WHERE slot_name LIKE ${AUDIT_SLOT_LIKE}`,
    'audit trail slots',
  );
  return rows.map((r) => ({
    database: r.database,
    heldBytes: Number(r.held ?? 0),
    walStatus: r.status ?? 'lost',
  }));
}
