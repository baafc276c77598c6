import type { AgentContext } from '../runtime/context';
import { errorMessage } from '../runtime/errors';
import { listDatabases } from '../snapshot/table-stats';
import { pruneAuditHistory } from './audit-trail';

/**
 * The daily pruning of audit history (issue 18 §1: retention, default 30 days) in every
 * database that has the trail, run with the agent's retention. Never throws: a database that
 * cannot be pruned today is named in the log and tried again tomorrow, and does not fail the
 * backup retention beside it.
 */
export async function pruneAuditTrails(ctx: AgentContext): Promise<string> {
  let deleted = 0;
  const failed: string[] = [];
  for (const db of await listDatabases(ctx.config).catch(() => [] as string[])) {
    try {
      deleted += (await pruneAuditHistory(ctx.config, db)).deleted;
    } catch (error) {
      failed.push(db);
      ctx.log.warn(`audit prune in ${db}: ${errorMessage(error)}`);
    }
  }
  return `audit history: ${deleted} rows past retention deleted${failed.length ? `, not pruned in ${failed.length} databases (see log)` : ''}`;
}
