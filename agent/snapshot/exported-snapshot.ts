import crypto from 'node:crypto';
import type { AgentConfig } from '../../shared/agent/config';
import { PsqlSession } from '../engines/psql';
import { AgentError } from '../runtime/errors';

const STEP = 'exact recovery point';

/**
 * How long a slot may wait for the transactions that hold a transaction id when it is made
 * (it waits for every one of them to end, also those that start meanwhile): 19 s for an idle
 * open transaction was measured; a forgotten prepared transaction would hold it forever.
 */
export const SLOT_WAIT_MS = 120_000;

/** A temporary logical slot's exported snapshot, valid until {@link ExportedSnapshot.release}. */
export interface ExportedSnapshot {
  /** The slot's consistent point: the snapshot holds exactly the commits before it. */
  lsn: string;
  /** For `SET TRANSACTION SNAPSHOT` in a transaction of the same database. */
  name: string;
  /** Ends the replication session, which drops the temporary slot. */
  release(): Promise<void>;
}

/**
 * Creates a temporary logical replication slot in `db` over a replication connection and
 * returns the snapshot it exports with its consistent point. Why a slot (DESIGN.md §5; measured
 * in docs/notes/exact-manifest.md): it is the one snapshot PostgreSQL ties to an exact WAL
 * position, so the recovery point's counts and checksums describe precisely what a restore to
 * that position holds, under any write load. A snapshot and an LSN read side by side are two
 * readings: commits between them made 9 of 12 drills under pgbench differ. The price:
 * `wal_level = logical` (about 6 % more WAL), one walsender, and a wait for the transactions
 * running when the slot is made (milliseconds under load; the slot is dropped right after the
 * snapshot is imported, so it holds back catalog clean-up only for that moment).
 * The session must stay open until the snapshot is imported.
 * @throws AgentError when PostgreSQL refuses (wal_level below logical, no free walsender or
 *   slot) or the slot waits longer than `waitMs` for running transactions.
 */
export async function exportSnapshot(
  config: AgentConfig,
  db: string,
  signal?: AbortSignal,
  waitMs = SLOT_WAIT_MS,
): Promise<ExportedSnapshot> {
  const session = PsqlSession.open(config, db, `${STEP} (${db})`, signal, {
    replication: 'database',
  });
  const slot = `kumiko_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    const created = session.query(
      `CREATE_REPLICATION_SLOT ${slot} TEMPORARY LOGICAL pgoutput (SNAPSHOT 'export')`,
    );
    const waited = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        session.kill();
        reject(
          new AgentError(
            STEP,
            `making the exact recovery point of database "${db}" waited ${Math.round(waitMs / 1000)} s for transactions that were running to end (an open transaction left idle, or a prepared transaction): end them (pg_stat_activity, pg_prepared_xacts) and take the recovery point again`,
          ),
        );
      }, waitMs);
    });
    const line = await Promise.race([created, waited]);
    const [name, lsn, snapshot] = line.split('|');
    if (name !== slot || !/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/.test(lsn ?? '') || !snapshot) {
      throw new AgentError(STEP, `unexpected answer to CREATE_REPLICATION_SLOT: ${line}`);
    }
    return { lsn: lsn as string, name: snapshot, release: () => session.close() };
  } catch (error) {
    session.kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
