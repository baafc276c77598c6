import type { AgentConfig } from '../../shared/agent/config';
import { AUDIT_SCHEMA } from '../../shared/audit/audit-trail-sql';
import { AUDIT_HAS_DRAIN } from '../../shared/audit/audit-stream-sql';
import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { psqlRows } from '../engines/psql';
import { listDatabases } from '../snapshot/table-stats';

// The audit trail's versions travel as WAL messages until drain() moves them into row_history
// (shared/audit/audit-stream-sql.ts). The agent drains every database with the trail every
// AUDIT_DRAIN_INTERVAL_MS, so the history is at most seconds behind even when nobody reads it,
// and the slot never holds much WAL. Readers drain first themselves and do not wait for this.

/**
 * How often the agent drains. Readers drain first, so this bounds only how much WAL a slot
 * holds and how stale the history table is for someone reading it with plain SQL. Every 5 s
 * measured no cheaper for the writer (`npm run bench -- rollback`, KUMIKO_BENCH_DRAIN_MS=5000:
 * 0.831 of plain TPS against 0.864 at 1 s, the same day): the slot's restart point moves only
 * every 15 s anyway, and bigger batches cost as much.
 */
export const AUDIT_DRAIN_INTERVAL_MS = 1_000;

/** How often the list of databases with the trail is read again (an install elsewhere). */
const LIST_REFRESH_MS = 60_000;

const HAS_DRAIN_SQL = `SELECT ${AUDIT_HAS_DRAIN}`;

/** Moves the committed versions of one database into its history; returns how many. */
export async function drainAuditHistory(config: AgentConfig, db: string): Promise<number> {
  const [row] = await psqlRows(config, [`SELECT ${AUDIT_SCHEMA}.drain()`], 'audit drain', {
    db,
    timeoutMs: 300_000,
  });
  return Number(row?.[0] ?? 0);
}

async function databasesWithTrail(config: AgentConfig): Promise<string[]> {
  const found: string[] = [];
  for (const db of await listDatabases(config)) {
    const [row] = await psqlRows(config, [HAS_DRAIN_SQL], 'audit drain', { db }).catch(
      () => [] as string[][],
    );
    if (row?.[0] === 't') found.push(db);
  }
  return found;
}

/**
 * One drain round, for the daemon's tick. Never throws: a failure is logged once per distinct
 * message (not every second) and the round goes on with the next database.
 */
export function createAuditDrainer(ctx: AgentContext): () => Promise<void> {
  let databases: string[] = [];
  let listedAt = 0;
  const lastProblem = new Map<string, string>();
  let drainedAt = 0;
  return async () => {
    if (Date.now() - drainedAt < AUDIT_DRAIN_INTERVAL_MS) return;
    drainedAt = Date.now();
    if (Date.now() - listedAt >= LIST_REFRESH_MS) {
      listedAt = Date.now();
      databases = await databasesWithTrail(ctx.config).catch((error: unknown) => {
        ctx.log.warn(`audit drain: could not list the databases: ${errorMessage(error)}`);
        return databases;
      });
    }
    for (const db of databases) {
      try {
        await drainAuditHistory(ctx.config, db);
        if (lastProblem.delete(db)) ctx.log.info(`audit drain in ${db}: working again`);
      } catch (error) {
        const message = errorMessage(error);
        if (lastProblem.get(db) !== message) ctx.log.warn(`audit drain in ${db}: ${message}`);
        lastProblem.set(db, message);
      }
    }
  };
}
